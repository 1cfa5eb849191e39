using System.Globalization;
using System.Text.Json;
using LabelStamp.Errors;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Audio;

/// <summary>A file's first audio stream: from its headers in process (<see cref="AudioHeader"/>) when they
/// settle it, else from ffprobe on the workspace copy, demuxer forced, file protocol only.</summary>
public sealed class AudioProbe(ToolRunner tools)
{
    public async Task<AudioStreamInfo> ReadAsync(ReadOnlyMemory<byte> input, MediaWorkspace workspace, MediaFormat format, string name,
        TimeSpan timeout, CancellationToken cancellationToken) =>
        AudioHeader.TryRead(input.Span, format, name)
        ?? await ProbeAsync(workspace, format, name, timeout, cancellationToken).ConfigureAwait(false);


    public async Task<AudioStreamInfo> ProbeAsync(MediaWorkspace workspace, MediaFormat format, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = FfmpegCommand.Ffprobe().FileInput(AudioCodecs.Demuxer(format), workspace.InputPath).Add("-show_entries",
            "stream=codec_name,codec_type,sample_rate,channels,bit_rate,sample_fmt,bits_per_raw_sample,bits_per_sample:stream_tags:format=duration,bit_rate:format_tags",
            "-of", "json");
        string json;
        try
        {
            json = await tools.RunFfprobeAsync(probe, timeout, name, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a readable {format.Name} file ({e.Message})", e);
        }
        return Parse(json, format, name);
    }

    internal static AudioStreamInfo Parse(string json, MediaFormat format, string name)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        JsonElement? audio = null;
        bool hasVideo = false;
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("streams", out var streams))
            foreach (var s in streams.EnumerateArray())
            {
                string type = Str(s, "codec_type");
                string codec = Str(s, "codec_name");
                // Cover art in MP3/M4A shows up as a video stream of an image codec: not video.
                if (type == "video" && codec is not ("mjpeg" or "png" or "bmp" or "gif")) hasVideo = true;
                if (type == "audio" && audio is null) { audio = s; CopyTags(s, tags); }
            }
        if (root.TryGetProperty("format", out var fmt)) CopyTags(fmt, tags);
        if (audio is not { } a)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the {format.Name} file has no audio stream");
        // Rate and channels are range-checked by the caller against its limits (MediaLimits.CheckAudio, LS113).
        int rate = Int32(a, "sample_rate"), channels = Int32(a, "channels");
        double seconds = root.TryGetProperty("format", out var f2) ? Dbl(f2, "duration") : double.NaN;
        if (double.IsNaN(seconds) || seconds <= 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: duration cannot be determined from the {format.Name} header");
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            throw new LabelStampException(ErrorCode.DurationTooLong, $"{name}: header claims an absurd duration ({seconds:0} s)");
        long bitRate = Int(a, "bit_rate");
        if (bitRate <= 0 && root.TryGetProperty("format", out var f3)) bitRate = Int(f3, "bit_rate");
        int bits = Int32(a, "bits_per_raw_sample");
        if (bits <= 0) bits = Int32(a, "bits_per_sample");
        return new AudioStreamInfo(Str(a, "codec_name"), rate, channels, TimeSpan.FromSeconds(seconds), bitRate,
            Str(a, "sample_fmt"), bits, hasVideo, tags);
    }

    private static void CopyTags(JsonElement e, Dictionary<string, string> tags)
    {
        if (!e.TryGetProperty("tags", out var t) || t.ValueKind != JsonValueKind.Object) return;
        foreach (var p in t.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) tags.TryAdd(p.Name, p.Value.GetString()!);
    }

    private static string Str(JsonElement e, string p) =>
        e.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static long Int(JsonElement e, string p)
    {
        if (!e.TryGetProperty(p, out var v)) return 0;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)) return n;
        return v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n) ? n : 0;
    }

    private static int Int32(JsonElement e, string p) => (int)Math.Clamp(Int(e, p), int.MinValue, int.MaxValue);

    private static double Dbl(JsonElement e, string p) =>
        e.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String
        && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN;
}
