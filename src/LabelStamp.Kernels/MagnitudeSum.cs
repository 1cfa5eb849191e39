namespace LabelStamp.Kernels;

/// <summary>
/// Σ |x[i]| with a fixed summation order on every width (<see cref="SpanDriver.LaneSum{TOp}"/>: sample i
/// in lane i mod 16, lanes added in order), so every width equals <see cref="OfScalarReference"/> bit for bit.
/// </summary>
public static class MagnitudeSum
{
    public static float Of(ReadOnlySpan<float> x, VectorWidth width = VectorWidth.Auto) => SpanDriver.LaneSum<AbsOperator>(x, width);

    /// <summary>The lane-ordered sum every path is tested against.</summary>
    public static float OfScalarReference(ReadOnlySpan<float> x) => SpanDriver.LaneSumScalarReference<AbsOperator>(x);
}
