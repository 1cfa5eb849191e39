using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// Radix-2 decimation-in-time complex FFT of one power-of-two size on split (re, im) arrays.
/// Twiddles are stored per stage contiguously (stage with half-length h keeps h entries), so a stage's
/// butterflies are a plain element-wise loop over j that vectorises across bins: every width runs
/// the same arithmetic in the same order as the scalar loop and gives the scalar result to the bit.
/// Immutable after construction, so one plan can be shared by threads.
/// </summary>
public sealed class FftPlan
{
    private readonly int[] _bitReverse;
    private readonly float[] _twRe;   // stage h: entries [h-1, 2h-1)
    private readonly float[] _twIm;

    public FftPlan(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size), "FFT size must be a power of two ≥ 2");
        Size = size;
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        _bitReverse = new int[size];
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _twRe = new float[size];
        _twIm = new float[size];
        for (int h = 1; h < size; h <<= 1)
            for (int j = 0; j < h; j++)
            {
                double a = -Math.PI * j / h;
                _twRe[h - 1 + j] = (float)Math.Cos(a);
                _twIm[h - 1 + j] = (float)Math.Sin(a);
            }
    }

    public int Size { get; }

    /// <summary>Bit-reversal permutation and twiddles (stage h: entries [h − 1, 2h − 1), forward sign),
    /// shared with <see cref="FftPlan2D"/>, whose column passes use the same ones.</summary>
    internal ReadOnlySpan<int> BitReverse => _bitReverse;
    internal ReadOnlySpan<float> TwiddleRe => _twRe;
    internal ReadOnlySpan<float> TwiddleIm => _twIm;

    /// <summary>In-place forward transform X[k] = Σ x[n]·e^(−2πikn/N).</summary>
    public void Forward(Span<float> re, Span<float> im, VectorWidth width = VectorWidth.Auto) => Run(re, im, width);

    /// <summary>In-place inverse transform including the 1/N scale (conjugate trick: conj(FFT(conj(X)))/N).</summary>
    public void Inverse(Span<float> re, Span<float> im, VectorWidth width = VectorWidth.Auto)
    {
        Negate(im);
        Run(re, im, width);
        float s = 1f / Size;
        for (int i = 0; i < Size; i++) { re[i] *= s; im[i] = -im[i] * s; }
    }

    private static void Negate(Span<float> v)
    {
        for (int i = 0; i < v.Length; i++) v[i] = -v[i];
    }

    private void Run(Span<float> re, Span<float> im, VectorWidth width)
    {
        if (re.Length != Size || im.Length != Size) throw new ArgumentException($"FFT plan is for {Size} points");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        for (int i = 0; i < Size; i++)
        {
            int j = _bitReverse[i];
            if (j > i) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        for (int h = 1; h < Size; h <<= 1)
        {
            var wr = _twRe.AsSpan(h - 1, h);
            var wi = _twIm.AsSpan(h - 1, h);
            for (int s = 0; s < Size; s += 2 * h)
            {
                if (h >= Vector128<float>.Count)
                {
                    SpanDriver.ApplyButterfly<RadixTwoButterfly>(re.Slice(s, h), im.Slice(s, h), re.Slice(s + h, h), im.Slice(s + h, h), wr, wi, width);
                    continue;
                }
                // Stages of 1- and 2-point halves: the same butterfly inline, cheaper than a driver call per group.
                for (int j = 0; j < h; j++)
                {
                    int a = s + j, b = a + h;
                    (re[a], im[a], re[b], im[b]) = RadixTwoButterfly.Invoke(re[a], im[a], re[b], im[b], wr[j], wi[j]);
                }
            }
        }
    }
}
