using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// The radix-2 butterfly (A, B) ← (A + wB, A − wB) on split (re, im) arrays and the two loops that run
/// it, written once over <see cref="IFloatLanes{TSelf}"/>: a stage of the line transform (bins j of
/// every block, one twiddle per bin) and a pair of rows of the 2-D column passes (one broadcast twiddle).
/// The butterflies of a loop are independent, and every width does the same multiplies and adds in the
/// same order as <see cref="Lanes1"/> (no fused multiply-add), so any split of a loop into widths gives
/// the scalar result bit for bit.
/// </summary>
internal static class Radix2
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<TLanes>(ref float re, ref float im, nuint a, nuint b, TLanes wr, TLanes wi)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes br = TLanes.Load(ref re, b), bi = TLanes.Load(ref im, b);
        TLanes tr = br * wr - bi * wi, ti = br * wi + bi * wr;
        TLanes ar = TLanes.Load(ref re, a), ai = TLanes.Load(ref im, a);
        TLanes.Store(ar + tr, ref re, a);
        TLanes.Store(ai + ti, ref im, a);
        TLanes.Store(ar - tr, ref re, b);
        TLanes.Store(ai - ti, ref im, b);
    }

    /// <summary>One stage of half-length <paramref name="h"/> over <paramref name="size"/> points: in every
    /// block of 2h, bin j pairs with bin j + h under twiddle j. h must be a multiple of TLanes.Count.</summary>
    public static void Stage<TLanes>(ref float re, ref float im, ref float twiddleRe, ref float twiddleIm, int size, int h)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint half = (nuint)h, n = (nuint)size, step = (nuint)TLanes.Count;
        for (nuint s = 0; s < n; s += 2 * half)
            for (nuint j = 0; j < half; j += step)
                Butterfly(ref re, ref im, s + j, s + j + half, TLanes.Load(ref twiddleRe, j), TLanes.Load(ref twiddleIm, j));
    }

    /// <summary>Exchanges the floats from <paramref name="k"/> of the runs at <paramref name="a"/> and <paramref name="b"/>, in
    /// whole vectors of TLanes (the column passes' bit-reversal); returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static int Swap<TLanes>(ref float p, int a, int b, int k, int columns)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (; k + TLanes.Count <= columns; k += TLanes.Count)
        {
            TLanes x = TLanes.Load(ref p, (nuint)(a + k)), y = TLanes.Load(ref p, (nuint)(b + k));
            TLanes.Store(y, ref p, (nuint)(a + k));
            TLanes.Store(x, ref p, (nuint)(b + k));
        }
        return k;
    }

    /// <summary>Columns from <paramref name="k"/> of rows starting at <paramref name="a"/> and
    /// <paramref name="b"/>, in whole vectors of TLanes, under one twiddle; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static int Rows<TLanes>(ref float re, ref float im, int a, int b, int k, int columns, float wr, float wi)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes cr = TLanes.Create(wr), ci = TLanes.Create(wi);
        for (; k + TLanes.Count <= columns; k += TLanes.Count)
            Butterfly(ref re, ref im, (nuint)(a + k), (nuint)(b + k), cr, ci);
        return k;
    }
}
