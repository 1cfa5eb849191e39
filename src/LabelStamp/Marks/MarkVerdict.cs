using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks;

/// <summary>
/// A two-tier watermark answer under one key: <see cref="Reading"/> when the mark ID was decoded (with its
/// own false-positive bound), and the zero-bit presence test — whether this key's mark is there at all —
/// with <see cref="PresenceFalsePositiveProbability"/>, the chance that a file without this key's mark
/// scores <see cref="PresenceStatistic"/> or more. <see cref="Evidence"/> says how it was found.
/// </summary>
public sealed record MarkVerdict(MarkReading? Reading, string KeyId, double PresenceStatistic, double PresenceFalsePositiveProbability, string Evidence)
{
    /// <summary>The ID was read.</summary>
    public bool Found => Reading is not null;

    /// <summary>This key's mark is present, whether or not its ID could be read.</summary>
    public bool Present => Found || FalsePositiveBound.Acceptable(PresenceFalsePositiveProbability);
}
