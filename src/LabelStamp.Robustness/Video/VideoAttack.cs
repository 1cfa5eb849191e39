using System.Globalization;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Robustness.Video;

/// <summary>
/// One transformation of the spec §5 video suite: a platform-style H.264 re-encode at a CRF, optionally
/// scaled to a height and cut to an excerpt. Excerpts start mid-file at an offset that is not a frame
/// or GOP boundary of the original, and are re-encoded (frame-accurate), as a clip tool would do.
/// Audio is re-encoded to AAC 128 kbit/s (Opus in WebM), as platforms do. <see cref="Codec"/> picks the
/// re-encoder (h264: libx264 at <see cref="Preset"/>; h265: libx265; vp9: libvpx-vp9 constant quality);
/// <see cref="ExcerptAt"/> places an excerpt (0 = the start, 1 = the end; default mid-file, off the GOP
/// grid). <see cref="AudioOnly"/> drops the audio track (the frames must speak alone).
/// </summary>
public sealed record VideoAttack(string Name, int Crf, int ScaleHeight = 0, double ExcerptSeconds = 0, string Codec = "h264",
    string Preset = "veryfast", double ExcerptAt = -1, bool DropAudio = false)
{
    /// <summary>The file extension the attacked copy needs (VP9 goes into WebM).</summary>
    public string Extension => Codec == "vp9" ? ".webm" : ".mp4";

    /// <summary>Writes the attacked copy of <paramref name="input"/> to <paramref name="output"/> (MP4).</summary>
    public async Task ApplyAsync(string input, string output, double inputSeconds, ToolRunner tools, CancellationToken cancellationToken)
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        if (ExcerptSeconds > 0 && ExcerptSeconds < inputSeconds)
        {
            double start = ExcerptAt >= 0
                ? ExcerptAt * (inputSeconds - ExcerptSeconds)
                : Math.Max(0, (inputSeconds - ExcerptSeconds) / 2 + 0.37);
            start = Math.Min(start, inputSeconds - ExcerptSeconds);
            args.AddRange(["-ss", F(start)]);
        }
        args.AddRange(["-i", input]);
        if (ExcerptSeconds > 0) args.AddRange(["-t", F(ExcerptSeconds)]);
        if (ScaleHeight > 0) args.AddRange(["-vf", $"scale=-2:{ScaleHeight.ToString(CultureInfo.InvariantCulture)}:flags=bicubic"]);
        string crf = Crf.ToString(CultureInfo.InvariantCulture);
        args.AddRange(Codec switch
        {
            "h265" => ["-c:v", "libx265", "-preset", Preset, "-crf", crf, "-x265-params", "log-level=error"],
            "vp9" => ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", crf, "-deadline", "good", "-cpu-used", "5", "-row-mt", "1"],
            _ => ["-c:v", "libx264", "-preset", Preset, "-crf", crf],
        });
        args.AddRange(["-pix_fmt", "yuv420p"]);
        if (DropAudio) args.Add("-an");
        else args.AddRange(Codec == "vp9" ? ["-c:a", "libopus", "-b:a", "96k"] : ["-c:a", "aac", "-b:a", "128k"]);
        args.AddRange(["-map_metadata", "-1", "-f", Codec == "vp9" ? "webm" : "mp4", "-y", output]);
        await tools.RunForTextAsync(tools.FfmpegPath, args, TimeSpan.FromMinutes(5), "attack " + Name, Path.GetFileName(input), cancellationToken).ConfigureAwait(false);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public override string ToString() => Name;
}
