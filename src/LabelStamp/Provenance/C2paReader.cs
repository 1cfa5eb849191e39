using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Provenance.Validation;

namespace LabelStamp.Provenance;

/// <summary>
/// Reads and validates the active manifest of any C2PA 1.x/2.x manifest store in a JPEG, PNG, WebP, WAV,
/// MP3 or MP4 — ours or another generator's — following the validation order of C2PA §15: locate the
/// store, parse the claim, verify the claim signature and its credential, check every hashed URI, read the
/// assertions, then the hard binding against the asset bytes and the parent ingredient's manifest; one typed
/// step each, in Validation/. A structurally broken store is reported as a problem, not thrown; so is a
/// store over the <see cref="MetadataLimits"/> (its problem carries LS603 or LS402), which is refused by
/// counting before the work it would cause: every step is linear in the store's bytes.
/// </summary>
public static class C2paReader
{
    /// <param name="anchors">Roots for the signer's and the TSA's chains; null judges no trust (reported "not-checked").</param>
    public static C2paReport Read(byte[] file, string name, MetadataLimits? limits = null, TrustAnchors? anchors = null)
    {
        limits ??= new MetadataLimits();
        var format = MediaSniffer.TrySniff(file);
        var container = format is null ? null : C2paProvenanceWriter.ContainerFor(format);
        if (container is null) return C2paReport.Absent;
        byte[]? store;
        try { store = container.Extract(file, name, limits.MaxManifestStoreBytes); }
        catch (LabelStampException e) { return Unreadable("manifest.inaccessible", e); }
        if (store is null) return C2paReport.Absent;
        try { return Validate(file, store, name, format!.Name, limits, anchors, container); }
        catch (LabelStampException e) { return Unreadable("claim.malformed", e); }
    }

    /// <summary>A store that cannot be read: the C2PA status code, then our stable code (e.g. LS603 for a
    /// store over the limits) and the reason.</summary>
    private static C2paReport Unreadable(string status, LabelStampException e) =>
        new() { Present = true, Problems = [$"{status}: {e.CodeText} {e.Message}"] };

    /// <summary>The steps in C2PA §15's order; each adds its status codes to the context's problems in the order found.</summary>
    private static C2paReport Validate(byte[] file, byte[] storeBytes, string name, string formatName, MetadataLimits limits, TrustAnchors? anchors, ManifestContainer container)
    {
        var context = new ValidationContext(file, name, formatName, container, limits);
        var claim = ClaimParser.Parse(storeBytes, name, limits);
        var signature = CredentialValidator.Validate(SignatureValidator.Validate(claim, context), anchors, context.Problems);
        var assertions = AssertionUriChecker.Check(claim, context, out bool intact);
        var contents = AssertionReader.Read(claim, assertions, context);
        var ownBinding = HardBindingValidator.Validate(claim, contents, context);
        string? sourceType = contents.DigitalSourceType;
        bool inherited = false;
        if (sourceType is null && contents.Parent is not null)
        {
            sourceType = IngredientChain.ParentSourceType(claim.Store, contents.Parent, claim.Alg, context, depth: 0);
            inherited = sourceType is not null;
        }
        var binding = HardBindingValidator.Complete(ownBinding, claim, contents, context);
        var leaf = signature.Leaf;
        return new C2paReport
        {
            Present = true,
            ActiveManifest = claim.Manifest.Label,
            ClaimLabel = claim.ClaimBox.Label,
            ClaimGenerator = claim.Generator,
            Title = claim.Title,
            Actions = contents.Actions,
            DigitalSourceType = sourceType,
            DigitalSourceTypeInherited = inherited,
            Signer = leaf?.Subject,
            Issuer = leaf?.Issuer,
            SignatureValid = signature.Signature.Valid,
            CredentialValid = signature.CredentialValid,
            SignerTrust = signature.Trust,
            TimestampTokens = signature.Signature.TimestampTokens,
            Timestamp = signature.Timestamp?.Time,
            TimestampStatus = signature.Timestamp?.Status,
            TimestampAuthority = signature.Timestamp?.Authority,
            AssertionsIntact = intact,
            HardBinding = binding.Label,
            HardBindingValid = binding.Valid,
            HardBindingInherited = binding.Inherited,
            SoftBindingAlgorithm = contents.SoftBindingAlgorithm,
            SoftBindingMarkId = contents.SoftBindingMarkId,
            Ingredients = contents.Ingredients,
            Manifests = claim.Manifests.Count,
            IngredientTree = IngredientTree.Build(claim.Store, claim.Manifest, name, limits),
            Problems = context.Problems,
        };
    }
}
