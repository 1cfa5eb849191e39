using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Marks;

/// <summary>The video readers' prefilter (<see cref="LocalContrast"/>): its window sums against a direct sum, what invalid
/// samples may and may not do, and what it is for — a mark under a picture whose structure at the cell's scale changes
/// contrast across the frame, which the cell statistic alone does not read. Random planes use fixed seeds (19, 23).</summary>
public class LocalContrastTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());
    private static readonly MarkId Id = new(0x0123456789abcdefUL);

    [Theory]
    [InlineData(7, 5, 1)]
    [InlineData(33, 17, 2)]
    [InlineData(33, 17, 3)]
    [InlineData(20, 31, 8)]
    [InlineData(9, 6, 40)]
    public void Window_sums_equal_a_direct_sum(int w, int h, int r)
    {
        var rng = new Random(19);
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.Length; i++) plane[i] = (float)(rng.NextDouble() * 255);
        float[] sums = (float[])plane.Clone();
        LocalContrast.BoxSums(sums, w, h, r);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double s = 0;
                for (int v = Math.Max(0, y - r); v <= Math.Min(h - 1, y + r); v++)
                    for (int u = Math.Max(0, x - r); u <= Math.Min(w - 1, x + r); u++) s += plane[v * w + u];
                Assert.Equal(s, sums[y * w + x], 1e-6 * Math.Max(1, s));
            }
    }

    [Fact]
    public void Invalid_samples_are_left_out_and_written_as_zero()
    {
        int w = 48, h = 30;
        var rng = new Random(23);
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.Length; i++) plane[i] = (float)(rng.NextDouble() * 255);
        bool[] all = Enumerable.Repeat(true, w * h).ToArray();
        Assert.Equal(LocalContrast.Normalise(plane, default, w, h, 10), LocalContrast.Normalise(plane, all, w, h, 10));

        bool[] valid = new bool[w * h];
        for (int i = 0; i < valid.Length; i++) valid[i] = (i % w) < 30; // a canvas the frames did not cover on the right
        float[] a = LocalContrast.Normalise(plane, valid, w, h, 10);
        float[] other = (float[])plane.Clone();
        for (int i = 0; i < other.Length; i++) if (!valid[i]) other[i] = 255 - other[i];
        Assert.Equal(a, LocalContrast.Normalise(other, valid, w, h, 10));
        for (int i = 0; i < a.Length; i++) if (!valid[i]) Assert.Equal(0f, a[i]);
        Assert.Contains(a, v => v != 0);
    }

    [Fact]
    public void A_constant_plane_becomes_zero()
    {
        float[] flat = Enumerable.Repeat(77f, 40 * 25).ToArray();
        Assert.All(LocalContrast.Normalise(flat, default, 40, 25, 6), v => Assert.Equal(0f, v));
    }

    /// <summary>A picture of cell-sized blobs, an RMS of ≈ 35 levels on the left three quarters and ≈ 1.7 on the rest (twelve
    /// fixed-seed waves of 0.3-1.3 cycles a cell): on the left the blobs leak
    /// into the cell statistic many times the mark's bump, and their gradients are too gentle for the per-cell texture
    /// weight to discount them. The statistic alone (the detector before round 19) does not decode; with the prefilter
    /// the detector reads the mark, and under another key nothing.</summary>
    [Fact]
    public void A_mark_under_uneven_cell_sized_structure_reads_only_with_the_prefilter()
    {
        int w = 1280, h = 720;
        var rng = new Random(23);
        double cell = (double)w / VideoMarkLayout.Grid(w, h).Cols;
        var waves = Enumerable.Range(0, 12).Select(_ => (Fx: (0.3 + rng.NextDouble()) / cell, Fy: (0.3 + rng.NextDouble()) / cell,
            Px: rng.NextDouble() * 6.3, Py: rng.NextDouble() * 6.3)).ToArray();
        byte[] plane = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double v = 0;
                foreach (var (fx, fy, px, py) in waves) v += Math.Sin(2 * Math.PI * fx * x + px) * Math.Cos(2 * Math.PI * fy * y + py);
                double gain = x < w * 3 / 4 ? 20 : 1;
                plane[y * w + x] = (byte)Math.Clamp(128 + gain * v, 0, 255);
            }
        new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 6.0).Embed(plane);
        float[] mean = [.. plane.Select(b => (float)b)];

        var layout = VideoMarkLayout.For(Key, w, h);
        float[] raw = VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        Assert.Null(VideoMarkDetector.Decode(raw, texture, layout, Key, candidates: 1));

        var read = VideoMarkDetector.Detect(mean, w, h, Key);
        Assert.NotNull(read);
        Assert.Equal(Id, read!.MarkId);
        Assert.Null(VideoMarkDetector.Detect(mean, w, h, MarkKey.FromBytes(Enumerable.Range(60, 32).Select(i => (byte)i).ToArray())));
    }
}
