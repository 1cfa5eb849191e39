using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>A clip stamped by the video labeler with its checks' readings captured, and verify's reading of the result:
/// what the tests of the stamp's own checks (<see cref="EncodedMarkCheckTests"/>, <see cref="ContentLockedMarkCheckTests"/>)
/// compare.</summary>
internal static class MarkCheckStamps
{
    /// <summary>Stamps <paramref name="clip"/> (an MP4) with every layer under <paramref name="key"/>, the file check in
    /// <paramref name="mode"/>; the output, the layers it lists, its context (notices) and what the checks read.</summary>
    public static async Task<(byte[] Output, Layers Applied, StampContext Context, MarkCheckReadings Readings)> Stamp(
        string clip, MarkKey key, VideoLabelOptions options, EncodedFileCheck mode)
    {
        string name = Path.GetFileNameWithoutExtension(clip);
        var id = MarkId.Compute(key, "producer", name);
        var ctx = new StampContext(name + ".mp4", MediaFormat.Mp4, new StampRequest(name, "producer", new LabelPolicy()), key, id,
            new AigcLabel("1", "producer", name), new MediaLimits(), new StageTimings());
        MarkCheckReadings? seen = null;
        var labeler = new VideoLabeler(options: options) { FileCheck = mode, MarkChecked = r => seen = r };
        var (output, applied) = await labeler.LabelAsync(await File.ReadAllBytesAsync(clip), ctx, default);
        Assert.NotNull(seen);
        return (output, applied, ctx, seen);
    }

    /// <summary>Verify's reading of the frames' mark under <paramref name="key"/>, as the CLI's verify makes it (default
    /// options: the registered read on a static miss).</summary>
    public static async Task<MarkReading?> Verify(byte[] file, MarkKey key) =>
        (await new VideoInspector().ReadFramesMarksAsync(file, "stamped.mp4", MediaFormat.Mp4, [key], new MediaLimits(), default))[0];
}
