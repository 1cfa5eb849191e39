namespace LabelStamp.Provenance;

/// <summary>
/// One exclusion of a BMFF hard binding (C2PA §18.6 exclusions-map): boxes addressed by an xpath such as
/// "/uuid" or "/moov[1]/pssh", optionally narrowed by exact size and by bytes that must match at given
/// offsets, and optionally excluding only subsets of each matching box.
/// </summary>
public sealed record BmffExclusion(string XPath)
{
    public long? Length { get; init; }
    public IReadOnlyList<(long Offset, byte[] Value)> Data { get; init; } = [];
    public IReadOnlyList<(long Offset, long Length)> Subset { get; init; } = [];

    /// <summary>What LabelStamp writes: our C2PA uuid box, ftyp and mfra (the c2pa-rs / c2pa-ts default set).</summary>
    public static IReadOnlyList<BmffExclusion> Default { get; } =
    [
        new("/uuid") { Data = [(8, C2paIds.BmffBoxUuid.ToArray())] },
        new("/ftyp"),
        new("/mfra"),
    ];
}
