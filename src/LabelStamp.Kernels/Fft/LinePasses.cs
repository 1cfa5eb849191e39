using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// The element-wise passes around the transforms that were scalar loops: the inverse's conjugation and 1/N scale
/// (<see cref="FftPlan.Inverse"/>, the 2-D column pass), and the real-input autocorrelation's split of one complex
/// row transform into two Hermitian rows and its rebuild before the inverse (<see cref="FftPlan2D.Autocorrelate"/>).
/// Each is written once over <see cref="IFloatLanes{TSelf}"/> with the same expression per element as the scalar
/// loop it replaces, so every width (and the <see cref="Lanes1"/> tail) gives that loop's bits: a negation is a
/// product by −1 (exact, and −0 stays −0 as the unary minus gives it), and bin N − k of a row is read as a run
/// backwards and its lanes reversed (a permutation). Measured: these loops were 30-40 % of a 1024² autocorrelation
/// (bench/WATERMARK.md, twelfth step).
/// </summary>
public static class LinePasses
{
    /// <summary>x[i] ← x[i] · s over the span, widest width first, single lanes for the ragged end.</summary>
    public static void Scale(Span<float> x, float s, VectorWidth width)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int n = x.Length, k = 0;
        if (width == VectorWidth.V512) k = Scale<Lanes512>(ref p, k, n, s);
        if (width >= VectorWidth.V256) k = Scale<Lanes256>(ref p, k, n, s);
        if (width >= VectorWidth.V128) k = Scale<Lanes128>(ref p, k, n, s);
        Scale<Lanes1>(ref p, k, n, s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Scale<TLanes>(ref float p, int k, int n, float s) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes f = TLanes.Create(s);
        for (; k + TLanes.Count <= n; k += TLanes.Count) TLanes.Store(TLanes.Load(ref p, (nuint)k) * f, ref p, (nuint)k);
        return k;
    }

    /// <summary>
    /// The split of Z = FFT(a + i·b) into the half spectra of the two real rows, bins 1 … N/2 − 1 (bins 0 and N/2
    /// pair with themselves and stay with the caller): A[k] = (Z[k] + Z̄[N−k]) / 2 into (ar, ai), B[k] =
    /// (Z[k] − Z̄[N−k]) / 2i into (br, bi), each as the scalar loop wrote it. Bins N − k (above N/2) are only read.
    /// </summary>
    public static void SplitHermitian(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi, VectorWidth width)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int n = ar.Length, end = n / 2, k = 1;
        ref float zr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(ar);
        ref float zi = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(ai);
        ref float pbr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(br);
        ref float pbi = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bi);
        if (width == VectorWidth.V512) k = Split<Lanes512>(ref zr, ref zi, ref pbr, ref pbi, k, end, n);
        if (width >= VectorWidth.V256) k = Split<Lanes256>(ref zr, ref zi, ref pbr, ref pbi, k, end, n);
        if (width >= VectorWidth.V128) k = Split<Lanes128>(ref zr, ref zi, ref pbr, ref pbi, k, end, n);
        Split<Lanes1>(ref zr, ref zi, ref pbr, ref pbi, k, end, n);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Split<TLanes>(ref float ar, ref float ai, ref float br, ref float bi, int k, int end, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes half = TLanes.Create(0.5f);
        for (; k + TLanes.Count <= end; k += TLanes.Count)
        {
            // Bins N − k − Count + 1 … N − k, reversed: lane j holds bin N − (k + j).
            nuint m = (nuint)(n - k - TLanes.Count + 1), at = (nuint)k;
            TLanes wr = TLanes.Reverse(TLanes.Load(ref ar, m)), wi = TLanes.Reverse(TLanes.Load(ref ai, m));
            TLanes zr = TLanes.Load(ref ar, at), zi = TLanes.Load(ref ai, at);
            TLanes.Store(half * (zi + wi), ref br, at);
            TLanes.Store(half * (wr - zr), ref bi, at);
            TLanes.Store(half * (zr + wr), ref ar, at);
            TLanes.Store(half * (zi - wi), ref ai, at);
        }
        return k;
    }

    /// <summary>
    /// The inverse's rebuild of Z = A + i·B from the two half spectra, bins N/2 + 1 … N − 1 from their mirrors
    /// (A[k] = Ā[N−k], B[k] = B̄[N−k]): ar[k] = ar[N−k] + bi[N−k], ai[k] = br[N−k] − ai[N−k]; then bins 0 … N/2 in
    /// place: (ar, ai) ← (ar − bi, ai + br). The upper half is written first, from the lower half it reads.
    /// </summary>
    public static void JoinHermitian(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi, VectorWidth width)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int n = ar.Length, half = n / 2;
        ref float pr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(ar);
        ref float pi = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(ai);
        ref float qr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(br);
        ref float qi = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bi);
        int k = half + 1;
        if (width == VectorWidth.V512) k = Mirror<Lanes512>(ref pr, ref pi, ref qr, ref qi, k, n);
        if (width >= VectorWidth.V256) k = Mirror<Lanes256>(ref pr, ref pi, ref qr, ref qi, k, n);
        if (width >= VectorWidth.V128) k = Mirror<Lanes128>(ref pr, ref pi, ref qr, ref qi, k, n);
        Mirror<Lanes1>(ref pr, ref pi, ref qr, ref qi, k, n);
        k = 0;
        if (width == VectorWidth.V512) k = Combine<Lanes512>(ref pr, ref pi, ref qr, ref qi, k, half + 1);
        if (width >= VectorWidth.V256) k = Combine<Lanes256>(ref pr, ref pi, ref qr, ref qi, k, half + 1);
        if (width >= VectorWidth.V128) k = Combine<Lanes128>(ref pr, ref pi, ref qr, ref qi, k, half + 1);
        Combine<Lanes1>(ref pr, ref pi, ref qr, ref qi, k, half + 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Mirror<TLanes>(ref float ar, ref float ai, ref float br, ref float bi, int k, int n)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (; k + TLanes.Count <= n; k += TLanes.Count)
        {
            nuint m = (nuint)(n - k - TLanes.Count + 1), at = (nuint)k;
            TLanes xr = TLanes.Reverse(TLanes.Load(ref ar, m)), xi = TLanes.Reverse(TLanes.Load(ref ai, m));
            TLanes yr = TLanes.Reverse(TLanes.Load(ref br, m)), yi = TLanes.Reverse(TLanes.Load(ref bi, m));
            TLanes.Store(xr + yi, ref ar, at);
            TLanes.Store(yr - xi, ref ai, at);
        }
        return k;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Combine<TLanes>(ref float ar, ref float ai, ref float br, ref float bi, int k, int end)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        for (; k + TLanes.Count <= end; k += TLanes.Count)
        {
            nuint at = (nuint)k;
            TLanes xr = TLanes.Load(ref ar, at) - TLanes.Load(ref bi, at), xi = TLanes.Load(ref ai, at) + TLanes.Load(ref br, at);
            TLanes.Store(xr, ref ar, at);
            TLanes.Store(xi, ref ai, at);
        }
        return k;
    }

    /// <summary>
    /// The power spectrum of one row in place, (re, im) ← (re·re + im·im, im·re − re·im) as <see cref="CrossPower"/>
    /// gives it for a spectrum against itself, and <paramref name="total"/> plus every power, added one after the
    /// other in index order in double precision: the notch's mean (<see cref="FftPlan2D"/>), whose sum the caller
    /// used to take in a second pass over the whole spectrum. The sum is one long chain of dependent adds; a vector
    /// of powers is added right after it is made, so the products of the next vectors run under the chain's latency
    /// instead of after it. The order of the adds is the scalar loop's, so the total's bits are too.
    /// </summary>
    public static double PowerAndTotal(Span<float> re, Span<float> im, double total, VectorWidth width)
    {
        if (im.Length != re.Length) throw new ArgumentException("re and im must have the same length");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float pr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(re);
        ref float pi = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(im);
        int n = re.Length, k = 0;
        if (width == VectorWidth.V512) k = PowerAndTotal<Lanes512>(ref pr, ref pi, k, n, ref total);
        if (width >= VectorWidth.V256) k = PowerAndTotal<Lanes256>(ref pr, ref pi, k, n, ref total);
        if (width >= VectorWidth.V128) k = PowerAndTotal<Lanes128>(ref pr, ref pi, k, n, ref total);
        PowerAndTotal<Lanes1>(ref pr, ref pi, k, n, ref total);
        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int PowerAndTotal<TLanes>(ref float re, ref float im, int k, int n, ref double total) where TLanes : struct, IFloatLanes<TLanes>
    {
        double t = total;
        for (; k + TLanes.Count <= n; k += TLanes.Count)
        {
            nuint at = (nuint)k;
            TLanes xr = TLanes.Load(ref re, at), xi = TLanes.Load(ref im, at);
            TLanes.Store(xr * xr + xi * xi, ref re, at);
            TLanes.Store(xi * xr - xr * xi, ref im, at);
            for (int j = 0; j < TLanes.Count; j++) t += System.Runtime.CompilerServices.Unsafe.Add(ref re, k + j);
        }
        total = t;
        return k;
    }

    /// <summary>x[i] ← 0 where x[i] &gt; <paramref name="cap"/> (the notch's removal of the strongest frequencies).</summary>
    public static void ZeroAbove(Span<float> x, float cap, VectorWidth width)
    {
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int n = x.Length, k = 0;
        if (width == VectorWidth.V512) k = ZeroAbove<Lanes512>(ref p, k, n, cap);
        if (width >= VectorWidth.V256) k = ZeroAbove<Lanes256>(ref p, k, n, cap);
        if (width >= VectorWidth.V128) k = ZeroAbove<Lanes128>(ref p, k, n, cap);
        ZeroAbove<Lanes1>(ref p, k, n, cap);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int ZeroAbove<TLanes>(ref float p, int k, int n, float cap) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes limit = TLanes.Create(cap);
        for (; k + TLanes.Count <= n; k += TLanes.Count) TLanes.Store(TLanes.ZeroAbove(TLanes.Load(ref p, (nuint)k), limit), ref p, (nuint)k);
        return k;
    }

    /// <summary>The loops <see cref="PowerAndTotal"/> replaced (<see cref="CrossPower.ApplyScalarReference"/> of the row
    /// with itself, then the notch's sum), for the tests.</summary>
    public static double PowerAndTotalScalarReference(Span<float> re, Span<float> im, double total)
    {
        CrossPower.ApplyScalarReference(re, im, re, im, re, im);
        foreach (float v in re) total += v;
        return total;
    }

    /// <summary>The notch's loop <see cref="ZeroAbove"/> replaced, for the tests.</summary>
    public static void ZeroAboveScalarReference(Span<float> x, float cap)
    {
        for (int k = 0; k < x.Length; k++) if (x[k] > cap) x[k] = 0;
    }

    /// <summary>The loop <see cref="Scale"/> replaced, for the tests: x[i] *= s.</summary>
    public static void ScaleScalarReference(Span<float> x, float s)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= s;
    }

    /// <summary>The negation <see cref="FftPlan.Inverse"/> did before, for the tests: x[i] = −x[i].</summary>
    public static void NegateScalarReference(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = -x[i];
    }

    /// <summary>The loop <see cref="SplitHermitian"/> replaced (bins 1 … N/2 − 1), for the tests.</summary>
    public static void SplitHermitianScalarReference(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi)
    {
        int n = ar.Length;
        for (int k = 1; k < n / 2; k++)
        {
            int nk = n - k;
            float zr = ar[k], zi = ai[k], wr = ar[nk], wi = ai[nk];
            br[k] = 0.5f * (zi + wi); bi[k] = 0.5f * (wr - zr);
            ar[k] = 0.5f * (zr + wr); ai[k] = 0.5f * (zi - wi);
        }
    }

    /// <summary>The two loops <see cref="JoinHermitian"/> replaced, for the tests.</summary>
    public static void JoinHermitianScalarReference(Span<float> ar, Span<float> ai, Span<float> br, Span<float> bi)
    {
        int n = ar.Length, half = n / 2;
        for (int k = half + 1; k < n; k++)
        {
            int nk = n - k;
            ar[k] = ar[nk] + bi[nk];
            ai[k] = br[nk] - ai[nk];
        }
        for (int k = 0; k <= half; k++)
        {
            float xr = ar[k] - bi[k], xi = ai[k] + br[k];
            ar[k] = xr; ai[k] = xi;
        }
    }
}
