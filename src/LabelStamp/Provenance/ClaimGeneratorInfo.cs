namespace LabelStamp.Provenance;

/// <summary>The claim_generator_info of a v2 claim (C2PA §10.3): the software that made the manifest.</summary>
public sealed record ClaimGeneratorInfo(string Name, string Version);
