using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// The last stage of a transform of N = 3L points (decimation in time): three L-point transforms Y₀, Y₁, Y₂ of the
/// samples 3j, 3j + 1, 3j + 2 combine at bin k into X[k + qL] = Y₀[k] + W³^q·T₁ + W³^{2q}·T₂ with T₁ = w₁Y₁[k],
/// T₂ = w₂Y₂[k], w₁ = e^(∓2πik/N), w₂ = w₁², W₃ = e^(∓2πi/3). With s = T₁ + T₂ and d = T₁ − T₂:
/// X[k] = Y₀ + s, X[k + L] = Y₀ − s/2 ∓ i·(√3/2)·d, X[k + 2L] = Y₀ − s/2 ± i·(√3/2)·d. Written once over
/// <see cref="IFloatLanes{TSelf}"/>; the bins of a loop are independent and every width does the same multiplies and
/// adds in the same order as <see cref="Lanes1"/> (no fused multiply-add), so any split of a loop into widths gives
/// the scalar result bit for bit. A 768-point autocorrelation (3 · 256) serves the windows of up to 512 px, which
/// otherwise paid the 1024² one.
/// </summary>
internal static class Radix3
{
    /// <summary>√3/2, the imaginary part of W₃ = e^(−2πi/3) (sign flipped): the forward transform's constant.</summary>
    public const float SinThird = 0.8660254037844386f;

    /// <summary>One vector of bins: Y₀, Y₁, Y₂ read at <paramref name="y0"/>, <paramref name="y1"/>,
    /// <paramref name="y2"/> of the source, X[k], X[k + L], X[k + 2L] written at <paramref name="x0"/>,
    /// <paramref name="x1"/>, <paramref name="x2"/> of the destination (every load comes before any store, so the
    /// two may be the same arrays). <paramref name="c"/> is ±√3/2: + forward, − inverse (with conjugate twiddles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<TLanes>(ref float srcRe, ref float srcIm, nuint y0, nuint y1, nuint y2,
        ref float dstRe, ref float dstIm, nuint x0, nuint x1, nuint x2, TLanes w1r, TLanes w1i, TLanes w2r, TLanes w2i, TLanes c)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes ar = TLanes.Load(ref srcRe, y0), ai = TLanes.Load(ref srcIm, y0);
        TLanes br = TLanes.Load(ref srcRe, y1), bi = TLanes.Load(ref srcIm, y1);
        TLanes dr2 = TLanes.Load(ref srcRe, y2), di2 = TLanes.Load(ref srcIm, y2);
        TLanes t1r = br * w1r - bi * w1i, t1i = br * w1i + bi * w1r;
        TLanes t2r = dr2 * w2r - di2 * w2i, t2i = dr2 * w2i + di2 * w2r;
        TLanes sr = t1r + t2r, si = t1i + t2i;
        TLanes dr = t1r - t2r, di = t1i - t2i;
        TLanes half = TLanes.Create(0.5f);
        TLanes mr = ar - half * sr, mi = ai - half * si;
        TLanes er = c * di, ei = c * dr;
        TLanes.Store(ar + sr, ref dstRe, x0);
        TLanes.Store(ai + si, ref dstIm, x0);
        TLanes.Store(mr + er, ref dstRe, x1);
        TLanes.Store(mi - ei, ref dstIm, x1);
        TLanes.Store(mr - er, ref dstRe, x2);
        TLanes.Store(mi + ei, ref dstIm, x2);
    }

    /// <summary>Bins from <paramref name="k"/> of a line transform in whole vectors of TLanes: the three L-point
    /// transforms lie one after the other in the source (0, L, 2L), the twiddles are per bin; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static int Line<TLanes>(ref float srcRe, ref float srcIm, ref float dstRe, ref float dstIm,
        ref float w1Re, ref float w1Im, ref float w2Re, ref float w2Im, int k, int l)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes c = TLanes.Create(SinThird);
        nuint len = (nuint)l;
        for (; k + TLanes.Count <= l; k += TLanes.Count)
        {
            nuint at = (nuint)k;
            Butterfly(ref srcRe, ref srcIm, at, at + len, at + 2 * len, ref dstRe, ref dstIm, at, at + len, at + 2 * len,
                TLanes.Load(ref w1Re, at), TLanes.Load(ref w1Im, at), TLanes.Load(ref w2Re, at), TLanes.Load(ref w2Im, at), c);
        }
        return k;
    }

    /// <summary>Columns from <paramref name="k"/> of three rows starting at <paramref name="a"/>, <paramref name="b"/>,
    /// <paramref name="d"/> (Y₀, Y₁, Y₂ of every column, replaced in place by X[k], X[k + L], X[k + 2L]) in whole
    /// vectors of TLanes under broadcast twiddles; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    public static int Rows<TLanes>(ref float re, ref float im, int a, int b, int d, int k, int columns,
        float w1r, float w1i, float w2r, float w2i, float c)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes c1r = TLanes.Create(w1r), c1i = TLanes.Create(w1i), c2r = TLanes.Create(w2r), c2i = TLanes.Create(w2i), cc = TLanes.Create(c);
        for (; k + TLanes.Count <= columns; k += TLanes.Count)
            Butterfly(ref re, ref im, (nuint)(a + k), (nuint)(b + k), (nuint)(d + k), ref re, ref im, (nuint)(a + k), (nuint)(b + k), (nuint)(d + k),
                c1r, c1i, c2r, c2i, cc);
        return k;
    }
}
