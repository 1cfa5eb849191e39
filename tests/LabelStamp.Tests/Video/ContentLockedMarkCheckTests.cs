using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Video;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Video;

/// <summary>
/// The content-locked stamp's check of its moved mark (issue 18, round 17): the marked frames placed at the embedder's
/// maps (<see cref="MarkedFramesCheck.ReadPlaced"/>), and verify's reader on the encoded file when that reading is thin
/// (<see cref="EncodedMarkCheck.NeededPlaced"/>). Clips are made here with ffmpeg's own sources: a 640×360 pan over a
/// textured testsrc2 still (the content-locked fixture's picture, smaller), which keeps the mark, and ffmpeg's cellular
/// automaton (rule 90, seed 1), whose rows scroll up a pixel a frame, so the pattern moves with them, and whose busy cells
/// outweigh it. Synthetic frames use fixed seeds.
/// </summary>
public sealed class ContentLockedMarkCheckTests : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(120, 32).Select(i => (byte)i).ToArray());
    private static readonly VideoLabelOptions Locked = new() { X264Preset = "veryfast", MarkVersion = VideoMarkVersion.ContentLocked };
    private const int W = 640, H = 360;
    private readonly string _temp = RepoPaths.NewTempDir();

    private string Pan()
    {
        string still = Path.Combine(_temp, "still.png"), clip = Path.Combine(_temp, "pan.mp4");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=1", "-frames:v", "1", "-vf", "noise=alls=60:allf=0,gblur=sigma=2.5", still);
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "25", "-i", still, "-t", "3",
            "-vf", "crop=640:360:x='trunc(t*60)':y='trunc(t*12)',format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-an", clip);
        return clip;
    }

    private string Automaton()
    {
        string clip = Path.Combine(_temp, "automaton.mp4");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "cellauto=s=640x360:r=25:rule=90:random_fill_ratio=0.5:random_seed=1,format=yuv420p",
            "-t", "2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-an", clip);
        return clip;
    }

    [Fact]
    public async Task A_moved_pattern_is_checked_on_its_placed_frames_and_claimed_when_it_reads()
    {
        var (output, applied, ctx, seen) = await MarkCheckStamps.Stamp(Pan(), Key, Locked, EncodedFileCheck.WhenThin);

        Assert.True(seen.Moved);
        Assert.Equal(MarkedFramesVerdict.Reads, seen.Verdict);
        Assert.Equal(ctx.MarkId, seen.Placed!.MarkId);
        Assert.Null(seen.Frames);
        Assert.Equal(EncodedMarkCheck.NeededPlaced(seen.Placed), seen.FileChecked);
        Assert.Contains(ctx.Timings.Stages, s => s.Stage == "video-mark-placing");
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);
        Assert.Empty(ctx.Notices);
        var verified = Assert.IsType<MarkReading>(await MarkCheckStamps.Verify(output, Key));
        Assert.Equal(ctx.MarkId, verified.MarkId);
        Assert.Contains("content-locked", verified.Geometry);
    }

    [Fact]
    public async Task The_file_check_of_a_moved_pattern_reads_what_verify_reads()
    {
        var (output, applied, ctx, seen) = await MarkCheckStamps.Stamp(Pan(), Key, Locked, EncodedFileCheck.Always);

        Assert.True(seen.Moved);
        Assert.True(seen.FileChecked);
        var file = Assert.IsType<MarkReading>(seen.Verified);
        var verified = Assert.IsType<MarkReading>(await MarkCheckStamps.Verify(output, Key));
        Assert.Equal(ctx.MarkId, file.MarkId);
        Assert.Equal(verified.MarkId, file.MarkId);
        Assert.Equal(verified.BitErrorsCorrected, file.BitErrorsCorrected);
        // The same canvas, shift and z: verify built it in a second decode, the stamp during its one.
        Assert.Equal(verified.Geometry.Replace(", second decode", ""), file.Geometry);
        Assert.Contains(ctx.Timings.Stages, s => s.Stage == "video-mark-file-check");
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);
    }

    [Fact]
    public async Task A_moved_pattern_the_picture_outweighs_is_not_claimed_and_verify_reads_nothing()
    {
        var (output, applied, ctx, seen) = await MarkCheckStamps.Stamp(Automaton(), Key, Locked, EncodedFileCheck.WhenThin);

        Assert.True(seen.Moved);
        Assert.Equal(MarkedFramesVerdict.Unreadable, seen.Verdict);
        Assert.Null(seen.Placed);
        Assert.False(seen.FileChecked);
        Assert.Equal(Layers.Explicit | Layers.Metadata, applied);
        var notice = Assert.Single(ctx.Notices);
        Assert.Equal(Layers.Watermark, notice.Layer);
        Assert.Contains("marked frames do not read back", notice.Reason);
        Assert.Contains("placed where the pattern was drawn", notice.Reason);
        Assert.Null(await MarkCheckStamps.Verify(output, Key));
    }

    [Theory]
    [InlineData(0, 45.0, false)]
    [InlineData(0, EncodedMarkCheck.MinFramesZScore, false)]
    [InlineData(0, EncodedMarkCheck.MinFramesZScore - 0.1, true)]
    [InlineData(EncodedMarkCheck.MaxFramesBitsCorrected, 40.0, false)]
    [InlineData(EncodedMarkCheck.MaxFramesBitsCorrected + 1, 40.0, true)]
    public void A_thin_placed_reading_sends_the_stamp_to_verifys_reader(int bitsCorrected, double z, bool needed)
    {
        var reading = new RegisteredMarkReading(MarkPayload.For(new MarkId(1), Key), bitsCorrected, 1e-10, z, 0, 0, 0, 0, 10, 0, 1);
        Assert.Equal(needed, EncodedMarkCheck.NeededPlaced(reading));
    }

    /// <summary>A smooth ramp with a little per-frame noise (seed 11 + frame), marked through a map that pans 3.4 px and
    /// 1.1 px a frame: the pattern moves, so the plain mean is not judged, and the placed canvas reads the mark.</summary>
    private static byte[] PannedFrame(ContentLockedPattern pattern, int i, out FrameMap map)
    {
        var rng = new Random(11 + i);
        byte[] f = new byte[W * H];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) f[y * W + x] = (byte)(60 + 120 * (x + y) / (W + H) + rng.Next(0, 4));
        map = new FrameMap(1, -3.4 * i, 1.1 * i);
        pattern.Draw(f, map);
        return f;
    }

    [Fact]
    public void The_placed_reading_does_not_depend_on_the_frames_order_or_threads()
    {
        var id = new MarkId(0x0c0f_fee0_0000_0017);
        var pattern = new ContentLockedPattern(Key, MarkPayload.For(id, Key), W, H);
        const int total = 60;
        using var sequential = new MarkedFramesCheck(W, H, total, contentLocked: true);
        for (int i = 0; i < total; i++) sequential.Add(PannedFrame(pattern, i, out var map), i, map);
        using var shuffled = new MarkedFramesCheck(W, H, total, contentLocked: true);
        int[] order = Enumerable.Range(0, total).ToArray();
        new Random(5).Shuffle(order);
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => shuffled.Add(PannedFrame(pattern, i, out var map), i, map));

        Assert.True(sequential.Moved);
        Assert.Equal(MarkedFramesVerdict.NotChecked, sequential.Read(Key).Verdict);
        Assert.Equal(total, shuffled.PlacedFrames);
        var a = sequential.ReadPlaced(Key);
        var b = shuffled.ReadPlaced(Key);
        Assert.Equal(MarkedFramesVerdict.Reads, a.Verdict);
        Assert.Equal(id, a.Reading!.MarkId);
        Assert.Equal(a.Reading.ZScore, b.Reading!.ZScore);
        Assert.Equal(a.Reading.BitErrorsCorrected, b.Reading.BitErrorsCorrected);
        Assert.Equal((a.Reading.ShiftX, a.Reading.ShiftY), (b.Reading.ShiftX, b.Reading.ShiftY));
    }

    [Fact]
    public void A_wrong_key_or_a_missing_sampled_frame_claims_nothing()
    {
        var id = new MarkId(0x0c0f_fee0_0000_0018);
        var pattern = new ContentLockedPattern(Key, MarkPayload.For(id, Key), W, H);
        var other = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray());
        using (var check = new MarkedFramesCheck(W, H, 30, contentLocked: true))
        {
            for (int i = 0; i < 30; i++) check.Add(PannedFrame(pattern, i, out var map), i, map);
            Assert.Equal((MarkedFramesVerdict.Unreadable, (RegisteredMarkReading?)null), check.ReadPlaced(other));
        }
        using (var check = new MarkedFramesCheck(W, H, 30, contentLocked: true))
        {
            // Frame 5 never arrives (a stream cut short): the canvas would not be the one verify registers.
            for (int i = 0; i < 30; i++)
                if (i != 5) check.Add(PannedFrame(pattern, i, out var map), i, map);
            Assert.Equal(5, check.PlacedFrames);
            Assert.Equal(MarkedFramesVerdict.NotChecked, check.ReadPlaced(Key).Verdict);
        }
        // The static mark's check has no canvas: nothing placed, nothing read there.
        using (var check = new MarkedFramesCheck(W, H, 30))
        {
            check.Add(PannedFrame(pattern, 0, out _), 0);
            Assert.False(check.Places);
            Assert.Equal(MarkedFramesVerdict.NotChecked, check.ReadPlaced(Key).Verdict);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}
