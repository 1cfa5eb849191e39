namespace LabelStamp.Marks.Video;

/// <summary>
/// The video readers' prefilter (issue 18, round 19): before the cell statistic, every sample of a mean plane or a
/// registered canvas becomes its high-pass (the sample minus the mean of the cell-sized window around it) divided by the
/// window's RMS of that high-pass, plus one level, squared. Why: the mark is a smooth bump per cell, and what
/// hides it is the picture — on a pan's canvas the picture does not average out, and on busy footage its texture near
/// the cell's scale is many times the mark's 6 levels. The high-pass removes what varies slower than a cell; the division
/// evens out the picture's local contrast, so busy regions stop drowning the flat ones where the bump stands out (the
/// per-cell texture weight of <see cref="VideoMarkDetector.NormalisedCells"/> does the same per cell, after the fact; over
/// a window that moves with each sample it does it finer), and the square (a power above 1) leans further towards quiet
/// regions, where the bump keeps its shape through an encoder.
/// Measured (bench/VIDEO.md round 19): the content-locked stamps of the 17 busiest pans and their CRF 23, CRF 30 and
/// combined copies read 68 of 68 with it, 30 without; on the development set the bits corrected fell by half. The false-positive bound does not depend on the statistic (CRC-32 and the key nibble
/// decide), so it is unchanged. Samples outside <c>valid</c> stay out: they neither feed a window nor are written (0).
/// </summary>
public static class LocalContrast
{
    /// <summary>Added to the window's RMS (levels), so a flat window divides by ≈ 1 instead of amplifying the codec's noise.</summary>
    public const float RmsFloor = 1f;

    /// <summary>A constant gain that keeps the output near luma levels where the picture is moderately busy (RMS ≈ 3), so
    /// the detectors' absolute guards (a texture floor, a constant plane's zero scale) mean what they did.</summary>
    private const float Gain = 16f;

    /// <summary>The prefiltered plane: width × height, row-major; <paramref name="valid"/> empty when every sample counts.
    /// <paramref name="cell"/>: the mark's cell size in this plane's pixels (the window's side).</summary>
    public static float[] Normalise(ReadOnlySpan<float> plane, ReadOnlySpan<bool> valid, int width, int height, double cell) =>
        Normalise(plane, valid, width, height, cell, power: 2, rmsCells: 1);

    /// <summary><see cref="Normalise(ReadOnlySpan{float}, ReadOnlySpan{bool}, int, int, double)"/> with another power of the
    /// divisor (0: the high-pass alone) and another RMS window (in cells): the variants the product's was chosen from, which
    /// the benchmarks compare. Squared over one cell is the product's: on the busy pans 2 read every copy that 1.5 or 3
    /// read, and 3 or more lost some (bench/VIDEO.md round 19).</summary>
    internal static float[] Normalise(ReadOnlySpan<float> plane, ReadOnlySpan<bool> valid, int width, int height, double cell, double power, double rmsCells)
    {
        int n = checked(width * height);
        if (width < 1 || height < 1 || plane.Length < n) throw new ArgumentException("plane smaller than width × height", nameof(plane));
        if (!valid.IsEmpty && valid.Length < n) throw new ArgumentException("valid smaller than width × height", nameof(valid));
        int radius = Radius(cell), rmsRadius = Radius(rmsCells * cell);
        var count = new WindowCounts(valid, width, height, radius);
        var rmsCount = rmsRadius == radius ? count : new WindowCounts(valid, width, height, rmsRadius);
        bool all = valid.IsEmpty;

        float[] high = new float[n];
        for (int i = 0; i < n; i++) high[i] = all || valid[i] ? plane[i] : 0f;
        float[] sums = (float[])high.Clone();
        BoxSums(sums, width, height, radius);
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++, i++)
            {
                float c = count.At(x, y, i);
                high[i] = all || valid[i] ? high[i] - (c > 0 ? sums[i] / c : 0f) : 0f;
            }
        if (power == 0) return high;

        for (int i = 0; i < n; i++) sums[i] = high[i] * high[i];
        BoxSums(sums, width, height, rmsRadius);
        float p = (float)power;
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++, i++)
            {
                float c = rmsCount.At(x, y, i);
                float rms = c > 0 ? MathF.Sqrt(Math.Max(0f, sums[i] / c)) : 0f;
                float d = rms + RmsFloor;
                high[i] = Gain * high[i] / (p == 2f ? d * d : MathF.Pow(d, p));
            }
        return high;
    }

    /// <summary>The window's half side for a side of <paramref name="side"/> pixels.</summary>
    private static int Radius(double side) => Math.Max(1, (int)Math.Round(side) / 2);

    /// <summary>Samples in each window: clipped at the borders, and without the invalid ones. With every sample valid (a
    /// mean plane) the count is the window's rows times its columns, kept as one row and one column of counts: a whole
    /// plane of them was a third of the prefilter's memory (33 MB of a 4K mean). With a mask (a canvas), a plane of them.</summary>
    private sealed class WindowCounts
    {
        private readonly float[]? _plane;
        private readonly int[] _rows = [], _columns = [];

        public WindowCounts(ReadOnlySpan<bool> valid, int width, int height, int radius)
        {
            if (valid.IsEmpty)
            {
                _rows = new int[height];
                _columns = new int[width];
                for (int y = 0; y < height; y++) _rows[y] = Math.Min(height - 1, y + radius) - Math.Max(0, y - radius) + 1;
                for (int x = 0; x < width; x++) _columns[x] = Math.Min(width - 1, x + radius) - Math.Max(0, x - radius) + 1;
                return;
            }
            _plane = new float[width * height];
            for (int i = 0; i < _plane.Length; i++) _plane[i] = valid[i] ? 1f : 0f;
            BoxSums(_plane, width, height, radius);
        }

        /// <summary>The count of the window around (x, y), sample i = y · width + x: the same float either way (a product of
        /// two small integers, exact, as the running sums of ones are).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public float At(int x, int y, int i) => _plane is null ? _rows[y] * _columns[x] : _plane[i];
    }

    /// <summary>In place: each sample becomes the sum over the (2r + 1)² window around it, clipped at the borders.
    /// Separable running sums in double, so the result does not depend on the order of a long row's adds beyond rounding.</summary>
    internal static void BoxSums(float[] plane, int width, int height, int radius)
    {
        double[] row = new double[width];
        for (int y = 0; y < height; y++)
        {
            var line = plane.AsSpan(y * width, width);
            double s = 0;
            for (int x = 0; x < Math.Min(radius, width); x++) s += line[x];
            for (int x = 0; x < width; x++)
            {
                if (x + radius < width) s += line[x + radius];
                if (x - radius - 1 >= 0) s -= line[x - radius - 1];
                row[x] = s;
            }
            for (int x = 0; x < width; x++) line[x] = (float)row[x];
        }
        double[] acc = new double[width];
        float[] column = new float[width * (radius + 1)]; // the rows leaving the window, kept before they are overwritten
        for (int y = 0; y < Math.Min(radius, height); y++)
            for (int x = 0; x < width; x++) acc[x] += plane[y * width + x];
        for (int y = 0; y < height; y++)
        {
            if (y + radius < height)
                for (int x = 0; x < width; x++) acc[x] += plane[(y + radius) * width + x];
            int leaving = y - radius - 1;
            if (leaving >= 0)
            {
                var gone = column.AsSpan((leaving % (radius + 1)) * width, width);
                for (int x = 0; x < width; x++) acc[x] -= gone[x];
            }
            // Row y's own values leave the window radius + 1 rows later; keep them before writing the sums over them.
            plane.AsSpan(y * width, width).CopyTo(column.AsSpan((y % (radius + 1)) * width, width));
            for (int x = 0; x < width; x++) plane[y * width + x] = (float)acc[x];
        }
    }
}
