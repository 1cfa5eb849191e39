namespace LabelStamp.Provenance.Validation;

/// <summary>
/// Step 4 (C2PA §15.10): every hashed URI of the claim resolves to a box whose hash matches. The algorithm is the
/// hashed URI's own alg, else the claim's; C2PA has no default (§15.4 "if no value is present in any of these
/// places, this structure is invalid").
/// </summary>
internal static class AssertionUriChecker
{
    /// <summary>The resolved assertions in claim order; <paramref name="intact"/> is false when any is missing or does not match.</summary>
    public static List<HashedAssertion> Check(ActiveClaim claim, ValidationContext context, out bool intact)
    {
        var refs = claim.AssertionReferences();
        if (refs.Count > context.Limits.MaxAssertionsPerManifest)
            throw ManifestErrors.TooLarge(context.Name, $"claim of manifest {claim.Manifest.Label} lists {refs.Count} assertions, over the limit of {context.Limits.MaxAssertionsPerManifest} (Limits:Metadata:MaxAssertionsPerManifest)");
        string? defaultAlg = claim.Alg;
        var problems = context.Problems;
        intact = true;
        var assertions = new List<HashedAssertion>();
        foreach (var r in refs)
        {
            var uri = CborTree.Map(r);
            string? url = CborTree.Text(uri, "url");
            var box = ManifestLinks.Resolve(claim.Store, claim.Manifest, url);
            if (box is null) { intact = false; problems.Add($"assertion.missing: {url}"); continue; }
            var expected = CborTree.Bytes(uri, "hash") ?? [];
            string? uriAlg = CborTree.Text(uri, "alg") ?? defaultAlg;
            if (C2paHashes.Algorithm(uriAlg) is not { } h)
            {
                intact = false;
                problems.Add($"algorithm.unsupported: {url} names {(uriAlg is null ? "no hash algorithm (neither the hashed URI nor the claim has alg)" : "hash algorithm " + uriAlg)}");
            }
            else if (!context.Digests.Matches(box, expected, h))
            {
                intact = false;
                problems.Add($"assertion.hashedURI.mismatch: {url}");
            }
            assertions.Add(new HashedAssertion(box.Label ?? "", box));
        }
        return assertions;
    }
}
