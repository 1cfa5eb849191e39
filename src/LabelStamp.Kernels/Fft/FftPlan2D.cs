using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels.Fft;

/// <summary>
/// Square 2-D complex FFT on split (re, im) row-major N × N arrays, N a power of two or three times one. Rows use
/// <see cref="FftPlan"/>'s SIMD line transform; columns are transformed all at once by radix-2
/// butterflies between whole rows (row a and row a + h with one broadcast twiddle), so every stage —
/// the first ones included — is a contiguous vector loop and no transpose is needed (an in-place
/// transpose of a 1024² array with its 4 KB power-of-two stride thrashed the cache and cost as much
/// as the line transforms; measured). The inverse is scaled by 1/N². Every width runs the same
/// multiplies and adds in the same order as the scalar path (no fused multiply-add), so it equals
/// the scalar result bit for bit. Immutable; share freely.
/// </summary>
public sealed class FftPlan2D
{
    private const int RowBlock = 64;
    private readonly FftPlan _line;   // row transforms; its bit-reversal and twiddles drive the column passes

    public FftPlan2D(int size) => _line = new FftPlan(size);

    public int Size => _line.Size;

    /// <summary>In-place forward 2-D transform. Rows at or beyond <paramref name="nonZeroRows"/> must be
    /// zero (zero-padded input): their row transforms are skipped.</summary>
    public void Forward(float[] re, float[] im, int nonZeroRows = int.MaxValue, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        for (int y = 0; y < Math.Min(n, nonZeroRows); y++) _line.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
        Columns(re, im, n, inverse: false, width);
    }

    /// <summary>In-place inverse 2-D transform including the 1/N² scale.</summary>
    public void Inverse(float[] re, float[] im, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        Columns(re, im, n, inverse: true, width);
        for (int y = 0; y < n; y++) _line.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n), width);
    }

    /// <summary>
    /// Circular autocorrelation of the real N × N array in <paramref name="re"/>, in place; rows at or
    /// beyond <paramref name="nonZeroRows"/> are taken as zero whatever they hold (pooled arrays): the same result as Forward, |F|², Inverse, at about
    /// half the cost, because a real input's spectrum is Hermitian. Forward rows run two real rows per
    /// complex transform (z = a + i·b, then A[k] = (Z[k] + Z̄[N−k]) / 2, B[k] = (Z[k] − Z̄[N−k]) / 2i);
    /// the column passes cover only the columns 0…N/2 that carry information; the inverse rows rebuild
    /// two Hermitian rows into one complex transform whose real and imaginary outputs are the two real
    /// result rows. <paramref name="im"/> is scratch. Every width equals the scalar path bit for bit.
    /// </summary>
    /// <param name="notchAbove">When &gt; 0, every frequency whose power exceeds this multiple of the mean
    /// power is removed before the inverse transform (see <see cref="Notch"/>).</param>
    public void Autocorrelate(float[] re, float[] im, int nonZeroRows = int.MaxValue, VectorWidth width = VectorWidth.Auto, float notchAbove = 0)
    {
        AutocorrelationSpectrum(re, im, nonZeroRows, width, notchAbove);
        for (int y = 0; y < Size; y += 2) AutocorrelationRows(re, im, y, width);
    }

    /// <summary>
    /// <see cref="Autocorrelate"/> up to its inverse row transforms: afterwards each pair of rows (2p, 2p + 1) is finished on
    /// its own by <see cref="AutocorrelationRows"/>, which reads and writes those two rows only. A caller that reads a
    /// few rows of the result (the lattice search reads about 60 % of a 1024² autocorrelation) finishes only those; every
    /// row it finishes holds the bits <see cref="Autocorrelate"/> gives.
    /// </summary>
    public void AutocorrelationSpectrum(float[] re, float[] im, int nonZeroRows = int.MaxValue, VectorWidth width = VectorWidth.Auto, float notchAbove = 0)
    {
        int n = Size;
        Check(re, im);
        if (n < 4) throw new ArgumentException("the real-input autocorrelation needs N ≥ 4");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int half = n / 2, columns = half + 1;
        int rows = Math.Min(n, nonZeroRows);
        rows += rows & 1;
        for (int y = 0; y < rows; y += 2)
        {
            Span<float> ar = re.AsSpan(y * n, n), ai = im.AsSpan(y * n, n);
            Span<float> br = re.AsSpan((y + 1) * n, n), bi = im.AsSpan((y + 1) * n, n);
            if (y + 1 < nonZeroRows) br.CopyTo(ai);
            else ai.Clear();   // odd count: the partner row is zero whatever the array holds
            _line.Forward(ar, ai, width);
            // Bins 0 and N/2 are their own mirrors; bins 1 … N/2 − 1 read bins above N/2, which are never written here.
            foreach (int k in (ReadOnlySpan<int>)[0, half])
            {
                float zr = ar[k], zi = ai[k];   // Z[k] = Z[N−k]
                br[k] = 0.5f * (zi + zi); bi[k] = 0.5f * (zr - zr);
                ar[k] = 0.5f * (zr + zr); ai[k] = 0.5f * (zi - zi);
            }
            LinePasses.SplitHermitian(ar, ai, br, bi, width);
        }
        // Rows from `rows` on are zero padding: the forward column pass never reads them (PowerOfTwoColumns).
        Columns(re, im, columns, inverse: false, width, zeroFrom: rows);
        // The power spectrum, and with the notch the sum of every power (rows in order, each row's columns in order:
        // the notch's mean) while the row is in cache.
        double total = 0;
        for (int y = 0; y < n; y++)
        {
            Span<float> r = re.AsSpan(y * n, columns), i = im.AsSpan(y * n, columns);
            if (notchAbove > 0) total = LinePasses.PowerAndTotal(r, i, total, width);
            else CrossPower.Apply(r, i, r, i, r, i, width);
        }
        if (notchAbove > 0) Notch(re, columns, notchAbove, total, width);
        Columns(re, im, columns, inverse: true, width);
    }

    /// <summary>Finishes rows <paramref name="row"/> rounded down to even and the one after it of an autocorrelation left by
    /// <see cref="AutocorrelationSpectrum"/> (once per pair: the pair's spectrum is replaced by its result).</summary>
    public void AutocorrelationRows(float[] re, float[] im, int row, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        Check(re, im);
        if ((uint)row >= (uint)n) throw new ArgumentOutOfRangeException(nameof(row));
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        int y = row & ~1;
        Span<float> ar = re.AsSpan(y * n, n), ai = im.AsSpan(y * n, n);
        Span<float> br = re.AsSpan((y + 1) * n, n), bi = im.AsSpan((y + 1) * n, n);
        // Z[k] = A[k] + i·B[k]; above N/2, A[k] = Ā[N−k] and B[k] = B̄[N−k]. Upper half first: it
        // reads the lower half before the lower half is overwritten.
        LinePasses.JoinHermitian(ar, ai, br, bi, width);
        _line.Inverse(ar, ai, width);
        ai.CopyTo(br);
    }

    private void Check(float[] re, float[] im)
    {
        int nn = Size * Size;
        if (re.Length < nn || im.Length < nn) throw new ArgumentException($"2-D FFT plan is for {Size} × {Size} points");
    }

    /// <summary>Decimation-in-time radix-2 over the row index for every column at once; the inverse
    /// conjugates the twiddles and scales by 1/N at the end. N = 3L: the rows 3j + r gathered into third r, each
    /// third's radix-2 pass, then the radix-3 stage between rows k, L + k and 2L + k (<see cref="Radix3"/>).</summary>
    /// <param name="zeroFrom">Rows from this one on are zero padding whatever the arrays hold (a forward pass only):
    /// they are never read (see <see cref="PowerOfTwoColumns"/>).</param>
    private void Columns(float[] re, float[] im, int columns, bool inverse, VectorWidth width, int zeroFrom = int.MaxValue)
    {
        int n = Size;
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        FftPlan? third = _line.Third;
        if (third is null) PowerOfTwoColumns(_line, re, im, 0, columns, inverse, width, zeroFrom, sourceStride: 1, sourceOffset: 0, permuted: false);
        else
        {
            int l = third.Size;
            PermuteThirds(re, columns, zeroFrom);
            PermuteThirds(im, columns, zeroFrom);
            for (int r = 0; r < 3; r++)
                PowerOfTwoColumns(third, re, im, r * l, columns, inverse, width, zeroFrom, sourceStride: 3, sourceOffset: r, permuted: true);
            ref float pr = ref MemoryMarshal.GetArrayDataReference(re);
            ref float pi = ref MemoryMarshal.GetArrayDataReference(im);
            float sign = inverse ? -1f : 1f, c = sign * Radix3.SinThird;
            for (int k = 0; k < l; k++)
            {
                var (w1r, w1i, w2r, w2i) = _line.ThirdTwiddle(k);
                int a = k * n, b = (l + k) * n, d = (2 * l + k) * n, x = 0;
                if (width == VectorWidth.V512) x = Radix3.Rows<Lanes512>(ref pr, ref pi, a, b, d, x, columns, w1r, sign * w1i, w2r, sign * w2i, c);
                if (width >= VectorWidth.V256) x = Radix3.Rows<Lanes256>(ref pr, ref pi, a, b, d, x, columns, w1r, sign * w1i, w2r, sign * w2i, c);
                if (width >= VectorWidth.V128) x = Radix3.Rows<Lanes128>(ref pr, ref pi, a, b, d, x, columns, w1r, sign * w1i, w2r, sign * w2i, c);
                Radix3.Rows<Lanes1>(ref pr, ref pi, a, b, d, x, columns, w1r, sign * w1i, w2r, sign * w2i, c);
            }
        }
        if (inverse)
        {
            float scale = 1f / n;
            for (int y = 0; y < n; y++)
            {
                LinePasses.Scale(re.AsSpan(y * n, columns), scale, width);
                LinePasses.Scale(im.AsSpan(y * n, columns), scale, width);
            }
        }
    }

    /// <summary>Columns 0 … <paramref name="columns"/> − 1 of the rows: row 3j + r moves to row rL + rev(j) (L = N/3, rev
    /// the L-point bit-reversal), so each third's rows are contiguous and already in the order its radix-2 pass starts
    /// from. One permutation through a copy: gathering the thirds and then swapping each third's rows into bit-reversed
    /// order moved most rows twice more (three row copies per swap). Rows from <paramref name="zeroFrom"/> on are
    /// padding and are not moved (their places are never read).</summary>
    private void PermuteThirds(float[] a, int columns, int zeroFrom)
    {
        int n = Size, l = n / 3, rows = Math.Min(n, zeroFrom);
        ReadOnlySpan<int> bitReverse = _line.Third!.BitReverse;
        float[] copy = System.Buffers.ArrayPool<float>.Shared.Rent(rows * columns);
        try
        {
            for (int y = 0; y < rows; y++) a.AsSpan(y * n, columns).CopyTo(copy.AsSpan(y * columns, columns));
            for (int y = 0; y < rows; y++)
                copy.AsSpan(y * columns, columns).CopyTo(a.AsSpan(((y % 3) * l + bitReverse[y / 3]) * n, columns));
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(copy);
        }
    }

    /// <summary>The radix-2 column pass of <paramref name="plan"/>'s power-of-two size over the rows from
    /// <paramref name="firstRow"/> (row stride N), unscaled. Position q of the pass (after the bit-reversal) holds
    /// source row <paramref name="sourceStride"/> · rev(q) + <paramref name="sourceOffset"/>; with
    /// <paramref name="permuted"/> the rows are already in that order, else the bit-reversal swaps put them there.
    /// Source rows from <paramref name="zeroFrom"/> on are zero padding and never read: a swap with one of them is a
    /// copy of the other row, and the first stage, which pairs q = 2p with 2p + 1 (source + N/2: the larger), is a copy
    /// where the partner is padding and a clear where both are. The butterfly gives the same values there but for
    /// the sign of a zero (a + (+0) makes −0 +0): the padded input only ever goes to a power spectrum, where a zero's
    /// sign is gone, and a zero's sign never changes a non-zero sum or product.</summary>
    private void PowerOfTwoColumns(FftPlan plan, float[] re, float[] im, int firstRow, int columns, bool inverse, VectorWidth width,
        int zeroFrom, int sourceStride, int sourceOffset, bool permuted)
    {
        int n = Size, len = plan.Size;
        ReadOnlySpan<int> bitReverse = plan.BitReverse;
        ReadOnlySpan<float> twRe = plan.TwiddleRe, twIm = plan.TwiddleIm;
        ref float pr = ref MemoryMarshal.GetArrayDataReference(re);
        ref float pi = ref MemoryMarshal.GetArrayDataReference(im);
        if (!permuted)
            for (int i = 0; i < len; i++)
            {
                int j = bitReverse[i];
                if (j <= i || i >= zeroFrom) continue;   // i < j: both padding from here on
                int ri = (firstRow + i) * n, rj = (firstRow + j) * n;
                if (j >= zeroFrom)
                {
                    // Place i takes padding (never read); place j takes row i.
                    re.AsSpan(ri, columns).CopyTo(re.AsSpan(rj, columns));
                    im.AsSpan(ri, columns).CopyTo(im.AsSpan(rj, columns));
                    continue;
                }
                RowSwap(ref pr, ri, rj, columns, width);
                RowSwap(ref pi, ri, rj, columns, width);
            }
        // Whether any source row of this pass is padding (the largest is stride · (len − 1) + offset).
        bool padded = zeroFrom <= sourceStride * (len - 1) + sourceOffset;
        float sign = inverse ? -1f : 1f;
        // The first stages pair rows inside blocks of RowBlock rows (contiguous, ≤ 512 KB for both
        // arrays at n = 1024), so they run block by block in cache; the last stages stream whole
        // rows. (Column strips were tried first: with a 4 KB power-of-two row stride every strip row
        // maps to the same cache sets and thrashed.)
        int block = Math.Min(len, RowBlock);
        for (int b0 = 0; b0 < len; b0 += block)
            for (int h = 1; h < block; h <<= 1)
            {
                if (2 * h < block && !(h == 1 && padded))
                {
                    // Stages h and 2h in one pass over each block of 4h rows (Radix2.RowStages: every row loaded and stored
                    // once for both, half the calls; measured: the column passes' butterflies were a sixth of an unmarked
                    // read's time, and the read went to 0.91× with both stage groupings).
                    for (int s = b0; s < b0 + block; s += 4 * h)
                        for (int j = 0; j < h; j++)
                            RowQuad(ref pr, ref pi, (firstRow + s + j) * n, n, columns, twRe, twIm, sign, h, j, width);
                    h <<= 1;
                    continue;
                }
                for (int s = b0; s < b0 + block; s += 2 * h)
                {
                    if (h == 1 && padded)
                    {
                        int a = (firstRow + s) * n, b = a + n;
                        if (sourceStride * bitReverse[s] + sourceOffset >= zeroFrom)
                        {
                            re.AsSpan(a, columns).Clear(); im.AsSpan(a, columns).Clear();
                            re.AsSpan(b, columns).Clear(); im.AsSpan(b, columns).Clear();
                            continue;
                        }
                        if (sourceStride * bitReverse[s + 1] + sourceOffset >= zeroFrom)
                        {
                            re.AsSpan(a, columns).CopyTo(re.AsSpan(b, columns));
                            im.AsSpan(a, columns).CopyTo(im.AsSpan(b, columns));
                            continue;
                        }
                    }
                    for (int j = 0; j < h; j++)
                        RowButterfly(ref pr, ref pi, (firstRow + s + j) * n, (firstRow + s + j + h) * n, columns, twRe[h - 1 + j], sign * twIm[h - 1 + j], width);
                }
            }
        // The last stages (h ≥ RowBlock) pair rows further apart than a block. Streamed stage by stage they read and
        // wrote the whole spectrum once per stage (4 MB four times at 1024² over 513 columns, from the last-level
        // cache). Rows r0 + RowBlock · k (k < N / RowBlock) only ever meet each other in those stages: stage
        // h = RowBlock · q pairs row r0 + RowBlock · k (bit q of k clear) with r0 + RowBlock · (k + q) under twiddle
        // j = r0 + RowBlock · (k mod q), the butterfly the streamed order gave them. So each group of N / RowBlock
        // rows (16 at 1024², 66 KB) runs all its late stages while it is in cache. Every column meets the same
        // butterflies in the same stage order, so the result is the streamed one to the bit (ColumnPassScalarReference).
        int rowsPerGroup = len / block;
        for (int r0 = 0; r0 < block && rowsPerGroup > 1; r0++)
            for (int q = 1; q < rowsPerGroup; q <<= 1)
            {
                int h = block * q;
                if (2 * q < rowsPerGroup)
                {
                    // Stages h and 2h together, as in the blocks: rows k, k + q, k + 2q, k + 3q (bits q and 2q of k clear).
                    for (int k = 0; k < rowsPerGroup; k++)
                    {
                        if ((k & 3 * q) != 0) continue;
                        int j = r0 + block * (k & (q - 1));
                        RowQuad(ref pr, ref pi, (firstRow + r0 + block * k) * n, n, columns, twRe, twIm, sign, h, j, width);
                    }
                    q <<= 1;
                    continue;
                }
                for (int k = 0; k < rowsPerGroup; k++)
                {
                    if ((k & q) != 0) continue;
                    int j = r0 + block * (k & (q - 1));
                    RowButterfly(ref pr, ref pi, (firstRow + r0 + block * k) * n, (firstRow + r0 + block * (k + q)) * n, columns, twRe[h - 1 + j], sign * twIm[h - 1 + j], width);
                }
            }
    }

    /// <summary>The column pass of the 2-D transforms on its own (columns 0 … <paramref name="columns"/> − 1 of every row;
    /// the inverse with conjugate twiddles and the 1/N scale), for the tests against
    /// <see cref="ColumnPassScalarReference"/>.</summary>
    public void ColumnPass(float[] re, float[] im, int columns, bool inverse, VectorWidth width = VectorWidth.Auto)
    {
        Check(re, im);
        if (columns < 0 || columns > Size) throw new ArgumentOutOfRangeException(nameof(columns));
        Columns(re, im, columns, inverse, width);
    }

    /// <summary>The textbook column pass <see cref="ColumnPass"/> is tested against, bit for bit: the rows in bit-reversed
    /// order, then every stage over every pair of rows, one column at a time, with the same multiplies and adds in the
    /// same order as <see cref="Radix2"/>'s butterfly.</summary>
    public void ColumnPassScalarReference(float[] re, float[] im, int columns, bool inverse)
    {
        Check(re, im);
        int n = Size;
        float sign = inverse ? -1f : 1f;
        FftPlan? third = _line.Third;
        if (third is null) PowerOfTwoColumnsReference(_line, re, im, 0, columns, sign);
        else
        {
            // Rows 3j + r to third r, one row at a time, each third's textbook pass, then the radix-3 stage column by
            // column with Radix3's multiplies and adds in its order.
            int l = third.Size;
            float[] cr = (float[])re.Clone(), ci = (float[])im.Clone();
            for (int y = 0; y < n; y++)
                for (int k = 0; k < columns; k++)
                {
                    re[((y % 3) * l + y / 3) * n + k] = cr[y * n + k];
                    im[((y % 3) * l + y / 3) * n + k] = ci[y * n + k];
                }
            for (int r = 0; r < 3; r++) PowerOfTwoColumnsReference(third, re, im, r * l, columns, sign);
            float c = sign * Radix3.SinThird;
            for (int q = 0; q < l; q++)
            {
                var (w1r, w1i, w2r, w2i) = _line.ThirdTwiddle(q);
                w1i *= sign; w2i *= sign;
                for (int k = 0; k < columns; k++)
                {
                    int a = q * n + k, b = (l + q) * n + k, d = (2 * l + q) * n + k;
                    float ar = re[a], ai = im[a], br = re[b], bi = im[b], er2 = re[d], ei2 = im[d];
                    float t1r = br * w1r - bi * w1i, t1i = br * w1i + bi * w1r;
                    float t2r = er2 * w2r - ei2 * w2i, t2i = er2 * w2i + ei2 * w2r;
                    float sr = t1r + t2r, si = t1i + t2i, dr = t1r - t2r, di = t1i - t2i;
                    float mr = ar - 0.5f * sr, mi = ai - 0.5f * si, er = c * di, ei = c * dr;
                    re[a] = ar + sr; im[a] = ai + si;
                    re[b] = mr + er; im[b] = mi - ei;
                    re[d] = mr - er; im[d] = mi + ei;
                }
            }
        }
        if (!inverse) return;
        float scale = 1f / n;
        for (int y = 0; y < n; y++)
            for (int k = 0; k < columns; k++) { re[y * n + k] *= scale; im[y * n + k] *= scale; }
    }

    private void PowerOfTwoColumnsReference(FftPlan plan, float[] re, float[] im, int firstRow, int columns, float sign)
    {
        int n = Size, len = plan.Size;
        ReadOnlySpan<int> bitReverse = plan.BitReverse;
        ReadOnlySpan<float> twRe = plan.TwiddleRe, twIm = plan.TwiddleIm;
        for (int i = 0; i < len; i++)
        {
            int j = bitReverse[i];
            if (j <= i) continue;
            int ri = (firstRow + i) * n, rj = (firstRow + j) * n;
            for (int k = 0; k < columns; k++)
            {
                (re[ri + k], re[rj + k]) = (re[rj + k], re[ri + k]);
                (im[ri + k], im[rj + k]) = (im[rj + k], im[ri + k]);
            }
        }
        for (int h = 1; h < len; h <<= 1)
            for (int s = 0; s < len; s += 2 * h)
                for (int j = 0; j < h; j++)
                {
                    float wr = twRe[h - 1 + j], wi = sign * twIm[h - 1 + j];
                    int a = (firstRow + s + j) * n, b = (firstRow + s + j + h) * n;
                    for (int k = 0; k < columns; k++)
                    {
                        float br = re[b + k], bi = im[b + k];
                        float tr = br * wr - bi * wi, ti = br * wi + bi * wr;
                        float ar = re[a + k], ai = im[a + k];
                        re[a + k] = ar + tr; im[a + k] = ai + ti;
                        re[b + k] = ar - tr; im[b + k] = ai - ti;
                    }
                }
    }

    /// <summary>Exchanges <paramref name="columns"/> floats at <paramref name="a"/> and <paramref name="b"/> in vector lanes
    /// (two loads and two stores a vector: the three copies through a spare row it replaces moved half as much again).</summary>
    private static void RowSwap(ref float p, int a, int b, int columns, VectorWidth width)
    {
        int k = 0;
        if (width == VectorWidth.V512) k = Radix2.Swap<Lanes512>(ref p, a, b, k, columns);
        if (width >= VectorWidth.V256) k = Radix2.Swap<Lanes256>(ref p, a, b, k, columns);
        if (width >= VectorWidth.V128) k = Radix2.Swap<Lanes128>(ref p, a, b, k, columns);
        Radix2.Swap<Lanes1>(ref p, a, b, k, columns);
    }

    /// <summary>Rows <paramref name="i"/> and <paramref name="j"/> (columns 0 … <paramref name="columns"/> − 1) exchanged on
    /// the given width, for the tests against <see cref="RowSwapScalarReference"/>.</summary>
    public void SwapRows(float[] a, int i, int j, int columns, VectorWidth width = VectorWidth.Auto)
    {
        int n = Size;
        if ((uint)i >= (uint)n || (uint)j >= (uint)n || (uint)columns > (uint)n || a.Length < n * n)
            throw new ArgumentOutOfRangeException(nameof(columns), "rows and columns must lie inside the plan's N × N");
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        RowSwap(ref MemoryMarshal.GetArrayDataReference(a), i * n, j * n, columns, width);
    }

    /// <summary>The element loop <see cref="SwapRows"/> is tested against.</summary>
    public void RowSwapScalarReference(float[] a, int i, int j, int columns)
    {
        int n = Size;
        for (int k = 0; k < columns; k++) (a[i * n + k], a[j * n + k]) = (a[j * n + k], a[i * n + k]);
    }

    /// <summary>(A, B) ← (A + wB, A − wB) element-wise over n columns of two rows: the widest width asked
    /// for, then narrower ones and single lanes for the ragged end of the row (513 columns of a half
    /// spectrum).</summary>
    private static void RowButterfly(ref float pr, ref float pi, int a, int b, int n, float wr, float wi, VectorWidth width)
    {
        int k = 0;
        if (width == VectorWidth.V512) k = Radix2.Rows<Lanes512>(ref pr, ref pi, a, b, k, n, wr, wi);
        if (width >= VectorWidth.V256) k = Radix2.Rows<Lanes256>(ref pr, ref pi, a, b, k, n, wr, wi);
        if (width >= VectorWidth.V128) k = Radix2.Rows<Lanes128>(ref pr, ref pi, a, b, k, n, wr, wi);
        Radix2.Rows<Lanes1>(ref pr, ref pi, a, b, k, n, wr, wi);
    }

    /// <summary>Stages h and 2h of a column pass on four rows h apart from the one at <paramref name="a"/> (rows p, p + h, p + 2h,
    /// p + 3h of rows <paramref name="n"/> floats long): stage h's twiddle j for the pairs (p, p + h) and (p + 2h, p + 3h), stage
    /// 2h's twiddles j and j + h for (p, p + 2h) and (p + h, p + 3h), the imaginary parts times <paramref name="sign"/>, over
    /// <paramref name="columns"/> columns (<see cref="Radix2.RowStages{TLanes}"/>), the widest width asked for first as
    /// <see cref="RowButterfly"/>.</summary>
    private static void RowQuad(ref float pr, ref float pi, int a, int n, int columns, ReadOnlySpan<float> twRe, ReadOnlySpan<float> twIm,
        float sign, int h, int j, VectorWidth width)
    {
        float w1r = twRe[h - 1 + j], w1i = sign * twIm[h - 1 + j];
        float w2r = twRe[2 * h - 1 + j], w2i = sign * twIm[2 * h - 1 + j], w3r = twRe[3 * h - 1 + j], w3i = sign * twIm[3 * h - 1 + j];
        int gap = h * n, k = 0;
        if (width == VectorWidth.V512) k = Radix2.RowStages<Lanes512>(ref pr, ref pi, a, gap, k, columns, w1r, w1i, w2r, w2i, w3r, w3i);
        if (width >= VectorWidth.V256) k = Radix2.RowStages<Lanes256>(ref pr, ref pi, a, gap, k, columns, w1r, w1i, w2r, w2i, w3r, w3i);
        if (width >= VectorWidth.V128) k = Radix2.RowStages<Lanes128>(ref pr, ref pi, a, gap, k, columns, w1r, w1i, w2r, w2i, w3r, w3i);
        Radix2.RowStages<Lanes1>(ref pr, ref pi, a, gap, k, columns, w1r, w1i, w2r, w2i, w3r, w3i);
    }

    /// <summary>
    /// Zeroes the power of every frequency above <paramref name="factor"/> × the mean power (rows of the
    /// half spectrum, columns 0…N/2). A periodic host (scan lines, halftone, a tiled texture) puts its
    /// energy into a few frequencies far above the mean and its autocorrelation would ring over every
    /// lag; a pattern spread over many frequencies (a keyed tile) keeps its comb, so its lattice peaks
    /// stand out again.
    /// </summary>
    /// <param name="total">The sum of every power, rows in order and each row's columns in order, in double precision
    /// (<see cref="LinePasses.PowerAndTotal"/>).</param>
    private void Notch(float[] power, int columns, float factor, double total, VectorWidth width)
    {
        int n = Size;
        float cap = (float)(factor * total / ((double)n * columns));
        for (int y = 0; y < n; y++) LinePasses.ZeroAbove(power.AsSpan(y * n, columns), cap, width);
    }
}
