using System.Globalization;
using LabelStamp.Media.Audio;

namespace LabelStamp.Robustness.Video;

/// <summary>
/// One transformation of the spec §5 video suite: a platform-style H.264 re-encode at a CRF, optionally
/// scaled to a height and cut to an excerpt. Excerpts start mid-file at an offset that is not a frame
/// or GOP boundary of the original, and are re-encoded (frame-accurate), as a clip tool would do.
/// Audio is re-encoded to AAC 128 kbit/s, as platforms do.
/// </summary>
public sealed record VideoAttack(string Name, int Crf, int ScaleHeight = 0, double ExcerptSeconds = 0)
{
    /// <summary>Writes the attacked copy of <paramref name="input"/> to <paramref name="output"/> (MP4).</summary>
    public async Task ApplyAsync(string input, string output, double inputSeconds, ToolRunner tools, CancellationToken cancellationToken)
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        if (ExcerptSeconds > 0 && ExcerptSeconds < inputSeconds)
        {
            double start = Math.Max(0, (inputSeconds - ExcerptSeconds) / 2 + 0.37);
            start = Math.Min(start, inputSeconds - ExcerptSeconds);
            args.AddRange(["-ss", F(start)]);
        }
        args.AddRange(["-i", input]);
        if (ExcerptSeconds > 0) args.AddRange(["-t", F(ExcerptSeconds)]);
        if (ScaleHeight > 0) args.AddRange(["-vf", $"scale=-2:{ScaleHeight.ToString(CultureInfo.InvariantCulture)}:flags=bicubic"]);
        args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-map_metadata", "-1", "-f", "mp4", "-y", output]);
        await tools.RunForTextAsync(tools.FfmpegPath, args, TimeSpan.FromMinutes(5), "attack " + Name, Path.GetFileName(input), cancellationToken).ConfigureAwait(false);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public override string ToString() => Name;
}
