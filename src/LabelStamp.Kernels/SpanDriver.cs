using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The one loop behind every element-wise kernel: picks a width, runs whole vectors, and covers the
/// ragged tail with one overlapping last vector instead of a scalar remainder loop. The tail vector is
/// loaded before the main loop writes anything, so the driver is safe when the destination aliases
/// an input (in-place blending).
/// </summary>
public static class SpanDriver
{
    /// <summary>The width <see cref="VectorWidth.Auto"/> resolves to on this machine and process.</summary>
    public static VectorWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? VectorWidth.V512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.V256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.V128 : VectorWidth.Scalar;

    /// <summary>dest[i] = TOp(x[i], y[i], z[i]); dest may be x, y or z itself.</summary>
    public static void Apply<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> dest,
        VectorWidth width = VectorWidth.Auto)
        where T : unmanaged
        where TOp : ITernaryOperator<T>
    {
        int n = dest.Length;
        if (x.Length != n || y.Length != n || z.Length != n)
            throw new ArgumentException("All spans of an element-wise kernel must have the same length.");
        if (width == VectorWidth.Auto) width = BestWidth;

        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        ref T pz = ref MemoryMarshal.GetReference(z);
        ref T pd = ref MemoryMarshal.GetReference(dest);

        if (width == VectorWidth.V512 && n >= Vector512<T>.Count)
        {
            int step = Vector512<T>.Count, last = n - step;
            Vector512<T> tail = TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)last),
                Vector512.LoadUnsafe(ref py, (nuint)last), Vector512.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i), Vector512.LoadUnsafe(ref py, (nuint)i),
                    Vector512.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V256 && n >= Vector256<T>.Count)
        {
            int step = Vector256<T>.Count, last = n - step;
            Vector256<T> tail = TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)last),
                Vector256.LoadUnsafe(ref py, (nuint)last), Vector256.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i),
                    Vector256.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        if (width >= VectorWidth.V128 && n >= Vector128<T>.Count)
        {
            int step = Vector128<T>.Count, last = n - step;
            Vector128<T> tail = TOp.Invoke(Vector128.LoadUnsafe(ref px, (nuint)last),
                Vector128.LoadUnsafe(ref py, (nuint)last), Vector128.LoadUnsafe(ref pz, (nuint)last));
            for (int i = 0; i < last; i += step)
                TOp.Invoke(Vector128.LoadUnsafe(ref px, (nuint)i), Vector128.LoadUnsafe(ref py, (nuint)i),
                    Vector128.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            tail.StoreUnsafe(ref pd, (nuint)last);
            return;
        }
        for (int i = 0; i < n; i++)
            Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i), Unsafe.Add(ref pz, i));
    }
}
