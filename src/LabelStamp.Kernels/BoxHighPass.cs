namespace LabelStamp.Kernels;

/// <summary>
/// The image-mark detector's whitening: a sample minus its 3 × 3 box mean, one output row at a time,
/// as three <see cref="SpanDriver"/> passes (column sums, shifted row sums, residual) so every width
/// runs the same adds in the same order as <see cref="RowScalarReference"/>.
/// </summary>
public static class BoxHighPass
{
    /// <summary>dest[i] = mid[i + 1] − (c[i] + c[i + 1] + c[i + 2]) · (1/9) with c = up + mid + down, for
    /// i in [0, L − 2) where L is the input row length; <paramref name="columnSums"/> is scratch of
    /// length ≥ L. <paramref name="dest"/> must not overlap the inputs.</summary>
    public static void Row(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, Span<float> dest,
        Span<float> columnSums, VectorWidth width = VectorWidth.Auto)
    {
        int l = mid.Length;
        if (l < 3 || up.Length != l || down.Length != l || dest.Length != l - 2 || columnSums.Length < l)
            throw new ArgumentException("Box high-pass rows: three input rows of one length L ≥ 3, an output of L − 2.");
        Span<float> c = columnSums[..l];
        SpanDriver.Apply<float, Sum3Operator>(up, mid, down, c, width);
        SpanDriver.Apply<float, Sum3Operator>(c[..(l - 2)], c.Slice(1, l - 2), c[2..], dest, width);
        SpanDriver.Apply<float, BoxResidualOperator>(dest, mid.Slice(1, l - 2), dest, dest, width);
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void RowScalarReference(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, Span<float> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            float c0 = up[i] + mid[i] + down[i], c1 = up[i + 1] + mid[i + 1] + down[i + 1], c2 = up[i + 2] + mid[i + 2] + down[i + 2];
            dest[i] = mid[i + 1] - (c0 + c1 + c2) * (1f / 9f);
        }
    }

    /// <summary>Clips every sample of <paramref name="row"/> to ±<paramref name="limit"/> in place;
    /// <paramref name="lowRow"/> and <paramref name="highRow"/> hold −limit and +limit (at least as
    /// long as the row), filled once by the caller.</summary>
    public static void Clip(Span<float> row, ReadOnlySpan<float> lowRow, ReadOnlySpan<float> highRow, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<float, ClampOperator>(row, lowRow[..row.Length], highRow[..row.Length], row, width);

    /// <summary>acc[i] += |row[i]| · weight[i] (column sums of magnitudes over a band of rows).</summary>
    public static void AccumulateMagnitude(ReadOnlySpan<float> row, ReadOnlySpan<float> weight, Span<float> acc, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<float, MagnitudeAccumulateOperator>(row, weight[..row.Length], acc[..row.Length], acc[..row.Length], width);

    /// <summary>row[i] = clamp(row[i] · gain[i], ±limit[i]) in place (local normalisation, then a limit).</summary>
    public static void ScaleClamp(Span<float> row, ReadOnlySpan<float> gain, ReadOnlySpan<float> limit, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<float, ScaleClampOperator>(row, gain[..row.Length], limit[..row.Length], row, width);
}
