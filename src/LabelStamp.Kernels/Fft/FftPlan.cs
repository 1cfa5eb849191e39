using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// Radix-2 decimation-in-time complex FFT of one power-of-two size on split (re, im) arrays, or of three times a
/// power of two (3L points: three L-point transforms of the samples 3j + r, then one radix-3 stage, <see cref="Radix3"/>).
/// Twiddles are stored per stage contiguously (stage with half-length h keeps h entries), so a stage's
/// butterflies are a plain element-wise loop over j that vectorises across bins (<see cref="Radix2"/>,
/// written once for every width): every width runs the same arithmetic in the same order as the scalar
/// loop and gives the scalar result to the bit.
/// Immutable after construction, so one plan can be shared by threads.
/// </summary>
public sealed class FftPlan
{
    private readonly int[] _bitReverse;
    /// <summary>The bit-reversal permutation as its swaps (i, j), i &lt; j, flattened: a row's reordering walks these
    /// instead of testing every index (an involution, so the swaps are disjoint and their order does not matter).</summary>
    private readonly int[] _swaps;
    private readonly float[] _twRe;   // stage h: entries [h-1, 2h-1)
    private readonly float[] _twIm;
    /// <summary>The stages run in natural order (<see cref="NaturalOrderStage"/>), h &lt; <see cref="NaturalStagesBelow"/>:
    /// entry h − 1 + J is the twiddle of run pair J of stage h, the stage's twiddle j with j the bits of J reversed.</summary>
    private readonly float[] _naturalRe = [], _naturalIm = [];

    /// <summary>The widest lane count (Vector512 floats): stages below it may run in natural order.</summary>
    private const int NaturalStagesBelow = 16;
    /// <summary>For N = 3L: the L-point plan and the radix-3 stage's twiddles e^(−2πik/N) and e^(−2πi·2k/N), k &lt; L.</summary>
    private readonly FftPlan? _third;
    private readonly float[] _w1Re = [], _w1Im = [], _w2Re = [], _w2Im = [];

    public FftPlan(int size)
    {
        if (size >= 6 && size % 3 == 0 && IsPowerOfTwo(size / 3))
        {
            Size = size;
            int l = size / 3;
            _third = new FftPlan(l);
            _bitReverse = _swaps = [];
            _twRe = _twIm = [];
            _w1Re = new float[l]; _w1Im = new float[l]; _w2Re = new float[l]; _w2Im = new float[l];
            for (int k = 0; k < l; k++)
            {
                double a = -2 * Math.PI * k / size;
                _w1Re[k] = (float)Math.Cos(a); _w1Im[k] = (float)Math.Sin(a);
                _w2Re[k] = (float)Math.Cos(2 * a); _w2Im[k] = (float)Math.Sin(2 * a);
            }
            return;
        }
        if (size < 2 || !IsPowerOfTwo(size)) throw new ArgumentOutOfRangeException(nameof(size), "FFT size must be a power of two ≥ 2 or three times one");
        Size = size;
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        _bitReverse = new int[size];
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        var swaps = new List<int>();
        for (int i = 0; i < size; i++)
            if (_bitReverse[i] > i) { swaps.Add(i); swaps.Add(_bitReverse[i]); }
        _swaps = swaps.ToArray();
        _twRe = new float[size];
        _twIm = new float[size];
        for (int h = 1; h < size; h <<= 1)
            for (int j = 0; j < h; j++)
            {
                double a = -Math.PI * j / h;
                _twRe[h - 1 + j] = (float)Math.Cos(a);
                _twIm[h - 1 + j] = (float)Math.Sin(a);
            }
        _naturalRe = new float[NaturalStagesBelow];
        _naturalIm = new float[NaturalStagesBelow];
        for (int h = 1; h < Math.Min(size, NaturalStagesBelow); h <<= 1)
            for (int bigJ = 0; bigJ < h; bigJ++)
            {
                int j = _bitReverse[bigJ * (size / h)];
                _naturalRe[h - 1 + bigJ] = _twRe[h - 1 + j];
                _naturalIm[h - 1 + bigJ] = _twIm[h - 1 + j];
            }
    }

    public int Size { get; }

    private static bool IsPowerOfTwo(int n) => n >= 2 && (n & (n - 1)) == 0;

    /// <summary>For N = 3L, the L-point plan (whose bit-reversal and twiddles drive the 2-D column passes of each third),
    /// else null.</summary>
    internal FftPlan? Third => _third;

    /// <summary>The radix-3 stage's twiddle for bin k &lt; L: e^(−2πik/N) (1) and e^(−2πi·2k/N) (2).</summary>
    internal (float W1Re, float W1Im, float W2Re, float W2Im) ThirdTwiddle(int k) => (_w1Re[k], _w1Im[k], _w2Re[k], _w2Im[k]);

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
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        // In lanes (LinePasses): −x as x · −1, bit for bit the negation, and −x · s as (x · −1) · s.
        LinePasses.Scale(im, -1f, width);
        Run(re, im, width);
        float s = 1f / Size;
        LinePasses.Scale(re, s, width);
        LinePasses.Scale(im, -1f, width);
        LinePasses.Scale(im, s, width);
    }

    private void Run(Span<float> re, Span<float> im, VectorWidth width)
    {
        if (re.Length != Size || im.Length != Size) throw new ArgumentException($"FFT plan is for {Size} points");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        if (_third is not null)
        {
            RunThirds(re, im, width);
            return;
        }
        ref float pr = ref MemoryMarshal.GetReference(re);
        ref float pi = ref MemoryMarshal.GetReference(im);
        // The stages narrower than the width's lanes (h < lanes: on 16 lanes the first four of a 256-point row,
        // three quarters of its butterflies) ran on single lanes. Run before the bit-reversal instead, they are
        // whole vectors: see NaturalOrderStage. The scalar path keeps the textbook order; both do the same
        // butterflies on the same values.
        int lanes = width switch { VectorWidth.V512 => Lanes512.Count, VectorWidth.V256 => Lanes256.Count, VectorWidth.V128 => Lanes128.Count, _ => 1 };
        int first = 1;
        if (lanes > 1 && Size >= lanes * lanes)
        {
            // Every run of those stages (N/2h ≥ N/lanes samples) is whole vectors: all of them in one call, where a call per run
            // and width (three per run, two of them with nothing to do) was made for each of a 256-point row's seven runs.
            ref float nr = ref _naturalRe[0], ni = ref _naturalIm[0];
            if (width == VectorWidth.V512) Radix2.NaturalStages<Lanes512>(ref pr, ref pi, ref nr, ref ni, Size, lanes);
            else if (width == VectorWidth.V256) Radix2.NaturalStages<Lanes256>(ref pr, ref pi, ref nr, ref ni, Size, lanes);
            else Radix2.NaturalStages<Lanes128>(ref pr, ref pi, ref nr, ref ni, Size, lanes);
            first = lanes;
        }
        for (; first < lanes && first < Size; first <<= 1) NaturalOrderStage(ref pr, ref pi, first, width);
        ReadOnlySpan<int> swaps = _swaps;
        for (int s = 0; s < swaps.Length; s += 2)
        {
            ref float ri = ref Unsafe.Add(ref pr, swaps[s]), rj = ref Unsafe.Add(ref pr, swaps[s + 1]);
            ref float ii = ref Unsafe.Add(ref pi, swaps[s]), ij = ref Unsafe.Add(ref pi, swaps[s + 1]);
            (ri, rj) = (rj, ri);
            (ii, ij) = (ij, ii);
        }
        // One width per stage: stage h has h butterflies per block, so a width runs it whole when its
        // lane count divides h, and the first stages (h < lanes) run on single lanes. Two stages per pass where two
        // are left (Radix2.Stages: one load and store of each bin for both, the same bits), the last alone.
        ref float wr = ref _twRe[0];
        ref float wi = ref _twIm[0];
        for (int h = first; h < Size; h <<= 1)
        {
            int count = 2 * h < Size ? 2 : 1;
            if (width == VectorWidth.V512 && h >= Lanes512.Count) Radix2.Stages<Lanes512>(ref pr, ref pi, ref wr, ref wi, Size, h, count);
            else if (width >= VectorWidth.V256 && h >= Lanes256.Count) Radix2.Stages<Lanes256>(ref pr, ref pi, ref wr, ref wi, Size, h, count);
            else if (width >= VectorWidth.V128 && h >= Lanes128.Count) Radix2.Stages<Lanes128>(ref pr, ref pi, ref wr, ref wi, Size, h, count);
            else Radix2.Stages<Lanes1>(ref pr, ref pi, ref wr, ref wi, Size, h, count);
            h <<= count - 1;
        }
    }

    /// <summary>
    /// Stage h of the decimation-in-time transform done on the input before its bit-reversal permutation π. After π,
    /// the stage pairs position p = s + j (bit log₂h of p clear, j &lt; h) with p + h under twiddle j. Those positions
    /// hold input samples π(p) and π(p + h) = π(p) + N/2h, and π(p) = J · N/h + l with J the bits of j reversed and
    /// l &lt; N/2h. So before π the stage is, for each J, one butterfly of two contiguous runs of N/2h samples
    /// (J · N/h + l and that + N/2h) under the one twiddle j: a run as long as a vector when h is small, where after
    /// π the butterflies sit in lanes h apart. Every butterfly meets the values, twiddle and arithmetic it met after
    /// π (the stages before it ran the same way), so the transform's bits do not change.
    /// </summary>
    private void NaturalOrderStage(ref float pr, ref float pi, int h, VectorWidth width)
    {
        int stride = Size / h, run = stride / 2;
        for (int bigJ = 0; bigJ < h; bigJ++)
        {
            // j = the log₂h bits of J reversed = the full-width bit-reversal of J · N/h.
            int j = _bitReverse[bigJ * stride];
            float wr = _twRe[h - 1 + j], wi = _twIm[h - 1 + j];
            int a = bigJ * stride, b = a + run, k = 0;
            if (width == VectorWidth.V512) k = Radix2.Rows<Lanes512>(ref pr, ref pi, a, b, k, run, wr, wi);
            if (width >= VectorWidth.V256) k = Radix2.Rows<Lanes256>(ref pr, ref pi, a, b, k, run, wr, wi);
            if (width >= VectorWidth.V128) k = Radix2.Rows<Lanes128>(ref pr, ref pi, a, b, k, run, wr, wi);
            Radix2.Rows<Lanes1>(ref pr, ref pi, a, b, k, run, wr, wi);
        }
    }

    /// <summary>
    /// N = 3L: the samples 3j + r gathered into third r (r = 0, 1, 2), each third transformed by the L-point plan, then
    /// the radix-3 stage writes X[k], X[k + L], X[k + 2L] back into the line. Every width runs the same arithmetic in
    /// the same order as the scalar path.
    /// </summary>
    private void RunThirds(Span<float> re, Span<float> im, VectorWidth width)
    {
        FftPlan third = _third!;
        int l = third.Size, n = Size;
        float[] scratch = System.Buffers.ArrayPool<float>.Shared.Rent(2 * n);
        try
        {
            Span<float> sr = scratch.AsSpan(0, n), si = scratch.AsSpan(n, n);
            for (int r = 0; r < 3; r++)
                for (int j = 0; j < l; j++) { sr[r * l + j] = re[3 * j + r]; si[r * l + j] = im[3 * j + r]; }
            for (int r = 0; r < 3; r++) third.Run(sr.Slice(r * l, l), si.Slice(r * l, l), width);
            ref float qr = ref MemoryMarshal.GetReference(sr), qi = ref MemoryMarshal.GetReference(si);
            ref float pr = ref MemoryMarshal.GetReference(re), pi = ref MemoryMarshal.GetReference(im);
            ref float w1r = ref _w1Re[0], w1i = ref _w1Im[0], w2r = ref _w2Re[0], w2i = ref _w2Im[0];
            int k = 0;
            if (width == VectorWidth.V512) k = Radix3.Line<Lanes512>(ref qr, ref qi, ref pr, ref pi, ref w1r, ref w1i, ref w2r, ref w2i, k, l);
            if (width >= VectorWidth.V256) k = Radix3.Line<Lanes256>(ref qr, ref qi, ref pr, ref pi, ref w1r, ref w1i, ref w2r, ref w2i, k, l);
            if (width >= VectorWidth.V128) k = Radix3.Line<Lanes128>(ref qr, ref qi, ref pr, ref pi, ref w1r, ref w1i, ref w2r, ref w2i, k, l);
            Radix3.Line<Lanes1>(ref qr, ref qi, ref pr, ref pi, ref w1r, ref w1i, ref w2r, ref w2i, k, l);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
