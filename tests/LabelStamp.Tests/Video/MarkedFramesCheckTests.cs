using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Video;

/// <summary>
/// The stamp's check of its own marked frames (<see cref="MarkedFramesCheck"/>): a picture that carries the pattern reads,
/// a picture that outweighs it does not, the frames taken are the ones verify averages, order and threads do not matter,
/// and a moved content-locked pattern is not judged. Pictures are made here (fixed seeds, stated per test).
/// </summary>
public sealed class MarkedFramesCheckTests : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private const int W = 640, H = 360;
    private readonly string _temp = RepoPaths.NewTempDir();

    /// <summary>A smooth picture: a diagonal ramp, nothing at the cells' scale.</summary>
    private static byte[] Smooth()
    {
        var p = new byte[W * H];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) p[y * W + x] = (byte)(60 + 120 * (x + y) / (W + H));
        return p;
    }

    /// <summary>A picture that outweighs the pattern: on the mark's own grid, each cell a smooth bump of a random
    /// height in ±40 levels (seed <paramref name="seed"/>) around mid-grey, so the detector's statistic sees
    /// about ±12 levels of picture in every cell against the pattern's ±1.9.</summary>
    private static byte[] Outweighing(int seed)
    {
        var (cols, rows) = VideoMarkLayout.Grid(W, H);
        var rng = new Random(seed);
        var height = new double[cols * rows];
        for (int c = 0; c < height.Length; c++) height[c] = rng.Next(-40, 41);
        var p = new byte[W * H];
        for (int y = 0; y < H; y++)
        {
            double v = (y + 0.5) * rows / H;
            int r = (int)v;
            double wy = Math.Pow(Math.Sin(Math.PI * (v - r)), 2);
            for (int x = 0; x < W; x++)
            {
                double u = (x + 0.5) * cols / W;
                int c = (int)u;
                double wx = Math.Pow(Math.Sin(Math.PI * (u - c)), 2);
                p[y * W + x] = (byte)Math.Clamp(Math.Round(128 + height[r * cols + c] * wx * wy), 0, 255);
            }
        }
        return p;
    }

    private static (MarkedFramesVerdict Verdict, VideoMarkDetection? Detection) CheckStill(byte[] picture, MarkId id, int frames = 30)
    {
        var embedder = new VideoMarkEmbedder(Key, MarkPayload.For(id, Key), W, H);
        using var check = new MarkedFramesCheck(W, H, frames);
        for (int i = 0; i < frames; i++)
        {
            byte[] frame = (byte[])picture.Clone();
            embedder.Embed(frame);
            check.Add(frame, i);
        }
        return check.Read(Key);
    }

    [Fact]
    public void A_picture_that_carries_the_pattern_reads_its_own_mark()
    {
        var id = new MarkId(0x5eed_0000_1234_abcd);
        var (verdict, detection) = CheckStill(Smooth(), id);
        Assert.Equal(MarkedFramesVerdict.Reads, verdict);
        Assert.Equal(id, detection!.MarkId);
    }

    [Theory]
    [InlineData(18)]
    [InlineData(19)]
    public void A_picture_that_outweighs_the_pattern_does_not_read(int seed)
    {
        var (verdict, detection) = CheckStill(Outweighing(seed), new MarkId(0x5eed_0000_1234_abcd));
        Assert.Equal(MarkedFramesVerdict.Unreadable, verdict);
        Assert.Null(detection);
    }

    [Theory]
    [InlineData(300, 300, 100)]  // step 3: every third frame
    [InlineData(1000, 1000, 112)] // step 9: every ninth
    [InlineData(50, 50, 50)]     // step 1: all
    [InlineData(100, 200, 120)]  // a stream longer than its probed count: the first 120, as verify stops at 120
    public void It_takes_the_frames_verify_averages(int probed, int arriving, int taken)
    {
        using var check = new MarkedFramesCheck(W, H, probed);
        byte[] frame = Smooth();
        for (int i = 0; i < arriving; i++) check.Add(frame, i);
        Assert.Equal(taken, check.Frames);
        int step = VideoMarkSampling.Step(probed);
        Assert.Equal(taken, Enumerable.Range(0, arriving).Count(i => VideoMarkSampling.Takes(i, step)));
    }

    [Fact]
    public void Frames_from_several_threads_in_any_order_give_the_sequential_reading()
    {
        // Each frame differs (a moving ramp offset, seed 7 for the order) so a lost or doubled add changes the mean.
        var id = new MarkId(0x0123_4567_89ab_cdef);
        var embedder = new VideoMarkEmbedder(Key, MarkPayload.For(id, Key), W, H);
        byte[] Frame(int i)
        {
            byte[] f = Smooth();
            for (int p = 0; p < f.Length; p++) f[p] = (byte)Math.Min(255, f[p] + (i * 7 + p) % 5);
            embedder.Embed(f);
            return f;
        }
        const int total = 90;
        using var sequential = new MarkedFramesCheck(W, H, total);
        for (int i = 0; i < total; i++) sequential.Add(Frame(i), i);
        using var parallel = new MarkedFramesCheck(W, H, total);
        int[] order = Enumerable.Range(0, total).ToArray();
        new Random(7).Shuffle(order);
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel.Add(Frame(i), i));
        var a = sequential.Read(Key);
        var b = parallel.Read(Key);
        Assert.Equal(MarkedFramesVerdict.Reads, a.Verdict);
        Assert.Equal(a.Verdict, b.Verdict);
        Assert.Equal(a.Detection!.ZScore, b.Detection!.ZScore);
        Assert.Equal(a.Detection.BitErrorsCorrected, b.Detection.BitErrorsCorrected);
    }

    /// <summary>The sums are ushort (120 frames of 255 fit); a caller that sends more frames than the sampling would
    /// cannot wrap them: frames past the 120th are not added. 300 bright frames would wrap a ushort sum (300 × ≥ 130).</summary>
    [Fact]
    public void More_frames_than_the_sampling_takes_are_not_added()
    {
        var id = new MarkId(0x0bad_f00d_0000_0001);
        byte[] bright = Smooth();
        for (int p = 0; p < bright.Length; p++) bright[p] = (byte)(bright[p] + 70);
        new VideoMarkEmbedder(Key, MarkPayload.For(id, Key), W, H).Embed(bright);
        using var check = new MarkedFramesCheck(W, H, 10);
        for (int i = 0; i < 300; i++) check.Add(bright, 0);
        Assert.Equal(VideoMarkSampling.MaxAveragedFrames, check.Frames);
        var (verdict, detection) = check.Read(Key);
        Assert.Equal(MarkedFramesVerdict.Reads, verdict);
        Assert.Equal(id, detection!.MarkId);
    }

    [Fact]
    public void A_moved_pattern_or_no_frame_is_not_judged()
    {
        using (var check = new MarkedFramesCheck(W, H, 10))
            Assert.Equal(MarkedFramesVerdict.NotChecked, check.Read(Key).Verdict);
        using (var check = new MarkedFramesCheck(W, H, 10))
        {
            check.Add(Outweighing(18), 0);
            check.Add(Outweighing(18), 1, new FrameMap(1, 3, 0));
            Assert.True(check.Moved);
            Assert.Equal(MarkedFramesVerdict.NotChecked, check.Read(Key).Verdict);
        }
    }

    /// <summary>Through the labeler: a still clip of the outweighing picture (seed 18) is stamped with every layer but the
    /// watermark is not listed, and a notice says why; the smooth picture's stamp lists it.</summary>
    [Fact]
    public async Task A_still_whose_marked_frames_do_not_read_is_stamped_without_claiming_the_mark()
    {
        async Task<(Layers Applied, IList<LayerNotice> Notices)> StampStill(byte[] picture, string name)
        {
            string raw = Path.Combine(_temp, name + ".gray"), clip = Path.Combine(_temp, name + ".mp4");
            await File.WriteAllBytesAsync(raw, picture);
            VideoFixture.Ffmpeg("-f", "rawvideo", "-pix_fmt", "gray", "-s", $"{W}x{H}", "-framerate", "25", "-stream_loop", "-1", "-i", raw, "-t", "2",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-an", clip);
            var id = MarkId.Compute(Key, "producer", name);
            var ctx = new StampContext(name + ".mp4", MediaFormat.Mp4, new StampRequest(name, "producer", new LabelPolicy()), Key, id,
                new AigcLabel("1", "producer", name), new MediaLimits(), new StageTimings());
            var (_, applied) = await new VideoLabeler(options: VideoFixture.FastOptions).LabelAsync(await File.ReadAllBytesAsync(clip), ctx, default);
            return (applied, ctx.Notices);
        }

        var busy = await StampStill(Outweighing(18), "busy");
        Assert.Equal(Layers.Explicit | Layers.Metadata, busy.Applied);
        var notice = Assert.Single(busy.Notices);
        Assert.Equal(Layers.Watermark, notice.Layer);
        Assert.Contains("do not read back", notice.Reason);

        var smooth = await StampStill(Smooth(), "smooth");
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, smooth.Applied);
        Assert.Empty(smooth.Notices);
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}
