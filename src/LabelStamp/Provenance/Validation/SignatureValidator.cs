namespace LabelStamp.Provenance.Validation;

/// <summary>Step 2 (C2PA §15.7): the COSE_Sign1 claim signature over the claim's CBOR bytes.</summary>
internal static class SignatureValidator
{
    public static ClaimSignatureCheck Validate(ActiveClaim claim, ValidationContext context)
    {
        var sigBox = ManifestLinks.Resolve(claim.Store, claim.Manifest, CborTree.Text(claim.Map, "signature")) ?? claim.Manifest.Child(C2paIds.SignatureLabel);
        var sigContent = sigBox?.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
        var sig = sigContent is null
            ? new ClaimSignatureCheck(false, [], "claim signature missing")
            : ClaimSigner.Verify(sigContent.Data, claim.Content.Data, context.Limits);
        if (!sig.Valid)
            context.Problems.Add(sig.Error is { } why && why.StartsWith("algorithm.unsupported", StringComparison.Ordinal) ? why : "claimSignature.mismatch: " + sig.Error);
        return sig;
    }
}
