using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// Radix-2 decimation-in-time complex FFT of one power-of-two size on split (re, im) arrays.
/// Twiddles are stored per stage contiguously (stage with half-length h keeps h entries), so a stage's
/// butterflies are a plain element-wise loop over j that vectorises across bins (<see cref="Radix2"/>,
/// written once for every width): every width runs the same arithmetic in the same order as the scalar
/// loop and gives the scalar result to the bit.
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
        ref float pr = ref MemoryMarshal.GetReference(re);
        ref float pi = ref MemoryMarshal.GetReference(im);
        // One width per stage: stage h has h butterflies per block, so a width runs it whole when its
        // lane count divides h, and the first stages (h < lanes) run on single lanes.
        for (int h = 1; h < Size; h <<= 1)
        {
            ref float wr = ref _twRe[h - 1];
            ref float wi = ref _twIm[h - 1];
            if (width == VectorWidth.V512 && h >= Lanes512.Count) Radix2.Stage<Lanes512>(ref pr, ref pi, ref wr, ref wi, Size, h);
            else if (width >= VectorWidth.V256 && h >= Lanes256.Count) Radix2.Stage<Lanes256>(ref pr, ref pi, ref wr, ref wi, Size, h);
            else if (width >= VectorWidth.V128 && h >= Lanes128.Count) Radix2.Stage<Lanes128>(ref pr, ref pi, ref wr, ref wi, Size, h);
            else Radix2.Stage<Lanes1>(ref pr, ref pi, ref wr, ref wi, Size, h);
        }
    }
}
