using System.Globalization;
using System.Text.Json;
using LabelStamp.Errors;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Video;

/// <summary>
/// Runs ffprobe on the private workspace copy (demuxer forced from the sniffed bytes, file protocol
/// only, no data references) and checks resolution, duration and frame count against the limits
/// before a single frame is decoded (spec §10: pixel and frame bombs).
/// </summary>
public sealed class VideoProbe(ToolRunner tools)
{
    /// <summary>No real camera or generator exceeds this; a header that does is corrupt or hostile.</summary>
    public const double MaxFramesPerSecond = 1000;

    public static string Demuxer(MediaFormat format) => Pipeline.MediaCatalog.FfmpegDemuxer(format);

    public async Task<VideoStreamInfo> ProbeAsync(MediaWorkspace workspace, MediaFormat format, ReadOnlyMemory<byte> head, string name,
        MediaLimits limits, CancellationToken cancellationToken)
    {
        var probe = FfmpegCommand.Ffprobe().FileInput(Demuxer(format), workspace.InputPath).Add("-show_entries",
            "stream=index,codec_name,codec_type,width,height,pix_fmt,r_frame_rate,avg_frame_rate,nb_frames,duration,bit_rate,color_range,color_space,color_primaries,color_transfer,sample_rate,channels,sample_fmt,bits_per_raw_sample,bits_per_sample"
            + ":stream_disposition=attached_pic:stream_side_data=rotation:format=duration,bit_rate,size:format_tags",
            "-of", "json");
        string json;
        try
        {
            json = await tools.RunFfprobeAsync(probe, limits.ToolTimeout, name, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a readable {format.Name} file ({e.Message})", e);
        }
        return Parse(json, format, MediaCatalog.ContainerFor(format).MuxerFor(head.Span), name, limits);
    }

    internal static VideoStreamInfo Parse(string json, MediaFormat format, string muxer, string name, MediaLimits limits)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        JsonElement? video = null, audio = null;
        if (root.TryGetProperty("streams", out var streams))
            foreach (var s in streams.EnumerateArray())
            {
                string type = Str(s, "codec_type");
                bool coverArt = s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var ap)
                                && ap.ValueKind == JsonValueKind.Number && ap.GetInt32() == 1;
                if (type == "video" && !coverArt && video is null) video = s;
                if (type == "audio" && audio is null) audio = s;
            }
        if (video is not { } v)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: the {format.Name} file has no video stream (audio-only Matroska is not supported)");

        long width = Int(v, "width"), height = Int(v, "height");
        limits.CheckPixels(width, height, name);
        if (Rotation(v) % 180 != 0) (width, height) = (height, width);
        if (width % 2 != 0 || height % 2 != 0)
            throw new LabelStampException(ErrorCode.UnsupportedPixelFormat,
                $"{name}: {width}×{height} has an odd side; 4:2:0 video needs even sides");

        string rate = Str(v, "r_frame_rate");
        double fps = Rational(rate);
        if (!(fps > 0) || fps > MaxFramesPerSecond)
        {
            rate = Str(v, "avg_frame_rate");
            fps = Rational(rate);
        }
        if (!(fps > 0) || fps > MaxFramesPerSecond)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: no usable frame rate in the header ({rate})");

        double seconds = root.TryGetProperty("format", out var fmt) ? Dbl(fmt, "duration") : double.NaN;
        if (double.IsNaN(seconds) || seconds <= 0) seconds = Dbl(v, "duration");
        if (double.IsNaN(seconds) || seconds <= 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: duration cannot be determined from the {format.Name} header");
        if (seconds > limits.MaxDuration.TotalSeconds)
            throw new LabelStampException(ErrorCode.DurationTooLong, $"{name}: header claims {seconds:0} s, over the limit of {limits.MaxDuration}");
        limits.CheckDuration(TimeSpan.FromSeconds(seconds), name);

        // nb_frames is exact where the container indexes frames (MP4); Matroska has none, so estimate.
        long frames = Int(v, "nb_frames");
        double streamSeconds = Dbl(v, "duration");
        if (frames <= 0) frames = (long)Math.Round((double.IsNaN(streamSeconds) ? seconds : streamSeconds) * fps);
        limits.CheckFrames(frames, name);
        if (frames == 0) throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the video stream has no frames");

        long audioRate = audio is { } a0 ? Int(a0, "bit_rate") : 0;
        long videoRate = Int(v, "bit_rate");
        if (videoRate <= 0 && root.TryGetProperty("format", out var f2))
        {
            // Matroska stores no per-stream rate: the container's rate minus the audio (128k if unknown).
            long total = Int(f2, "bit_rate");
            if (total <= 0 && Int(f2, "size") > 0) total = (long)(Int(f2, "size") * 8 / seconds);
            videoRate = Math.Max(0, total - (audio is null ? 0 : audioRate > 0 ? audioRate : 128_000));
        }

        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("format", out var f3) && f3.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
            foreach (var p in t.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) tags.TryAdd(p.Name, p.Value.GetString()!);

        return new VideoStreamInfo(Str(v, "codec_name"), (int)width, (int)height, Str(v, "pix_fmt"), rate, fps, frames,
            TimeSpan.FromSeconds(seconds), videoRate, Opt(v, "color_range"), Opt(v, "color_space"), Opt(v, "color_primaries"),
            Opt(v, "color_transfer"), audio is { } a ? Str(a, "codec_name") : null, audioRate, muxer, tags)
        {
            Audio = audio is { } a1 ? AudioOf(a1, seconds, audioRate, limits) : null,
        };
    }

    /// <summary>The audio stream as the audio path describes one, from the same ffprobe call (no second
    /// probe of the track); null when its rate or channel count is outside what the audio path supports
    /// (<see cref="MediaLimits.CheckAudio"/>: then it is copied as is, and verify does not decode it).
    /// The stream's own duration is trusted only up to the container's, which the limits already checked.</summary>
    private static AudioStreamInfo? AudioOf(JsonElement a, double containerSeconds, long bitRate, MediaLimits limits)
    {
        long rate = Int(a, "sample_rate"), channels = Int(a, "channels");
        if (rate < limits.MinSampleRate || rate > limits.MaxSampleRate || channels < 1 || channels > limits.MaxChannels) return null;
        double seconds = Dbl(a, "duration");
        if (!(seconds > 0 && seconds <= containerSeconds)) seconds = containerSeconds;
        long bits = Int(a, "bits_per_raw_sample");
        if (bits <= 0) bits = Int(a, "bits_per_sample");
        return new AudioStreamInfo(Str(a, "codec_name"), (int)rate, (int)channels, TimeSpan.FromSeconds(seconds), bitRate,
            Str(a, "sample_fmt"), (int)Math.Clamp(bits, 0, 64), HasVideo: true, new Dictionary<string, string>());
    }

    private static int Rotation(JsonElement v)
    {
        if (!v.TryGetProperty("side_data_list", out var list) || list.ValueKind != JsonValueKind.Array) return 0;
        foreach (var sd in list.EnumerateArray())
            if (sd.TryGetProperty("rotation", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int deg))
                return ((deg % 360) + 360) % 360;
        return 0;
    }

    private static double Rational(string text)
    {
        int slash = text.IndexOf('/');
        if (slash < 0) return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;
        return double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out double n)
               && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) && m > 0
            ? n / m : double.NaN;
    }

    private static string? Opt(JsonElement e, string p)
    {
        string s = Str(e, p);
        return s.Length == 0 || s == "unknown" ? null : s;
    }

    private static string Str(JsonElement e, string p) =>
        e.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static long Int(JsonElement e, string p)
    {
        if (!e.TryGetProperty(p, out var v)) return 0;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)) return n;
        return v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n) ? n : 0;
    }

    private static double Dbl(JsonElement e, string p) =>
        e.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String
        && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;
}
