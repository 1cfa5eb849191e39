using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// Reads the video mark from the mean of many frames' luma (the pattern is the same in every frame, so
/// it adds up while moving content and codec noise average out). The plane is first prefiltered
/// (<see cref="LocalContrast"/>: high-passed and evened out in local contrast at the cell's scale). Per
/// cell, the statistic is the sin²-weighted mean minus the plain mean: the mark's bump contributes in
/// proportion to its amplitude, while content that is flat, or changes linearly, across the cell
/// contributes nothing, so no search and no prediction from neighbours is needed. Cells are normalised
/// by a robust global scale and clipped (an edge inside a cell must not outvote its siblings), summed per
/// coded bit with their keyed signs, and Viterbi-decoded. A mark is declared only if the CRC-32 passes, the key nibble matches, and
/// <see cref="FalsePositiveBound.ComputeWithKeyNibble"/> over the grids tried is ≤ 1e-9. The grid comes
/// from the frame's aspect ratio, so a rescaled copy needs one candidate.
/// </summary>
public static class VideoMarkDetector
{
    /// <summary>Clip for a normalised cell statistic, in robust standard deviations.</summary>
    public const float Clip = 2.5f;

    /// <summary>Reads the mark from a mean luma plane (any scale of the marked frames, same aspect ratio).</summary>
    public static VideoMarkDetection? Detect(ReadOnlySpan<float> meanLuma, int width, int height, MarkKey key, int shortSideCells = VideoMarkLayout.ShortSideCells) =>
        Detect(meanLuma, width, height, key, shortSideCells, prefilter: true);

    /// <summary><see cref="Detect(ReadOnlySpan{float}, int, int, MarkKey, int)"/>; <paramref name="prefilter"/> false reads the
    /// plane as it is: a plane already through <see cref="Prefilter"/> (a verifier reading one mean under several keys), or
    /// the raw mean as the detector read it before round 19 (the benchmarks compare the two).</summary>
    internal static VideoMarkDetection? Detect(ReadOnlySpan<float> meanLuma, int width, int height, MarkKey key, int shortSideCells, bool prefilter)
    {
        if (width < 1 || height < 1 || meanLuma.Length < width * height) throw new ArgumentException("plane smaller than width × height", nameof(meanLuma));
        if (Math.Min(width, height) < VideoMarkLayout.MinimumSide / 2) return null;
        var layout = VideoMarkLayout.For(key, width, height, shortSideCells);
        float[] stat = CellStatistics(prefilter ? Prefilter(meanLuma, width, height, shortSideCells) : meanLuma, layout, out float[] texture);
        return Decode(stat, texture, layout, key, candidates: 1);
    }

    /// <summary>The mean through the readers' prefilter at this grid's cell size (the same for every key).</summary>
    internal static float[] Prefilter(ReadOnlySpan<float> meanLuma, int width, int height, int shortSideCells) =>
        LocalContrast.Normalise(meanLuma, default, width, height, (double)width / VideoMarkLayout.Grid(width, height, shortSideCells).Cols);

    /// <summary>Per cell: weighted mean − plain mean of the plane over the cell.</summary>
    public static float[] CellStatistics(ReadOnlySpan<float> plane, VideoMarkLayout layout) => CellStatistics(plane, layout, out _);

    /// <summary>Per cell: the statistic, and the cell's texture (mean absolute horizontal + vertical
    /// difference of the plane), which predicts how much content leaks into the statistic and how far
    /// an encoder's motion compensation drags the pattern there.</summary>
    public static float[] CellStatistics(ReadOnlySpan<float> plane, VideoMarkLayout layout, out float[] texture)
    {
        int w = layout.Width, h = layout.Height, cols = layout.Cols, n = layout.Cells;
        double[] weighted = new double[n], plain = new double[n], wsum = new double[n];
        int[] count = new int[n];
        double[] rowW = new double[cols], rowP = new double[cols], rowWs = new double[cols];
        int[] rowN = new int[cols];
        double[] tex = new double[n];
        for (int y = 0; y < h; y++)
        {
            Array.Clear(rowW);
            Array.Clear(rowP);
            Array.Clear(rowWs);
            Array.Clear(rowN);
            var row = plane.Slice(y * w, w);
            for (int x = 0; x < w; x++)
            {
                int c = layout.ColumnCell[x];
                float wx = layout.ColumnWeight[x];
                rowW[c] += wx * row[x];
                rowWs[c] += wx;
                rowP[c] += row[x];
                rowN[c]++;
                if (x + 1 < w && y + 1 < h)
                    tex[layout.RowCell[y] * cols + c] += Math.Abs(row[x + 1] - row[x]) + Math.Abs(plane[(y + 1) * w + x] - row[x]);
            }
            int rb = layout.RowCell[y] * cols;
            double wy = layout.RowWeight[y];
            for (int c = 0; c < cols; c++)
            {
                weighted[rb + c] += wy * rowW[c];
                wsum[rb + c] += wy * rowWs[c];
                plain[rb + c] += rowP[c];
                count[rb + c] += rowN[c];
            }
        }
        float[] stat = new float[n];
        texture = new float[n];
        for (int c = 0; c < n; c++) texture[c] = count[c] > 0 ? (float)(tex[c] / count[c]) : 0f;
        for (int c = 0; c < n; c++)
            stat[c] = wsum[c] > 0 && count[c] > 0 ? (float)(weighted[c] / wsum[c] - plain[c] / count[c]) : 0f;
        return stat;
    }

    /// <summary>
    /// Each cell's statistic as the decoder weighs it: scaled by its own expected noise, floor + texture (textured
    /// cells leak content into the statistic and are where motion compensation drags the pattern, flat cells keep
    /// it; the floor is the median texture, so no handful of flat cells dominates), then by a robust global scale
    /// (median |value| / 0.6745), clipped at ±<see cref="Clip"/> and signed by the cell's keyed sign. Null for a
    /// plane that carries nothing (a constant one).
    /// </summary>
    public static float[]? NormalisedCells(float[] stat, float[] texture, VideoMarkLayout layout)
    {
        ArgumentNullException.ThrowIfNull(stat);
        ArgumentNullException.ThrowIfNull(texture);
        ArgumentNullException.ThrowIfNull(layout);
        int n = stat.Length;
        float[] t = (float[])texture.Clone();
        Array.Sort(t);
        float floor = Math.Max(t[n / 2], 0.05f);
        float[] scaled = new float[n], abs = new float[n];
        for (int c = 0; c < n; c++)
        {
            scaled[c] = stat[c] / (floor + texture[c]);
            abs[c] = Math.Abs(scaled[c]);
        }
        Array.Sort(abs);
        float sigma = abs[n / 2] / 0.6745f;
        if (!(sigma > 1e-9f)) return null;
        for (int c = 0; c < n; c++) scaled[c] = Math.Clamp(scaled[c] / sigma, -Clip, Clip) * layout.CellSign[c];
        return scaled;
    }

    /// <summary>The decision on per-cell statistics (normalised, summed per coded bit, Viterbi, CRC, key nibble, bound);
    /// internal so the benchmarks can put other statistics through the same decision.</summary>
    internal static VideoMarkDetection? Decode(float[] stat, float[] texture, VideoMarkLayout layout, MarkKey key, int candidates)
    {
        int n = stat.Length;
        if (NormalisedCells(stat, texture, layout) is not { } norm) return null; // a constant plane carries nothing
        float[] soft = new float[PayloadCodec.CodedBits];
        for (int c = 0; c < n; c++) soft[layout.CellBit[c]] += norm[c];
        var decoded = PayloadCodec.Decode(soft);
        if (decoded is null || decoded.Payload.KeyNibble != MarkPayload.KeyNibbleOf(key)) return null;
        double fp = FalsePositiveBound.ComputeWithKeyNibble(candidates);
        if (!FalsePositiveBound.Acceptable(fp)) return null;

        // How strongly the cells agree with the decoded codeword (for reports; the decision is the CRC's).
        sbyte[] coded = PayloadCodec.Encode(decoded.Payload);
        double dot = 0, sq = 0;
        for (int c = 0; c < n; c++)
        {
            dot += norm[c] * coded[layout.CellBit[c]];
            sq += norm[c] * norm[c];
        }
        double z = sq > 0 ? dot / Math.Sqrt(sq) : 0;
        return new VideoMarkDetection(decoded.Payload, decoded.BitErrorsCorrected, fp, z, layout.Cols, layout.Rows, candidates);
    }
}
