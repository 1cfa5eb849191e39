using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Marks;

/// <summary>The codec-shaped video mark without a codec: grid, pattern bounds, read back at the stamped
/// size and rescaled, nothing under another key or on unmarked content. Content: a fixed-seed (18)
/// random smooth field plus noise, standing in for a mean of frames.</summary>
public class VideoMarkTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());
    private static readonly MarkKey Other = MarkKey.FromBytes(Enumerable.Range(60, 32).Select(i => (byte)i).ToArray());
    private static readonly MarkId Id = new(0x0123456789abcdefUL);

    private static byte[] Content(int w, int h, int seed = 18)
    {
        var rng = new Random(seed);
        double fx = rng.NextDouble() * 0.02 + 0.005, fy = rng.NextDouble() * 0.02 + 0.005;
        var plane = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                plane[y * w + x] = (byte)Math.Clamp(120 + 60 * Math.Sin(fx * x) * Math.Cos(fy * y) + rng.Next(-6, 7), 0, 255);
        return plane;
    }

    private static float[] ToFloat(byte[] p) => [.. p.Select(b => (float)b)];

    /// <summary>Box-averages a plane by an integer factor (a rescale to 1/factor).</summary>
    private static float[] Shrink(byte[] p, int w, int h, int f)
    {
        int sw = w / f, sh = h / f;
        var o = new float[sw * sh];
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
            {
                float s = 0;
                for (int dy = 0; dy < f; dy++)
                    for (int dx = 0; dx < f; dx++) s += p[(y * f + dy) * w + x * f + dx];
                o[y * sw + x] = s / (f * f);
            }
        return o;
    }

    [Theory]
    [InlineData(1920, 1080, 64, 36)]
    [InlineData(1280, 720, 64, 36)]
    [InlineData(960, 540, 64, 36)]
    [InlineData(3840, 2160, 64, 36)]
    [InlineData(1080, 1920, 36, 64)]
    [InlineData(1440, 1080, 48, 36)]
    public void The_grid_depends_on_the_aspect_ratio_only(int w, int h, int cols, int rows) =>
        Assert.Equal((cols, rows), VideoMarkLayout.Grid(w, h));

    [Fact]
    public void The_pattern_stays_within_its_amplitude_and_is_the_same_every_frame()
    {
        var e = new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), 640, 360, 6.0);
        var a = new byte[640 * 360];
        Array.Fill(a, (byte)128);
        var b = (byte[])a.Clone();
        e.Embed(a);
        e.Embed(b);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, 122, 134));
        Assert.Contains(a, v => v != 128);
        // Cell borders carry nothing (the bump is zero there): no edges for the codec to spend bits on.
        Assert.Equal(128, a[0]);
    }

    [Fact]
    public void Reads_back_at_the_stamped_size_and_rescaled_to_a_half()
    {
        int w = 1280, h = 720;
        var plane = Content(w, h);
        new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 3.0).Embed(plane);

        var full = VideoMarkDetector.Detect(ToFloat(plane), w, h, Key);
        Assert.NotNull(full);
        Assert.Equal(Id, full!.MarkId);
        Assert.InRange(full.FalsePositiveProbability, 0, 1e-9);

        var half = VideoMarkDetector.Detect(Shrink(plane, w, h, 2), w / 2, h / 2, Key);
        Assert.NotNull(half);
        Assert.Equal(Id, half!.MarkId);
    }

    [Fact]
    public void Nothing_under_another_key_nor_on_unmarked_content()
    {
        int w = 960, h = 540;
        var plane = Content(w, h, 5);
        Assert.Null(VideoMarkDetector.Detect(ToFloat(plane), w, h, Key));
        new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h).Embed(plane);
        Assert.Null(VideoMarkDetector.Detect(ToFloat(plane), w, h, Other));
        var flat = new float[w * h];
        Array.Fill(flat, 90f);
        Assert.Null(VideoMarkDetector.Detect(flat, w, h, Key));
    }

    [Fact]
    public void A_strength_scales_the_same_pattern_and_one_is_the_plain_embed()
    {
        int w = 1280, h = 720;
        var e = new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 6.0);
        var plain = Content(w, h);
        var full = (byte[])plain.Clone();
        e.Embed(plain);
        e.Embed(full, 1.0);
        Assert.Equal(plain, full);

        var flat = new byte[w * h];
        Array.Fill(flat, (byte)128);
        e.Embed(flat, 0.25);
        // 6 levels at a quarter: at most 1.5, rounded to 2, and the pattern is there.
        Assert.All(flat, v => Assert.InRange(v, 126, 130));
        Assert.Contains(flat, v => v != 128);

        var half = Content(w, h);
        e.Embed(half, 0.5);
        var r = VideoMarkDetector.Detect(ToFloat(half), w, h, Key);
        Assert.NotNull(r);
        Assert.Equal(Id, r!.MarkId);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Embed(half, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Embed(half, 1.5));
    }

    /// <summary>Frames are marked in parallel; one embedder at several strengths at once must give each
    /// frame exactly what a lone call gives (the strengths cycle over 1/16 .. 16/16 on 64 frames).</summary>
    [Fact]
    public void Concurrent_embeds_at_different_strengths_match_lone_embeds()
    {
        int w = 320, h = 256;
        var content = Content(w, h);
        double Strength(int i) => (i % 16 + 1) / 16.0;
        var lone = Enumerable.Range(0, 64).Select(i =>
        {
            var frame = (byte[])content.Clone();
            new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 6.0).Embed(frame, Strength(i));
            return frame;
        }).ToArray();
        var shared = new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 6.0);
        var together = Enumerable.Range(0, 64).Select(_ => (byte[])content.Clone()).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => shared.Embed(together[i], Strength(i)));
        for (int i = 0; i < 64; i++) Assert.Equal(lone[i], together[i]);
    }

    [Fact]
    public void A_coarser_grid_reads_on_its_own_grid_only()
    {
        int w = 1280, h = 720;
        Assert.Equal((32, 18), VideoMarkLayout.Grid(w, h, 18));
        var plane = Content(w, h);
        new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), w, h, 3.0, shortSideCells: 18).Embed(plane);
        var r = VideoMarkDetector.Detect(ToFloat(plane), w, h, Key, 18);
        Assert.NotNull(r);
        Assert.Equal(Id, r!.MarkId);
        Assert.Equal((32, 18), (r.Cols, r.Rows));
        Assert.Null(VideoMarkDetector.Detect(ToFloat(plane), w, h, Key));
    }

    [Fact]
    public void Small_frames_are_refused_by_the_embedder() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoMarkEmbedder(Key, MarkPayload.For(Id, Key), 320, 240));
}
