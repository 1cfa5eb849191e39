namespace LabelStamp.Provenance;

/// <summary>Configuration of the C2PA layer: who signs, and how the claim generator names itself.</summary>
public sealed record C2paOptions(SigningCredentials Credentials)
{
    public ClaimGeneratorInfo Generator { get; init; } =
        new("LabelStamp", typeof(C2paOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>When set, each claim signature gets an RFC 3161 timestamp (C2PA §14.6, sigTst2) from this TSA.</summary>
    public ITimestampAuthority? TimestampAuthority { get; init; }

    /// <summary>Bytes reserved in the COSE unprotected header for the TSA's token (typical tokens with
    /// their TSA certificates are 2–6 KB). Only used with <see cref="TimestampAuthority"/>.</summary>
    public int TimestampReserve { get; init; } = 8192;

    /// <summary>Roots against which a manifest found in the input is judged before it becomes our ingredient (its
    /// validationResults then say trusted or untrusted); null judges no trust.</summary>
    public TrustAnchors? TrustAnchors { get; init; }
}
