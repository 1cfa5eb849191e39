namespace LabelStamp.Provenance.Validation;

/// <summary><c>c2pa.hash.data</c> (C2PA §18.5): one hash over the asset with byte ranges (the store) excluded.</summary>
internal static class DataHashCheck
{
    /// <param name="storeNow">For a hard binding an update manifest inherits: where the (grown) store sits now. The
    /// exclusion that began where the store begins is taken to be the store's and stretched to its present length.</param>
    public static bool Check(ValidationContext context, Dictionary<string, object?>? map, string? claimAlg, HashExclusion? storeNow = null)
    {
        var (file, problems) = (context.File, context.Problems);
        var expected = CborTree.Bytes(map, "hash");
        if (expected is null) { problems.Add("assertion.dataHash.malformed: no hash"); return false; }
        string? alg = CborTree.Text(map, "alg") ?? claimAlg;
        if (C2paHashes.Algorithm(alg) is not { } h)
        {
            problems.Add(alg is null ? "algorithm.unsupported: the data hash names no algorithm and neither does the claim" : $"algorithm.unsupported: data hash algorithm {alg}");
            return false;
        }
        var listed = CborTree.List(map, "exclusions");
        C2paHashes.CheckExclusionCount(listed.Count, context.Limits, context.Name);
        var exclusions = new List<HashExclusion>(listed.Count);
        foreach (var e in listed)
        {
            var em = CborTree.Map(e);
            long start = CborTree.Integer(em, "start") ?? -1, length = CborTree.Integer(em, "length") ?? -1;
            if (start < 0 || length < 0) { problems.Add("assertion.dataHash.malformed"); return false; }
            // Compared without adding: start + length may pass long.MaxValue.
            if (start > file.Length || length > file.Length - start)
            {
                problems.Add($"assertion.dataHash.malformed: exclusion of {length} bytes at {start} runs past the end of the {file.Length}-byte file");
                return false;
            }
            exclusions.Add(storeNow is { } now && now.Start == start ? now : new HashExclusion(start, length));
        }
        exclusions.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < exclusions.Count; i++)
            if (exclusions[i].Start < exclusions[i - 1].Start + exclusions[i - 1].Length)
            {
                problems.Add("assertion.dataHash.malformed: exclusions overlap");
                return false;
            }
        var actual = C2paProvenanceWriter.DataHash(file, exclusions, h);
        if (actual.AsSpan().SequenceEqual(expected)) return true;
        problems.Add("assertion.dataHash.mismatch: the content changed after signing");
        return false;
    }
}
