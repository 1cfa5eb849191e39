namespace LabelStamp.Kernels.Audio;

/// <summary>
/// Element-wise spectrum operations of the audio mark, on split (re, im) arrays: power per bin and
/// scaling by a per-bin gain. Each runs through <see cref="SpanDriver"/>, so each width is checked
/// against the scalar reference below.
/// </summary>
public static class BandOps
{
    /// <summary>power[k] = re[k]² + im[k]² (two multiply-adds; <paramref name="power"/> is overwritten).</summary>
    public static void Power(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> power, VectorWidth width = VectorWidth.Auto)
    {
        power.Clear();
        SpanDriver.Apply<float, MultiplyAddOperator>(im, im, power, power, width);
        SpanDriver.Apply<float, MultiplyAddOperator>(re, re, power, power, width);
    }

    /// <summary>dest[k] = x[k]·gain[k] + add[k]: band scaling (add = 0) and delta mixing (gain = 1).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> gain, ReadOnlySpan<float> add, Span<float> dest,
        VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<float, MultiplyAddOperator>(x, gain, add, dest, width);

    /// <summary>The scalar reference for <see cref="Power"/>, in the same operation order.</summary>
    public static void PowerReference(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> power)
    {
        for (int k = 0; k < power.Length; k++)
        {
            float p = im[k] * im[k] + 0f;
            power[k] = re[k] * re[k] + p;
        }
    }

    /// <summary>The scalar reference for <see cref="MultiplyAdd"/>.</summary>
    public static void MultiplyAddReference(ReadOnlySpan<float> x, ReadOnlySpan<float> gain, ReadOnlySpan<float> add, Span<float> dest)
    {
        for (int k = 0; k < dest.Length; k++) dest[k] = x[k] * gain[k] + add[k];
    }
}
