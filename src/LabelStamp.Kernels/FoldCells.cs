using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// The tile cells a block of <see cref="Rows"/> image rows folds into at any geometry: for row r and sample i,
/// cells[i · Rows + r] = (⌊v⌋ mod P) · P + (⌊u⌋ mod P), where u starts at u0[r] and grows by du after each sample (a
/// running double sum, as the detector's fold loop kept it) and v likewise. The sums are one chain of dependent adds
/// per row, which held the fold loop at the add's latency per sample; across the rows of a block they are
/// independent, so the block's rows run side by side in double lanes. Every lane does the scalar loop's adds in its
/// order (<see cref="IndicesScalarReference"/>), so every width gives its cells to the bit; positions of 2³⁰ or more in
/// magnitude, where a vector conversion could differ from the scalar one, run on one lane.
/// </summary>
public static class FoldCells
{
    /// <summary>Rows per block.</summary>
    public const int Rows = 8;

    /// <param name="u0">The first sample's u in each of the <see cref="Rows"/> rows.</param>
    /// <param name="v0">Its v.</param>
    /// <param name="du">What u grows by from one sample to the next.</param>
    /// <param name="dv">What v grows by.</param>
    /// <param name="count">Samples per row.</param>
    /// <param name="period">P, a power of two.</param>
    /// <param name="cells">At least count · <see cref="Rows"/> cells, sample-major.</param>
    /// <param name="width">Vector width (every width gives the same cells).</param>
    public static void Indices(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, double du, double dv, int count, int period,
        Span<int> cells, VectorWidth width = VectorWidth.Auto)
    {
        Check(u0, v0, count, period, cells);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        if (!InRange(u0, du, count) || !InRange(v0, dv, count)) width = VectorWidth.Scalar;
        int mask = period - 1, shift = System.Numerics.BitOperations.Log2((uint)period);
        ref double pu = ref MemoryMarshal.GetReference(u0);
        ref double pv = ref MemoryMarshal.GetReference(v0);
        ref int pc = ref MemoryMarshal.GetReference(cells);
        switch (width)
        {
            case VectorWidth.V512: Body<DoubleLanes512>(ref pu, ref pv, du, dv, count, mask, shift, ref pc); break;
            case VectorWidth.V256: Body<DoubleLanes256>(ref pu, ref pv, du, dv, count, mask, shift, ref pc); break;
            case VectorWidth.V128: Body<DoubleLanes128>(ref pu, ref pv, du, dv, count, mask, shift, ref pc); break;
            default: Body<DoubleLanes1>(ref pu, ref pv, du, dv, count, mask, shift, ref pc); break;
        }
    }

    private static void Body<TLanes>(ref double u0, ref double v0, double du, double dv, int count, int mask, int shift, ref int cells)
        where TLanes : struct, IDoubleLanes<TLanes>
    {
        TLanes stepU = TLanes.Create(du), stepV = TLanes.Create(dv);
        for (int g = 0; g < Rows; g += TLanes.Count)
        {
            TLanes u = TLanes.Load(ref u0, (nuint)g), v = TLanes.Load(ref v0, (nuint)g);
            for (int i = 0; i < count; i++)
            {
                TLanes.StoreCells(u, v, mask, shift, ref cells, (nuint)(i * Rows + g));
                u += stepU;
                v += stepV;
            }
        }
    }

    /// <summary>Whether every position of the rows stays under 2³⁰ in magnitude (with room for the sums' rounding).</summary>
    private static bool InRange(ReadOnlySpan<double> start, double step, int count)
    {
        const double limit = 1 << 30;
        double reach = Math.Abs(step) * count + 2;
        foreach (double s in start)
            if (!(Math.Abs(s) + reach < limit)) return false;
        return true;
    }

    /// <summary>The detector's fold loop's index arithmetic, row by row, that <see cref="Indices"/> is tested against.</summary>
    public static void IndicesScalarReference(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, double du, double dv, int count, int period, Span<int> cells)
    {
        Check(u0, v0, count, period, cells);
        for (int r = 0; r < Rows; r++)
        {
            double u = u0[r], v = v0[r];
            for (int i = 0; i < count; i++, u += du, v += dv)
                cells[i * Rows + r] = (((int)Math.Floor(v)) & (period - 1)) * period + (((int)Math.Floor(u)) & (period - 1));
        }
    }

    private static void Check(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, int count, int period, Span<int> cells)
    {
        if (u0.Length != Rows || v0.Length != Rows) throw new ArgumentException($"A block has {Rows} rows.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        if (period < 1 || (period & (period - 1)) != 0 || period > 1 << 15) throw new ArgumentOutOfRangeException(nameof(period), "P must be a power of two ≤ 2^15.");
        if ((long)count * Rows > cells.Length) throw new ArgumentException($"cells must hold {count} × {Rows} values.", nameof(cells));
    }
}
