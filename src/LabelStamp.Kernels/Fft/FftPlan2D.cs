namespace LabelStamp.Kernels.Fft;

/// <summary>
/// Square power-of-two 2-D complex FFT on split (re, im) row-major N × N arrays, built on
/// <see cref="FftPlan"/>'s SIMD line transform: rows, an in-place blocked transpose, rows again and
/// the transpose back, so every line transform runs on contiguous memory (no strided column copies).
/// The inverse is scaled by 1/N² (each line inverse scales by 1/N). Immutable; share freely.
/// </summary>
public sealed class FftPlan2D
{
    private const int TransposeBlock = 32;
    private readonly FftPlan _line;

    public FftPlan2D(int size) => _line = new FftPlan(size);

    public int Size => _line.Size;

    /// <summary>In-place forward 2-D transform. Rows at or beyond <paramref name="nonZeroRows"/> must be
    /// zero (zero-padded input): their row transforms are skipped.</summary>
    public void Forward(float[] re, float[] im, int nonZeroRows = int.MaxValue, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        for (int y = 0; y < Math.Min(n, nonZeroRows); y++) _line.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
        for (int y = 0; y < n; y++) _line.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
    }

    /// <summary>
    /// Forward transform that leaves the spectrum transposed (S[kx, ky] at row kx), saving the last
    /// transpose. Element-wise spectral products (power, cross-power) do not care, and
    /// <see cref="InverseTransposed"/> brings the result back in the normal orientation, because the
    /// 2-D DFT commutes with transposition: rows, transpose, rows of Sᵀ is the inverse of S itself.
    /// </summary>
    public void ForwardTransposed(float[] re, float[] im, int nonZeroRows = int.MaxValue, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        for (int y = 0; y < Math.Min(n, nonZeroRows); y++) _line.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
        for (int y = 0; y < n; y++) _line.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
    }

    /// <summary>Inverse (scaled by 1/N²) of a spectrum given transposed, as <see cref="ForwardTransposed"/>
    /// leaves it; the result is in the normal orientation.</summary>
    public void InverseTransposed(float[] re, float[] im, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        for (int y = 0; y < n; y++) _line.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
        for (int y = 0; y < n; y++) _line.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
    }

    /// <summary>In-place inverse 2-D transform including the 1/N² scale.</summary>
    public void Inverse(float[] re, float[] im, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        for (int y = 0; y < n; y++) _line.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
        for (int y = 0; y < n; y++) _line.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Transpose(re, n); Transpose(im, n);
    }

    private void Check(float[] re, float[] im)
    {
        int nn = Size * Size;
        if (re.Length < nn || im.Length < nn) throw new ArgumentException($"2-D FFT plan is for {Size} × {Size} points");
    }

    /// <summary>In-place square transpose by tiles, so both the read and the write side stay in cache.</summary>
    private static void Transpose(float[] a, int n)
    {
        for (int by = 0; by < n; by += TransposeBlock)
            for (int bx = by; bx < n; bx += TransposeBlock)
            {
                int yEnd = Math.Min(n, by + TransposeBlock), xEnd = Math.Min(n, bx + TransposeBlock);
                for (int y = by; y < yEnd; y++)
                    for (int x = bx == by ? y + 1 : bx; x < xEnd; x++)
                        (a[y * n + x], a[x * n + y]) = (a[x * n + y], a[y * n + x]);
            }
    }
}
