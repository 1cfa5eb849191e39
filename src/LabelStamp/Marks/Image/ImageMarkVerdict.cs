using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The two-tier answer of <see cref="ImageMarkDetector.Read"/>: the decoded mark ID when one was
/// declared (<see cref="Detection"/>, false-positive bound C · 2⁻³⁶), and, separately, whether this key's
/// mark is present at all — the zero-bit sync statistic <see cref="PresenceStatistic"/> (the largest
/// normalised sync correlation over every offset, orientation and geometry searched) with its
/// Hoeffding union bound <see cref="PresenceFalsePositiveProbability"/> (see <see cref="ImageMarkSync"/>).
/// </summary>
public sealed record ImageMarkVerdict(
    ImageMarkDetection? Detection,
    double PresenceStatistic,
    double PresenceFalsePositiveProbability,
    int OrientedFoldsBound)
{
    /// <summary>This key's mark is present: the ID was decoded, or the sync statistic alone passes the
    /// per-file bound of spec §5 (≤ 1e-9).</summary>
    public bool Present => Detection is not null || FalsePositiveBound.Acceptable(PresenceFalsePositiveProbability);

    /// <summary>No reading was possible (image below the detector's minimum side).</summary>
    public static ImageMarkVerdict Nothing { get; } = new(null, 0, 1, 0);
}
