using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// values[i] = (values[i] − mean) · window[i], in place: the mean removal and Hann window before a phase correlation's
/// transform. One subtract and one multiply a lane, as the scalar loop, so every width gives its result to the bit.
/// Written once over <see cref="IFloatLanes{TSelf}"/>; whole vectors of the widest width, then narrower, then single lanes.
/// </summary>
public static class CentredWindow
{
    public static void Apply(Span<float> values, float mean, ReadOnlySpan<float> window, VectorWidth width = VectorWidth.Auto)
    {
        int n = values.Length;
        if (window.Length < n) throw new ArgumentException("The window is shorter than the values.", nameof(window));
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float w = ref MemoryMarshal.GetReference(window);
        int i = 0;
        if (width == VectorWidth.V512) i = Run<Lanes512>(ref v, ref w, mean, i, n);
        if (width >= VectorWidth.V256) i = Run<Lanes256>(ref v, ref w, mean, i, n);
        if (width >= VectorWidth.V128) i = Run<Lanes128>(ref v, ref w, mean, i, n);
        Run<Lanes1>(ref v, ref w, mean, i, n);
    }

    /// <summary>The loop <see cref="Apply"/> is tested against.</summary>
    public static void ApplyScalarReference(Span<float> values, float mean, ReadOnlySpan<float> window)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) * window[i];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int Run<TLanes>(ref float v, ref float w, float mean, int i, int n) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes m = TLanes.Create(mean);
        for (; i + TLanes.Count <= n; i += TLanes.Count)
            TLanes.Store((TLanes.Load(ref v, (nuint)i) - m) * TLanes.Load(ref w, (nuint)i), ref v, (nuint)i);
        return i;
    }
}
