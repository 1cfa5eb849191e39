namespace LabelStamp.Kernels;

/// <summary>
/// The image-mark detector's chip-mean reading, row by row: 4 × 4 cell sums, each cell minus its eight
/// neighbours' mean, and that residual divided by its 3 × 3 level and limited. Each step is a few
/// <see cref="SpanDriver"/> passes over shifted views of whole rows, so every width adds, multiplies and
/// divides the same values in the same order as the scalar references (the detector's reads stay identical
/// to the bit, whatever the width).
/// </summary>
public static class ChipMeans
{
    /// <summary>acc[x] += ((row[x] + row[x + 1]) + row[x + 2]) + row[x + 3] for x in [0, L − 3), L the row
    /// length: one pixel row of a band of 4-wide cells added into the band's sums. Every x is summed, not
    /// only the cells' first columns: a strided pick would need a 4 × 4 transpose in lanes, while four
    /// overlapping loads keep the scalar loop's order and are still several times faster.
    /// <paramref name="scratch"/> needs L − 3 elements; <paramref name="acc"/> must not overlap the row.</summary>
    public static void AddRunsOfFour(ReadOnlySpan<float> row, Span<float> acc, Span<float> scratch, VectorWidth width = VectorWidth.Auto)
    {
        int n = row.Length - 3;
        if (n < 1 || acc.Length < n || scratch.Length < n)
            throw new ArgumentException("Runs of four: a row of L ≥ 4 samples, sums and scratch of at least L − 3.");
        Span<float> three = scratch[..n], sums = acc[..n];
        SpanDriver.Apply<float, Sum3Operator>(row[..n], row.Slice(1, n), row.Slice(2, n), three, width);
        SpanDriver.Apply<float, AddPairOperator>(three, row.Slice(3, n), sums, sums, width);
    }

    /// <summary>The loop <see cref="AddRunsOfFour"/> is tested against.</summary>
    public static void AddRunsOfFourScalarReference(ReadOnlySpan<float> row, Span<float> acc)
    {
        for (int x = 0; x + 3 < row.Length; x++) acc[x] += row[x] + row[x + 1] + row[x + 2] + row[x + 3];
    }

    /// <summary>dest[i] = mid[i + 1] − (up[i] + up[i + 1] + up[i + 2] + mid[i] + mid[i + 2] + down[i] + down[i + 1]
    /// + down[i + 2]) · (1/8), added left to right, for i in [0, L − 2): a row of cells minus their eight
    /// neighbours' mean. <paramref name="scratch"/> needs L − 2 elements; dest must not overlap the inputs.</summary>
    public static void NeighbourResidual(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, Span<float> dest,
        Span<float> scratch, VectorWidth width = VectorWidth.Auto)
    {
        int l = mid.Length, n = l - 2;
        if (l < 3 || up.Length != l || down.Length != l || dest.Length != n || scratch.Length < n)
            throw new ArgumentException("Neighbour residual: three rows of one length L ≥ 3, an output and scratch of L − 2.");
        Span<float> t = scratch[..n];
        SpanDriver.Apply<float, Sum3Operator>(up[..n], up.Slice(1, n), up[2..], t, width);
        SpanDriver.Apply<float, Sum3Operator>(t, mid[..n], mid[2..], t, width);
        SpanDriver.Apply<float, Sum3Operator>(t, down[..n], down.Slice(1, n), t, width);
        SpanDriver.Apply<float, EighthResidualOperator>(t, down[2..], mid.Slice(1, n), dest, width);
    }

    /// <summary>The formula <see cref="NeighbourResidual"/> is tested against.</summary>
    public static void NeighbourResidualScalarReference(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, Span<float> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            float around = up[i] + up[i + 1] + up[i + 2] + mid[i] + mid[i + 2] + down[i] + down[i + 1] + down[i + 2];
            dest[i] = mid[i + 1] - around * 0.125f;
        }
    }

    /// <summary>dest[i] = clamp(mid[i + 1] / (level · (1/9) + floor), ±limit) for i in [0, L − 2), where level is
    /// the sum of the nine magnitudes |up[i..i+2]|, |mid[i..i+2]|, |down[i..i+2]| added left to right: each cell's
    /// residual weighed by how quiet its neighbourhood is. <paramref name="scratch"/> needs 5 · L elements;
    /// dest must not overlap the inputs.</summary>
    public static void WeighedResidual(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, float floor, float limit,
        Span<float> dest, Span<float> scratch, VectorWidth width = VectorWidth.Auto)
    {
        int l = mid.Length, n = l - 2;
        if (l < 3 || up.Length != l || down.Length != l || dest.Length != n || scratch.Length < 5 * l)
            throw new ArgumentException("Weighed residual: three rows of one length L ≥ 3, an output of L − 2 and scratch of 5 L.");
        Span<float> t = scratch[..n], zeros = scratch.Slice(l, n), floors = scratch.Slice(2 * l, n);
        Span<float> low = scratch.Slice(3 * l, n), high = scratch.Slice(4 * l, n);
        zeros.Clear();
        floors.Fill(floor);
        low.Fill(-limit);
        high.Fill(limit);
        // 0 + |a| is |a| exactly and s + |b| + |0| is s + |b|, so the zero rows leave the left-to-right sum as it is.
        SpanDriver.Apply<float, AddMagnitudesOperator>(zeros, up[..n], up.Slice(1, n), t, width);
        SpanDriver.Apply<float, AddMagnitudesOperator>(t, up[2..], mid[..n], t, width);
        SpanDriver.Apply<float, AddMagnitudesOperator>(t, mid.Slice(1, n), mid[2..], t, width);
        SpanDriver.Apply<float, AddMagnitudesOperator>(t, down[..n], down.Slice(1, n), t, width);
        SpanDriver.Apply<float, AddMagnitudesOperator>(t, down[2..], zeros, t, width);
        SpanDriver.Apply<float, NinthNormaliseOperator>(mid.Slice(1, n), t, floors, dest, width);
        SpanDriver.Apply<float, ClampOperator>(dest, low, high, dest, width);
    }

    /// <summary>The formula <see cref="WeighedResidual"/> is tested against.</summary>
    public static void WeighedResidualScalarReference(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down, float floor, float limit,
        Span<float> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            float level = Math.Abs(up[i]) + Math.Abs(up[i + 1]) + Math.Abs(up[i + 2]) + Math.Abs(mid[i]) + Math.Abs(mid[i + 1])
                + Math.Abs(mid[i + 2]) + Math.Abs(down[i]) + Math.Abs(down[i + 1]) + Math.Abs(down[i + 2]);
            dest[i] = Math.Clamp(mid[i + 1] / (level * (1f / 9) + floor), -limit, limit);
        }
    }
}
