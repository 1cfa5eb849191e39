namespace LabelStamp.Provenance;

/// <summary>Configuration of the C2PA layer: who signs, and how the claim generator names itself.</summary>
public sealed record C2paOptions(SigningCredentials Credentials)
{
    public ClaimGeneratorInfo Generator { get; init; } =
        new("LabelStamp", typeof(C2paOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
