namespace LabelStamp.Provenance;

/// <summary>The words verify uses for trust in a claim signer (C2PA 2.x §15.2: signingCredential.trusted / .untrusted).</summary>
public static class SignerTrust
{
    public const string Trusted = "trusted";
    public const string Untrusted = "untrusted";
    /// <summary>No trust anchors configured: the signer is named, not judged.</summary>
    public const string NotChecked = "not-checked";
}
