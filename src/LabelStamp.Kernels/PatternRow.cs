using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// One row of a separable watermark pattern as the signed-byte tile <see cref="MarkAdd"/> adds:
/// dest[i] = clamp(round(profile[i] · scale), −127, 127), rounding half to even. A pattern that is a
/// product of a column profile and a row weight (the video mark's sin² bumps) then costs one of these per
/// row instead of a multiply and a round per pixel in double precision (issue 18: the glued mark is
/// redrawn every frame, 7–40 ms at 540p–1080p before). Each vector step converts four float vectors to
/// one byte vector; the ragged end is one overlapping last step (the output never aliases the input).
/// The float multiply and the round are the same operations on every width, so every width equals
/// <see cref="ScaleScalarReference"/> to the bit. The profile must be finite.
/// </summary>
public static class PatternRow
{
    public static void Scale(ReadOnlySpan<float> profile, float scale, Span<byte> dest, VectorWidth width = VectorWidth.Auto)
    {
        int n = dest.Length;
        if (profile.Length != n) throw new ArgumentException("The profile and the destination row must have the same length.");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref float p = ref MemoryMarshal.GetReference(profile);
        ref byte d = ref MemoryMarshal.GetReference(dest);
        if (width == VectorWidth.V512 && n >= Vector512<byte>.Count) { Body512(ref p, scale, ref d, n); return; }
        if (width >= VectorWidth.V256 && n >= Vector256<byte>.Count) { Body256(ref p, scale, ref d, n); return; }
        if (width >= VectorWidth.V128 && n >= Vector128<byte>.Count) { Body128(ref p, scale, ref d, n); return; }
        for (int i = 0; i < n; i++) Unsafe.Add(ref d, i) = One(Unsafe.Add(ref p, i), scale);
    }

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void ScaleScalarReference(ReadOnlySpan<float> profile, float scale, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
            dest[i] = (byte)(sbyte)Math.Clamp(MathF.Round(profile[i] * scale, MidpointRounding.ToEven), -127f, 127f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte One(float v, float scale) => (byte)(sbyte)Math.Clamp(MathF.Round(v * scale), -127f, 127f);

    private static void Body128(ref float p, float scale, ref byte d, int n)
    {
        int step = Vector128<byte>.Count, q = Vector128<float>.Count, last = n - step;
        var s = Vector128.Create(scale);
        for (int i = 0; ; i += step)
        {
            if (i > last) i = last;
            var a = Vector128.Narrow(Convert128(ref p, i, s), Convert128(ref p, i + q, s));
            var b = Vector128.Narrow(Convert128(ref p, i + 2 * q, s), Convert128(ref p, i + 3 * q, s));
            Vector128.Narrow(a, b).AsByte().StoreUnsafe(ref d, (nuint)i);
            if (i == last) return;
        }
    }

    private static void Body256(ref float p, float scale, ref byte d, int n)
    {
        int step = Vector256<byte>.Count, q = Vector256<float>.Count, last = n - step;
        var s = Vector256.Create(scale);
        for (int i = 0; ; i += step)
        {
            if (i > last) i = last;
            var a = Vector256.Narrow(Convert256(ref p, i, s), Convert256(ref p, i + q, s));
            var b = Vector256.Narrow(Convert256(ref p, i + 2 * q, s), Convert256(ref p, i + 3 * q, s));
            Vector256.Narrow(a, b).AsByte().StoreUnsafe(ref d, (nuint)i);
            if (i == last) return;
        }
    }

    private static void Body512(ref float p, float scale, ref byte d, int n)
    {
        int step = Vector512<byte>.Count, q = Vector512<float>.Count, last = n - step;
        var s = Vector512.Create(scale);
        for (int i = 0; ; i += step)
        {
            if (i > last) i = last;
            var a = Vector512.Narrow(Convert512(ref p, i, s), Convert512(ref p, i + q, s));
            var b = Vector512.Narrow(Convert512(ref p, i + 2 * q, s), Convert512(ref p, i + 3 * q, s));
            Vector512.Narrow(a, b).AsByte().StoreUnsafe(ref d, (nuint)i);
            if (i == last) return;
        }
    }

    // Clamped in float before the conversion: Narrow truncates, and an out-of-range float converts
    // differently per instruction set.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Convert128(ref float p, int at, Vector128<float> s) =>
        Vector128.ConvertToInt32(Vector128.Clamp(Vector128.Round(Vector128.LoadUnsafe(ref p, (nuint)at) * s), Vector128.Create(-127f), Vector128.Create(127f)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Convert256(ref float p, int at, Vector256<float> s) =>
        Vector256.ConvertToInt32(Vector256.Clamp(Vector256.Round(Vector256.LoadUnsafe(ref p, (nuint)at) * s), Vector256.Create(-127f), Vector256.Create(127f)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Convert512(ref float p, int at, Vector512<float> s) =>
        Vector512.ConvertToInt32(Vector512.Clamp(Vector512.Round(Vector512.LoadUnsafe(ref p, (nuint)at) * s), Vector512.Create(-127f), Vector512.Create(127f)));
}
