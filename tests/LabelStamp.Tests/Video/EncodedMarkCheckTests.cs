using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Video;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Video;

/// <summary>
/// The stamp's read of its own encoded file (<see cref="EncodedMarkCheck"/>) under the static mark: a thin reading of the marked frames sends
/// the stamp to its file, a file the encoder stripped of the pattern is not claimed, the file check reads exactly what
/// verify reads, and a wide margin costs no second decode. Clips are made here with ffmpeg's own sources: a cellular
/// automaton (rule 110, random_seed 2) whose busy, ever-changing 360p frames make x264 drop the pattern while the frames
/// handed to it still read, and testsrc2, which keeps it.
/// </summary>
public sealed class EncodedMarkCheckTests : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());
    private readonly string _temp = RepoPaths.NewTempDir();

    private string Clip(string name, string source)
    {
        string path = Path.Combine(_temp, name + ".mp4");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", source + ",format=yuv420p", "-t", "2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-an", path);
        return path;
    }

    [Theory]
    [InlineData(0, 45.0, false)]
    [InlineData(0, 35.0, false)]
    [InlineData(0, 34.9, true)]
    [InlineData(3, 40.0, true)]
    [InlineData(2, 40.0, false)]
    public void A_thin_reading_of_the_frames_sends_the_stamp_to_its_file(int bitsCorrected, double z, bool needed)
    {
        var reading = new VideoMarkDetection(MarkPayload.For(new MarkId(1), Key), bitsCorrected, 1e-10, z, 64, 36, 1);
        Assert.Equal(needed, EncodedMarkCheck.Needed(reading));
    }

    [Fact]
    public async Task A_file_the_encoder_stripped_of_the_pattern_is_not_claimed()
    {
        string clip = Clip("automaton", "cellauto=s=640x360:r=25:rule=110:random_fill_ratio=0.5:random_seed=2");
        var (output, applied, ctx, seen) = await MarkCheckStamps.Stamp(clip, Key, VideoFixture.FastStatic, EncodedFileCheck.WhenThin);

        // The frames handed to the encoder carry the mark; the encoder's output does not.
        Assert.Equal(MarkedFramesVerdict.Reads, seen.Verdict);
        Assert.True(seen.FileChecked);
        Assert.Null(seen.File);
        Assert.Equal(Layers.Explicit | Layers.Metadata, applied);
        var notice = Assert.Single(ctx.Notices);
        Assert.Equal(Layers.Watermark, notice.Layer);
        Assert.Contains("stamped file does not read back", notice.Reason);
        Assert.Contains(ctx.Timings.Stages, s => s.Stage == "video-mark-file-check");
        // ...and verify agrees: nothing under the key in the frames.
        Assert.Null(await MarkCheckStamps.Verify(output, Key));
    }

    [Fact]
    public async Task The_file_check_reads_what_verify_reads()
    {
        string clip = Clip("testsrc2", "testsrc2=s=640x360:r=25");
        var (output, applied, ctx, seen) = await MarkCheckStamps.Stamp(clip, Key, VideoFixture.FastStatic, EncodedFileCheck.Always);

        Assert.True(seen.FileChecked);
        var file = Assert.IsType<VideoMarkDetection>(seen.File);
        var verified = Assert.IsType<MarkReading>(await MarkCheckStamps.Verify(output, Key));
        Assert.Equal(ctx.MarkId, file.MarkId);
        Assert.Equal(verified.MarkId, file.MarkId);
        Assert.Equal(verified.BitErrorsCorrected, file.BitErrorsCorrected);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"z {file.ZScore:0.#},"), verified.Geometry);
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);
    }

    [Fact]
    public async Task A_wide_margin_costs_no_second_decode()
    {
        string clip = Clip("testsrc2-wide", "testsrc2=s=640x360:r=25");
        var (_, applied, ctx, seen) = await MarkCheckStamps.Stamp(clip, Key, VideoFixture.FastStatic, EncodedFileCheck.WhenThin);

        Assert.Equal(MarkedFramesVerdict.Reads, seen.Verdict);
        Assert.False(EncodedMarkCheck.Needed(seen.Frames!));
        Assert.False(seen.FileChecked);
        Assert.DoesNotContain(ctx.Timings.Stages, s => s.Stage == "video-mark-file-check");
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);
    }

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}
