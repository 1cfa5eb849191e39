using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// Block statistics of the image watermark's fidelity budget, first half, straight from the pixels: per channel, the
/// sum and the sum of squares of each 4-pixel run (an SSIM quadrant: windows start every 4 pixels) over one or two
/// sampled rows, written channel-major and split by the run's parity, then the 8-pixel window sums as pairs of
/// adjacent runs (<see cref="PairWindows"/>). The column path (<see cref="ColumnMoments"/>: column moments, run sums
/// along the row, a scalar gather at the window starts) made three passes over accumulators four times wider than the
/// row and deinterleaved the channels one element at a time (7.4 µs per 3840-pixel RGBA row of the gather alone);
/// here each 16-byte load holds one run of an RGB or RGBA row, a byte shuffle makes it channel-major, a 4 × 4 transpose
/// of 32-bit groups puts four runs of one channel in one 128-bit block, and pmaddubsw / pmaddwd add each group's bytes
/// and squares (<see cref="IQuadrantLanes{TSelf}"/>). Written once over the width; integer sums, so every width gives
/// the scalar result to the bit. Grey images (1 or 2 bands) take the scalar loop.
/// </summary>
public static class QuadrantRuns
{
    /// <summary>
    /// For run m &lt; ⌈<paramref name="pixels"/> / 4⌉ and band c: the sum over the run's pixels x &lt; pixels of first[x ·
    /// bands + c] + second[x · bands + c], and of their squares, to evenSums/evenSquares[c · pitch + m / 2] for even m and
    /// oddSums/oddSquares[c · pitch + m / 2] for odd m. An empty <paramref name="second"/> stands for a row of zeros.
    /// </summary>
    public static void Sum(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int bands, int pixels, int pitch,
        Span<int> evenSums, Span<int> evenSquares, Span<int> oddSums, Span<int> oddSquares, VectorWidth width = VectorWidth.Auto)
    {
        int runs = Check(first, second, bands, pixels, pitch, evenSums, evenSquares, oddSums, oddSquares);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        bool two = !second.IsEmpty;
        var rows = new Rows(first, second, bands, pixels, pitch, evenSums, evenSquares, oddSums, oddSquares);
        int m = 0;
        if (bands >= 3)
        {
            if (width == VectorWidth.V512 && QuadrantLanes512.IsSupported) m = Body<QuadrantLanes512>(rows, two, m);
            if (width >= VectorWidth.V256 && QuadrantLanes256.IsSupported) m = Body<QuadrantLanes256>(rows, two, m);
            if (width >= VectorWidth.V128 && QuadrantLanes128.IsSupported) m = Body<QuadrantLanes128>(rows, two, m);
        }
        for (; m < runs; m++)
        {
            ref int s = ref Unsafe.Add(ref ((m & 1) == 0 ? ref rows.EvenSums : ref rows.OddSums), m >> 1);
            ref int q = ref Unsafe.Add(ref ((m & 1) == 0 ? ref rows.EvenSquares : ref rows.OddSquares), m >> 1);
            int end = Math.Min(pixels, 4 * m + 4);
            for (int c = 0; c < bands; c++)
            {
                int sum = 0, square = 0;
                for (int x = 4 * m; x < end; x++)
                {
                    int a = Unsafe.Add(ref rows.First, x * bands + c), b = two ? Unsafe.Add(ref rows.Second, x * bands + c) : 0;
                    sum += a + b;
                    square += a * a + b * b;
                }
                Unsafe.Add(ref s, c * pitch) = sum;
                Unsafe.Add(ref q, c * pitch) = square;
            }
        }
    }

    /// <summary>The textbook definition <see cref="Sum"/> is tested against.</summary>
    public static void SumScalarReference(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int bands, int pixels, int pitch,
        Span<int> evenSums, Span<int> evenSquares, Span<int> oddSums, Span<int> oddSquares)
    {
        int runs = Check(first, second, bands, pixels, pitch, evenSums, evenSquares, oddSums, oddSquares);
        for (int m = 0; m < runs; m++)
            for (int c = 0; c < bands; c++)
            {
                int sum = 0, square = 0;
                for (int x = 4 * m; x < 4 * m + 4 && x < pixels; x++)
                {
                    int a = first[x * bands + c], b = second.IsEmpty ? 0 : second[x * bands + c];
                    sum += a + b;
                    square += a * a + b * b;
                }
                (m % 2 == 0 ? evenSums : oddSums)[c * pitch + m / 2] = sum;
                (m % 2 == 0 ? evenSquares : oddSquares)[c * pitch + m / 2] = square;
            }
    }

    /// <summary>
    /// Window sums from run sums: for the window at quadrant column m (8 pixels, runs m and m + 1; run
    /// <paramref name="runs"/> is outside the row and adds nothing) and band c, even m to evenWindows[c · ⌈runs/2⌉ + m/2],
    /// odd m to oddWindows[c · ⌊runs/2⌋ + m/2]: even window j is evenRuns[j] + oddRuns[j], odd window j is oddRuns[j] +
    /// evenRuns[j + 1], both contiguous, so whole vectors of windows are two loads and an add.
    /// </summary>
    public static void PairWindows(ReadOnlySpan<int> evenRuns, ReadOnlySpan<int> oddRuns, int bands, int runs, int pitch,
        Span<int> evenWindows, Span<int> oddWindows, VectorWidth width = VectorWidth.Auto)
    {
        int nEven = (runs + 1) / 2, nOdd = runs / 2;
        CheckPair(evenRuns, oddRuns, bands, runs, pitch, evenWindows, oddWindows);
        if (width == VectorWidth.Auto) width = SpanDriver.BestWidth;
        ref uint e0 = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(evenRuns));
        ref uint o0 = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(oddRuns));
        ref uint ew0 = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(evenWindows));
        ref uint ow0 = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(oddWindows));
        for (int c = 0; c < bands; c++)
        {
            ref uint e = ref Unsafe.Add(ref e0, c * pitch), o = ref Unsafe.Add(ref o0, c * pitch);
            ref uint ew = ref Unsafe.Add(ref ew0, c * nEven), ow = ref Unsafe.Add(ref ow0, c * nOdd);
            // Vectors while every run read is inside: even windows need odd run j (j < nOdd), odd windows even run j + 1 (j + 1 < nEven).
            int evenEnd = nOdd, oddEnd = Math.Min(nOdd, nEven - 1), j = 0;
            if (width == VectorWidth.V512) j = PairBody<UInt32Lanes512>(ref e, ref o, ref ew, 0, j, evenEnd);
            if (width >= VectorWidth.V256) j = PairBody<UInt32Lanes256>(ref e, ref o, ref ew, 0, j, evenEnd);
            if (width >= VectorWidth.V128) j = PairBody<UInt32Lanes128>(ref e, ref o, ref ew, 0, j, evenEnd);
            for (; j < nEven; j++) Unsafe.Add(ref ew, j) = Unsafe.Add(ref e, j) + (j < nOdd ? Unsafe.Add(ref o, j) : 0);
            j = 0;
            if (width == VectorWidth.V512) j = PairBody<UInt32Lanes512>(ref o, ref e, ref ow, 1, j, oddEnd);
            if (width >= VectorWidth.V256) j = PairBody<UInt32Lanes256>(ref o, ref e, ref ow, 1, j, oddEnd);
            if (width >= VectorWidth.V128) j = PairBody<UInt32Lanes128>(ref o, ref e, ref ow, 1, j, oddEnd);
            for (; j < nOdd; j++) Unsafe.Add(ref ow, j) = Unsafe.Add(ref o, j) + (j + 1 < nEven ? Unsafe.Add(ref e, j + 1) : 0);
        }
    }

    /// <summary>The plain loop <see cref="PairWindows"/> is tested against.</summary>
    public static void PairWindowsScalarReference(ReadOnlySpan<int> evenRuns, ReadOnlySpan<int> oddRuns, int bands, int runs, int pitch,
        Span<int> evenWindows, Span<int> oddWindows)
    {
        CheckPair(evenRuns, oddRuns, bands, runs, pitch, evenWindows, oddWindows);
        int nEven = (runs + 1) / 2, nOdd = runs / 2;
        for (int m = 0; m < runs; m++)
            for (int c = 0; c < bands; c++)
            {
                int here = m % 2 == 0 ? evenRuns[c * pitch + m / 2] : oddRuns[c * pitch + m / 2];
                int next = m + 1 >= runs ? 0 : (m + 1) % 2 == 0 ? evenRuns[c * pitch + (m + 1) / 2] : oddRuns[c * pitch + (m + 1) / 2];
                if (m % 2 == 0) evenWindows[c * nEven + m / 2] = here + next;
                else oddWindows[c * nOdd + m / 2] = here + next;
            }
    }

    private static int Check(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int bands, int pixels, int pitch,
        Span<int> evenSums, Span<int> evenSquares, Span<int> oddSums, Span<int> oddSquares)
    {
        if (bands is < 1 or > 4 || pixels < 0) throw new ArgumentOutOfRangeException(nameof(bands), "Bands must be 1-4 and pixels ≥ 0.");
        int runs = (pixels + 3) / 4;
        long row = (long)pixels * bands;
        if (first.Length < row || (!second.IsEmpty && second.Length < row))
            throw new ArgumentException("The rows are shorter than pixels × bands.");
        if (pitch < (runs + 1) / 2) throw new ArgumentOutOfRangeException(nameof(pitch), "The pitch must hold every run of one parity.");
        long need = (long)(bands - 1) * pitch + (runs + 1) / 2, needOdd = (long)(bands - 1) * pitch + runs / 2;
        if (evenSums.Length < need || evenSquares.Length < need || oddSums.Length < needOdd || oddSquares.Length < needOdd)
            throw new ArgumentException("The run sums are shorter than bands × pitch.");
        return runs;
    }

    private static void CheckPair(ReadOnlySpan<int> evenRuns, ReadOnlySpan<int> oddRuns, int bands, int runs, int pitch,
        Span<int> evenWindows, Span<int> oddWindows)
    {
        if (bands < 1 || runs < 0 || pitch < (runs + 1) / 2) throw new ArgumentOutOfRangeException(nameof(bands), "Bands must be ≥ 1, runs ≥ 0 and the pitch hold every run of one parity.");
        int nEven = (runs + 1) / 2, nOdd = runs / 2;
        if (evenRuns.Length < (bands - 1) * pitch + nEven || oddRuns.Length < (bands - 1) * pitch + nOdd
            || evenWindows.Length < bands * nEven || oddWindows.Length < bands * nOdd)
            throw new ArgumentException("Run sums or window sums are shorter than their bands need.");
    }

    /// <summary>window[j] = a[j] + b[j + offset] in whole vectors from <paramref name="j"/> below <paramref name="end"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // a width's loop, compiled on its own (SpanDriver)
    private static int PairBody<T>(ref uint a, ref uint b, ref uint window, int offset, int j, int end) where T : struct, IUInt32Lanes<T>
    {
        ref uint bs = ref Unsafe.Add(ref b, offset);
        for (; j + T.Count <= end; j += T.Count)
            T.Store(T.Load(ref a, (nuint)j) + T.Load(ref bs, (nuint)j), ref window, (nuint)j);
        return j;
    }

    private readonly ref struct Rows
    {
        public readonly ref byte First, Second;
        public readonly ref int EvenSums, EvenSquares, OddSums, OddSquares;
        public readonly int Bands, Pixels, Length, Pitch;

        public Rows(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int bands, int pixels, int pitch,
            Span<int> evenSums, Span<int> evenSquares, Span<int> oddSums, Span<int> oddSquares)
        {
            First = ref MemoryMarshal.GetReference(first);
            Second = ref second.IsEmpty ? ref First : ref MemoryMarshal.GetReference(second);
            EvenSums = ref MemoryMarshal.GetReference(evenSums);
            EvenSquares = ref MemoryMarshal.GetReference(evenSquares);
            OddSums = ref MemoryMarshal.GetReference(oddSums);
            OddSquares = ref MemoryMarshal.GetReference(oddSquares);
            Bands = bands;
            Pixels = pixels;
            Length = Math.Min(first.Length, second.IsEmpty ? int.MaxValue : second.Length);
            Pitch = pitch;
        }
    }

    /// <summary>Each run's bytes channel-major: RGBA (r0 g0 b0 a0 r1 …) to r0-r3 g0-g3 b0-b3 a0-a3, RGB to the same with
    /// the fourth group zero (its 16-byte load reads the next run's first pixel and a third of its second).</summary>
    private static ReadOnlySpan<byte> ChannelMajor4 => [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
    private static ReadOnlySpan<byte> ChannelMajor3 => [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0x80, 0x80, 0x80, 0x80];

    /// <summary>
    /// Runs from <paramref name="m"/> (even) in steps of 8 per block: block k of a step takes runs m + 8k … m + 8k + 7,
    /// four even ones (loads g0-g3) and four odd ones, so after the transpose block k of channel c's vector holds the
    /// even runs m + 8k, m + 8k + 2, … — the step's even runs of one channel in order, stored as one vector at
    /// (m / 2) + 4k. Only whole runs whose 16-byte loads stay inside both rows; returns where it stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Body<T>(in Rows r, bool two, int m) where T : struct, IQuadrantLanes<T>
    {
        int bands = r.Bands, run = 4 * bands, step = 8 * T.Blocks;
        // Runs whose bytes and 16-byte load are both inside: run k is whole while 4k + 4 ≤ pixels, and its load reads
        // bytes k · run … k · run + 15.
        int whole = r.Pixels / 4, loadable = r.Length >= 16 ? (r.Length - 16) / run + 1 : 0, limit = Math.Min(whole, loadable);
        T pattern = T.Pattern(bands == 4 ? ChannelMajor4 : ChannelMajor3);
        nuint blockStep = (nuint)(8 * run), pair = (nuint)(2 * run);
        for (; m + step <= limit; m += step)
        {
            nuint at = (nuint)(m * run), j = (nuint)(m >> 1);
            for (int parity = 0; parity < 2; parity++)
            {
                nuint start = at + (nuint)(parity * run);
                (T a0, T a1, T a2, T a3) = T.Transpose(
                    T.Shuffle(T.Load(ref r.First, start, blockStep), pattern), T.Shuffle(T.Load(ref r.First, start + pair, blockStep), pattern),
                    T.Shuffle(T.Load(ref r.First, start + 2 * pair, blockStep), pattern), T.Shuffle(T.Load(ref r.First, start + 3 * pair, blockStep), pattern));
                T b0 = default, b1 = default, b2 = default, b3 = default;
                if (two)
                    (b0, b1, b2, b3) = T.Transpose(
                        T.Shuffle(T.Load(ref r.Second, start, blockStep), pattern), T.Shuffle(T.Load(ref r.Second, start + pair, blockStep), pattern),
                        T.Shuffle(T.Load(ref r.Second, start + 2 * pair, blockStep), pattern), T.Shuffle(T.Load(ref r.Second, start + 3 * pair, blockStep), pattern));
                ref int sums = ref parity == 0 ? ref r.EvenSums : ref r.OddSums;
                ref int squares = ref parity == 0 ? ref r.EvenSquares : ref r.OddSquares;
                nuint p = (nuint)r.Pitch;
                T.Store(T.GroupSums(a0, b0), ref sums, j);
                T.Store(T.GroupSquares(a0, b0), ref squares, j);
                T.Store(T.GroupSums(a1, b1), ref sums, j + p);
                T.Store(T.GroupSquares(a1, b1), ref squares, j + p);
                T.Store(T.GroupSums(a2, b2), ref sums, j + 2 * p);
                T.Store(T.GroupSquares(a2, b2), ref squares, j + 2 * p);
                if (bands == 4)
                {
                    T.Store(T.GroupSums(a3, b3), ref sums, j + 3 * p);
                    T.Store(T.GroupSquares(a3, b3), ref squares, j + 3 * p);
                }
            }
        }
        return m;
    }
}
