using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// A cross spectrum whitened in place for phase correlation: each bin divided by its magnitude (plus
/// <see cref="Floor"/>, so an empty bin stays 0), and with a taper by m / taper[i], so the whitened bin is weighted by
/// the taper. The square root and the divisions are IEEE-exact in every lane (no reciprocal estimate, no fused
/// multiply-add), in the scalar loop's order, so every width gives its result to the bit. Written once over
/// <see cref="IFloatLanes{TSelf}"/>; the motion tracker whitens five 128² spectra a frame.
/// </summary>
public static class SpectrumWhitening
{
    /// <summary>Added to every magnitude before the division.</summary>
    public const float Floor = 1e-12f;

    /// <param name="re">Real parts, whitened in place.</param>
    /// <param name="im">Imaginary parts (as long as <paramref name="re"/>).</param>
    /// <param name="taper">Per-bin weights (at least as long), or empty for none.</param>
    /// <param name="width">Vector width (every width gives the same bits).</param>
    public static void Apply(Span<float> re, Span<float> im, ReadOnlySpan<float> taper, VectorWidth width = VectorWidth.Auto)
    {
        int n = re.Length;
        bool tapered = !taper.IsEmpty;
        if (im.Length != n || (tapered && taper.Length < n)) throw new ArgumentException("The spectrum's parts and taper differ in length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float r = ref MemoryMarshal.GetReference(re);
        ref float q = ref MemoryMarshal.GetReference(im);
        ref float t = ref MemoryMarshal.GetReference(taper);
        int i = 0;
        if (width == VectorWidth.V512) i = Run<Lanes512>(ref r, ref q, ref t, tapered, i, n);
        if (width >= VectorWidth.V256) i = Run<Lanes256>(ref r, ref q, ref t, tapered, i, n);
        if (width >= VectorWidth.V128) i = Run<Lanes128>(ref r, ref q, ref t, tapered, i, n);
        Run<Lanes1>(ref r, ref q, ref t, tapered, i, n);
    }

    /// <summary>The loop <see cref="Apply"/> is tested against.</summary>
    public static void ApplyScalarReference(Span<float> re, Span<float> im, ReadOnlySpan<float> taper)
    {
        for (int i = 0; i < re.Length; i++)
        {
            float m = MathF.Sqrt(re[i] * re[i] + im[i] * im[i]) + Floor;
            if (!taper.IsEmpty) m /= taper[i];
            re[i] /= m;
            im[i] /= m;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Run<TLanes>(ref float r, ref float q, ref float t, bool tapered, int i, int n) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes floor = TLanes.Create(Floor);
        for (; i + TLanes.Count <= n; i += TLanes.Count)
        {
            var at = (nuint)i;
            TLanes a = TLanes.Load(ref r, at), b = TLanes.Load(ref q, at);
            TLanes m = TLanes.Sqrt(a * a + b * b) + floor;
            if (tapered) m /= TLanes.Load(ref t, at);
            TLanes.Store(a / m, ref r, at);
            TLanes.Store(b / m, ref q, at);
        }
        return i;
    }
}
