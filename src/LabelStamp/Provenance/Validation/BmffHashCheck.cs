namespace LabelStamp.Provenance.Validation;

/// <summary><c>c2pa.hash.bmff</c> v1/v2/v3 (C2PA §18.6): a hash over an ISO BMFF asset's boxes, with boxes excluded by xpath.</summary>
internal static class BmffHashCheck
{
    /// <param name="label">v1 (<c>c2pa.hash.bmff</c>) hashes the boxes alone; v2 and v3 put each box's offset before it.</param>
    public static bool Check(ValidationContext context, Dictionary<string, object?>? map, string? claimAlg, string label)
    {
        var problems = context.Problems;
        var expected = CborTree.Bytes(map, "hash");
        if (expected is null)
        {
            problems.Add(CborTree.List(map, "merkle").Count > 0 ? "assertion.bmffHash.unsupported: merkle trees are not checked" : "assertion.bmffHash.malformed");
            return false;
        }
        string? alg = CborTree.Text(map, "alg") ?? claimAlg;
        if (C2paHashes.Algorithm(alg) is not { } h)
        {
            problems.Add(alg is null ? "algorithm.unsupported: the BMFF hash names no algorithm and neither does the claim" : $"algorithm.unsupported: BMFF hash algorithm {alg}");
            return false;
        }
        var listed = CborTree.List(map, "exclusions");
        var exclusions = new List<BmffExclusion>(Math.Min(listed.Count, context.Limits.MaxHashExclusions));
        int entries = 0;
        foreach (var e in listed)
        {
            var em = CborTree.Map(e);
            if (CborTree.Text(em, "xpath") is not { } xpath) { problems.Add("assertion.bmffHash.malformed: exclusion without xpath"); return false; }
            var data = CborTree.List(em, "data");
            var subset = CborTree.List(em, "subset");
            // Each exclusion walks the file's boxes once per data and subset entry: all of them count.
            entries += 1 + data.Count + subset.Count;
            C2paHashes.CheckExclusionCount(entries, context.Limits, context.Name);
            var exclusion = new BmffExclusion(xpath)
            {
                Length = CborTree.Integer(em, "length"),
                Data = [.. data.Select(CborTree.Map).Select(d => (CborTree.Integer(d, "offset") ?? 0, CborTree.Bytes(d, "value") ?? []))],
                Subset = [.. subset.Select(CborTree.Map).Select(d => (CborTree.Integer(d, "offset") ?? 0, CborTree.Integer(d, "length") ?? 0))],
            };
            if (exclusion.Data.Any(d => d.Offset < 0) || exclusion.Subset.Any(s => s.Offset < 0 || s.Length < 0))
            {
                problems.Add($"assertion.bmffHash.malformed: exclusion {xpath} has a negative offset or length");
                return false;
            }
            exclusions.Add(exclusion);
        }
        if (BmffManifestContainer.Hash(context.File, context.Name, exclusions, h, offsets: label != C2paIds.BmffHashV1).AsSpan().SequenceEqual(expected)) return true;
        problems.Add("assertion.bmffHash.mismatch: the content changed after signing");
        return false;
    }
}
