using System.Globalization;

namespace LabelStamp.Media.Video;

/// <summary>
/// The encoder that re-creates the input's codec family, and the quality rule (docs/video.md).
/// Quality: the input's bits per pixel per frame (bpp = bitrate / (width · height · fps)) predicts the
/// constant-rate factor that gives a similar rate. Anchor: x264 CRF 23 ≈ 0.06 bpp on typical footage;
/// each halving of bpp is +6 CRF (x264's rule of thumb: +6 CRF halves the bitrate). The result is
/// clamped to [18, 26]: a re-encode compounds loss, so a starved input never drags the output below
/// CRF 26, and a near-lossless input does not blow the size up beyond CRF 18. x265 and VP9/AV1 use
/// the same estimate shifted onto their own scales (x265 CRF 28 ≈ x264 23; libvpx-vp9 CRF 32 ≈ x264 23).
/// </summary>
public static class VideoCodecs
{
    public const double AnchorBitsPerPixel = 0.06;
    public const int AnchorCrf = 23;
    public const int MinCrf = 18, MaxCrf = 26;

    /// <summary>The x264-scale CRF for an input; <see cref="AnchorCrf"/> when the bitrate is unknown.</summary>
    public static int EstimateCrf(double bitsPerPixel)
    {
        if (double.IsNaN(bitsPerPixel) || bitsPerPixel <= 0) return AnchorCrf;
        double crf = AnchorCrf - 6 * Math.Log2(bitsPerPixel / AnchorBitsPerPixel);
        return (int)Math.Clamp(Math.Round(crf), MinCrf, MaxCrf);
    }

    /// <summary>Encoder arguments for the input's codec family. WebM allows only VP8/VP9/AV1; anything
    /// else (MPEG-4 part 2, ProRes, …) becomes H.264 in MP4/MKV and VP9 in WebM.</summary>
    public static IReadOnlyList<string> EncoderArguments(VideoStreamInfo info, VideoLabelOptions options)
    {
        int crf = EstimateCrf(info.BitsPerPixel);
        string family = info.Codec switch
        {
            "h264" or "hevc" or "vp9" or "vp8" or "av1" => info.Codec,
            _ => info.IsWebM ? "vp9" : "h264",
        };
        if (info.IsWebM && family is "h264" or "hevc") family = "vp9";
        var a = new List<string>();
        switch (family)
        {
            case "hevc":
                a.AddRange(["-c:v", "libx265", "-preset", options.X265Preset, "-crf", I(Math.Clamp(crf + 5, 20, 34)),
                    "-x265-params", "log-level=error", "-tag:v", "hvc1"]);
                break;
            case "vp9":
                a.AddRange(["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", I(Math.Clamp(crf + 9, 20, 45)),
                    "-deadline", "good", "-cpu-used", I(options.VpxCpuUsed), "-row-mt", "1"]);
                break;
            case "vp8":
                a.AddRange(["-c:v", "libvpx", "-b:v", I(Math.Max(200_000, info.VideoBitRate * 3 / 2)), "-crf", I(Math.Clamp(crf - 13, 4, 30)),
                    "-deadline", "good", "-cpu-used", I(options.VpxCpuUsed)]);
                break;
            case "av1":
                a.AddRange(["-c:v", "libsvtav1", "-crf", I(Math.Clamp(crf + 12, 20, 50)), "-preset", "8"]);
                break;
            default:
                a.AddRange(["-c:v", "libx264", "-preset", options.X264Preset, "-crf", I(crf)]);
                break;
        }
        a.AddRange(["-pix_fmt", info.FullRange ? "yuvj420p" : "yuv420p"]);
        if (info.ColorRange is { } r) a.AddRange(["-color_range", r]);
        if (info.ColorSpace is { } s) a.AddRange(["-colorspace", s]);
        if (info.ColorPrimaries is { } p) a.AddRange(["-color_primaries", p]);
        if (info.ColorTransfer is { } t) a.AddRange(["-color_trc", t]);
        return a;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
