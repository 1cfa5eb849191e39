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
        var a = new List<string>();
        switch (Family(info))
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

    /// <summary>
    /// The pixel format of the raw frames on both pipes: the one the encoder codes in, so that neither ffmpeg process converts
    /// what the other converts back. Full-range input re-encoded by x264 or x265 (both code <c>yuvj420p</c>) travels as
    /// <c>yuvj420p</c>: as <c>yuv420p</c> the decoder squeezed it to video range (255 → 235) and the encoder stretched it back,
    /// two swscale passes that rounded the levels in between, and the labels were blended as full-range levels into
    /// video-range frames. Everything else travels as <c>yuv420p</c>, as the plain transcode's <c>-pix_fmt</c> converts it
    /// (libvpx takes no <c>yuvj420p</c> and codes a full-range frame as <c>yuv420p</c> with the range flag).
    /// </summary>
    public static string PipePixelFormat(VideoStreamInfo info) =>
        info.FullRange && Family(info) is "h264" or "hevc" ? "yuvj420p" : "yuv420p";

    /// <summary>The codec family the stamp re-encodes in: the input's own where its container allows it.</summary>
    private static string Family(VideoStreamInfo info)
    {
        string family = info.Codec switch
        {
            "h264" or "hevc" or "vp9" or "vp8" or "av1" => info.Codec,
            _ => info.IsWebM ? "vp9" : "h264",
        };
        return info.IsWebM && family is "h264" or "hevc" ? "vp9" : family;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
}
