using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// The radix-2 butterfly (A, B) ← (A + wB, A − wB) on split (re, im) arrays and the loops that run
/// it, written once over <see cref="IFloatLanes{TSelf}"/>: a stage of the line transform (bins j of
/// every block, one twiddle per bin; or two stages of it in one pass, <see cref="Stages{TLanes}"/>) and a pair of
/// rows of the 2-D column passes (one broadcast twiddle).
/// The butterflies of a loop are independent, and every width does the same multiplies and adds in the
/// same order as <see cref="Lanes1"/> (no fused multiply-add), so any split of a loop into widths gives
/// the scalar result bit for bit.
/// </summary>
internal static class Radix2
{
    /// <summary>The butterfly on split arrays: bins a and b loaded, <see cref="InRegisters{TLanes}"/>, stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<TLanes>(ref float re, ref float im, nuint a, nuint b, TLanes wr, TLanes wi)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes ar = TLanes.Load(ref re, a), ai = TLanes.Load(ref im, a), br = TLanes.Load(ref re, b), bi = TLanes.Load(ref im, b);
        InRegisters(ref ar, ref ai, ref br, ref bi, wr, wi);
        TLanes.Store(ar, ref re, a);
        TLanes.Store(ai, ref im, a);
        TLanes.Store(br, ref re, b);
        TLanes.Store(bi, ref im, b);
    }

    /// <summary>The butterfly on values in registers: (a, b) ← (a + wb, a − wb), t = wb as (b.re·w.re − b.im·w.im,
    /// b.re·w.im + b.im·w.re); no fused multiply-add, so every width rounds as <see cref="Lanes1"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InRegisters<TLanes>(ref TLanes ar, ref TLanes ai, ref TLanes br, ref TLanes bi, TLanes wr, TLanes wi)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes tr = br * wr - bi * wi, ti = br * wi + bi * wr;
        TLanes xr = ar, xi = ai;
        ar = xr + tr;
        ai = xi + ti;
        br = xr - tr;
        bi = xi - ti;
    }

    /// <summary>
    /// <paramref name="count"/> stages (1 or 2) of the line transform from half-length <paramref name="h"/> over
    /// <paramref name="size"/> points, the plan's twiddles for stage h at <paramref name="twiddleRe"/>[h − 1] …. One stage:
    /// in every block of 2h, bin j pairs with bin j + h under twiddle j. Two (stages h and 2h in one pass over the data): in
    /// every block of 4h, bins j, j + h, j + 2h and j + 3h (j &lt; h) are loaded once, stage h's two butterflies and stage
    /// 2h's two run on them in registers, and they are stored once, where two passes load and store each bin twice. Each
    /// bin meets the same butterflies, twiddles and arithmetic in the same order, so the bits are those of two single
    /// stages. h must be a multiple of TLanes.Count.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static void Stages<TLanes>(ref float re, ref float im, ref float twiddleRe, ref float twiddleIm, int size, int h, int count)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint half = (nuint)h, n = (nuint)size, step = (nuint)TLanes.Count;
        ref float w1r = ref Unsafe.Add(ref twiddleRe, h - 1), w1i = ref Unsafe.Add(ref twiddleIm, h - 1);
        if (count == 1)
        {
            for (nuint s = 0; s < n; s += 2 * half)
                for (nuint j = 0; j < half; j += step)
                    Butterfly(ref re, ref im, s + j, s + j + half, TLanes.Load(ref w1r, j), TLanes.Load(ref w1i, j));
            return;
        }
        ref float w2r = ref Unsafe.Add(ref twiddleRe, 2 * h - 1), w2i = ref Unsafe.Add(ref twiddleIm, 2 * h - 1);
        for (nuint s = 0; s < n; s += 4 * half)
            for (nuint j = 0; j < half; j += step)
            {
                nuint p0 = s + j, p1 = p0 + half, p2 = p1 + half, p3 = p2 + half;
                TLanes r0 = TLanes.Load(ref re, p0), i0 = TLanes.Load(ref im, p0), r1 = TLanes.Load(ref re, p1), i1 = TLanes.Load(ref im, p1);
                TLanes r2 = TLanes.Load(ref re, p2), i2 = TLanes.Load(ref im, p2), r3 = TLanes.Load(ref re, p3), i3 = TLanes.Load(ref im, p3);
                TLanes ar = TLanes.Load(ref w1r, j), ai = TLanes.Load(ref w1i, j);
                InRegisters(ref r0, ref i0, ref r1, ref i1, ar, ai);
                InRegisters(ref r2, ref i2, ref r3, ref i3, ar, ai);
                InRegisters(ref r0, ref i0, ref r2, ref i2, TLanes.Load(ref w2r, j), TLanes.Load(ref w2i, j));
                InRegisters(ref r1, ref i1, ref r3, ref i3, TLanes.Load(ref w2r, j + half), TLanes.Load(ref w2i, j + half));
                TLanes.Store(r0, ref re, p0); TLanes.Store(i0, ref im, p0);
                TLanes.Store(r1, ref re, p1); TLanes.Store(i1, ref im, p1);
                TLanes.Store(r2, ref re, p2); TLanes.Store(i2, ref im, p2);
                TLanes.Store(r3, ref re, p3); TLanes.Store(i3, ref im, p3);
            }
    }

    /// <summary>
    /// The stages h = 1, 2, 4, … below <paramref name="below"/> of a <paramref name="size"/>-point transform before its
    /// bit-reversal (FftPlan's natural-order stages), in one call: stage h is, for each J &lt; h, the butterfly of the runs
    /// of N/2h samples at J · N/h and J · N/h + N/2h under one twiddle, entry h − 1 + J of <paramref name="twiddleRe"/>
    /// (the plan's natural-order table). Each run must be whole vectors of TLanes (N/2h a multiple of its count). The
    /// butterflies, twiddles and their order are those of a call per run, so the bits are too.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static void NaturalStages<TLanes>(ref float re, ref float im, ref float twiddleRe, ref float twiddleIm, int size, int below)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint step = (nuint)TLanes.Count;
        for (int h = 1; h < below && h < size; h <<= 1)
        {
            nuint stride = (nuint)(size / h), run = stride / 2;
            for (int bigJ = 0; bigJ < h; bigJ++)
            {
                TLanes wr = TLanes.Create(Unsafe.Add(ref twiddleRe, h - 1 + bigJ)), wi = TLanes.Create(Unsafe.Add(ref twiddleIm, h - 1 + bigJ));
                nuint a = (nuint)bigJ * stride, b = a + run;
                for (nuint k = 0; k < run; k += step) Butterfly(ref re, ref im, a + k, b + k, wr, wi);
            }
        }
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

    /// <summary>Columns from <paramref name="k"/> of the four rows at <paramref name="a"/>, a + gap, a + 2 gap and a + 3 gap
    /// (rows p … p + 3h of a column pass), in whole vectors of TLanes: stage h's butterflies (rows 0, 1 and 2, 3 under
    /// w1), then stage 2h's (rows 0, 2 under w2 and 1, 3 under w3), each value loaded and stored once for both, as
    /// <see cref="Stages{TLanes}"/> does along a line. The same butterflies in the same order as two calls of
    /// <see cref="Rows{TLanes}"/> per stage, so the same bits. Returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static int RowStages<TLanes>(ref float re, ref float im, int a, int gap, int k, int columns, float w1r, float w1i,
        float w2r, float w2i, float w3r, float w3i)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes c1r = TLanes.Create(w1r), c1i = TLanes.Create(w1i), c2r = TLanes.Create(w2r), c2i = TLanes.Create(w2i);
        TLanes c3r = TLanes.Create(w3r), c3i = TLanes.Create(w3i);
        for (; k + TLanes.Count <= columns; k += TLanes.Count)
        {
            nuint p0 = (nuint)(a + k), p1 = p0 + (nuint)gap, p2 = p1 + (nuint)gap, p3 = p2 + (nuint)gap;
            TLanes r0 = TLanes.Load(ref re, p0), i0 = TLanes.Load(ref im, p0), r1 = TLanes.Load(ref re, p1), i1 = TLanes.Load(ref im, p1);
            TLanes r2 = TLanes.Load(ref re, p2), i2 = TLanes.Load(ref im, p2), r3 = TLanes.Load(ref re, p3), i3 = TLanes.Load(ref im, p3);
            InRegisters(ref r0, ref i0, ref r1, ref i1, c1r, c1i);
            InRegisters(ref r2, ref i2, ref r3, ref i3, c1r, c1i);
            InRegisters(ref r0, ref i0, ref r2, ref i2, c2r, c2i);
            InRegisters(ref r1, ref i1, ref r3, ref i3, c3r, c3i);
            TLanes.Store(r0, ref re, p0); TLanes.Store(i0, ref im, p0);
            TLanes.Store(r1, ref re, p1); TLanes.Store(i1, ref im, p1);
            TLanes.Store(r2, ref re, p2); TLanes.Store(i2, ref im, p2);
            TLanes.Store(r3, ref re, p3); TLanes.Store(i3, ref im, p3);
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
