namespace LabelStamp.Provenance.Validation;

/// <summary>
/// <c>c2pa.hash.boxes</c> (C2PA 2.x §18.7): each entry names consecutive boxes of the asset (<see cref="BoxHashMap"/>),
/// in order, and hashes the bytes from the first one's start to the last one's end; the "C2PA" box (alone in its
/// entry) and entries marked excluded are not hashed. Boxes the asset has beyond the listed ones are not judged,
/// as the reference implementation does not judge them. Sub-box exclusions are reported unsupported.
/// </summary>
internal static class BoxesHashCheck
{
    public static bool Check(ValidationContext context, Dictionary<string, object?>? map, string? claimAlg)
    {
        var (file, format, problems) = (context.File, context.Format, context.Problems);
        // No count bound beyond the CBOR decoder's: each entry consumes at least one box of the asset, in order, and
        // the boxes are disjoint, so the work is linear in the file whatever the entry count.
        var entries = CborTree.List(map, "boxes");
        if (entries.Count == 0) { problems.Add("assertion.boxesHash.malformed: no boxes"); return false; }
        if (BoxHashMap.For(file, format) is not { } boxes)
        {
            problems.Add($"assertion.boxesHash.unsupported: no box map for {format}");
            return false;
        }
        int next = 0;
        // An assertion may leave out PNG's signature box ("PNGh"), as older writers did.
        var firstNames = CborTree.List(CborTree.Map(entries[0]), "names");
        if (boxes.Count > 0 && boxes[0].Name == "PNGh" && firstNames.Count > 0 && firstNames[0] as string != "PNGh") next = 1;
        string? assertionAlg = CborTree.Text(map, "alg") ?? claimAlg;
        foreach (var e in entries)
        {
            var entry = CborTree.Map(e);
            var names = CborTree.List(entry, "names");
            if (names.Count == 0) { problems.Add("assertion.boxesHash.malformed: an entry names no box"); return false; }
            long start = -1, end = -1;
            bool c2pa = false;
            foreach (var n in names)
            {
                if (n is not string boxName || next >= boxes.Count || boxes[next].Name != boxName)
                {
                    problems.Add($"assertion.boxesHash.mismatch: the asset has no box {n} at position {next}");
                    return false;
                }
                var box = boxes[next++];
                if (start < 0) { start = box.Start; c2pa = boxName == BoxHashMap.C2paBox; }
                end = box.Start + box.Length;
            }
            if (c2pa && names.Count != 1) { problems.Add("assertion.boxesHash.mismatch: the C2PA box shares an entry"); return false; }
            if (entry?.GetValueOrDefault("exclusions") is List<object?> exclusions)
            {
                problems.Add(exclusions.Count == 0 ? "assertion.boxesHash.malformed: empty exclusions" : "assertion.boxesHash.unsupported: exclusions within boxes are not checked");
                return false;
            }
            if (c2pa || entry?.GetValueOrDefault("excluded") is true) continue;
            string? alg = CborTree.Text(entry, "alg") ?? assertionAlg;
            if (C2paHashes.Algorithm(alg) is not { } h)
            {
                problems.Add(alg is null ? "algorithm.unsupported: a box hash names no algorithm and neither does the claim" : $"algorithm.unsupported: box hash algorithm {alg}");
                return false;
            }
            byte[] actual = C2paHashes.Digest(h, file.AsSpan((int)start, (int)(end - start)));
            if (!actual.AsSpan().SequenceEqual(CborTree.Bytes(entry, "hash") ?? []))
            {
                problems.Add($"assertion.boxesHash.mismatch: boxes {string.Join(",", names)} changed after signing");
                return false;
            }
        }
        return true;
    }
}
