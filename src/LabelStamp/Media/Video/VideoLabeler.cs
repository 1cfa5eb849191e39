using System.Diagnostics;
using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Video;

/// <summary>
/// The video adapter (issue 8): MP4/MOV and WebM/MKV through ffmpeg processes. ffprobe checks the
/// limits first; then one streaming pass decodes raw yuv420p frames from a private temp copy (demuxer
/// forced, never the caller's path), blends the labels (the big opening label for
/// <see cref="VideoLabelOptions.OpeningSeconds"/>, then the small corner label), adds the image mark
/// to every frame's luma plane (the same keyed tile each frame, so a detector can average frames) and
/// encodes with the input's codec family at a CRF estimated from its bitrate (<see cref="VideoCodecs"/>).
/// Meanwhile the audio track goes through the audio path (<see cref="VideoAudioTrack"/>). A last
/// stream-copy mux joins them, keeps the input's tags and writes the AIGC label
/// (MP4: <c>moov/udta/meta</c> mdta key; Matroska: <c>Tags/SimpleTag</c>).
/// </summary>
public sealed class VideoLabeler : IMediaLabeler
{
    private readonly ToolRunner _tools;
    private readonly LabelRenderer _renderer;
    private readonly VideoAudioTrack _audio;
    private readonly VideoLabelOptions _options;

    public VideoLabeler(LabelRenderer? renderer = null, AudioLabeler? audio = null, VideoLabelOptions? options = null, ToolRunner? tools = null)
    {
        _tools = tools ?? new ToolRunner();
        _renderer = renderer ?? new LabelRenderer();
        _options = (options ?? new VideoLabelOptions()).Validate();
        _audio = new VideoAudioTrack(_tools, audio ?? new AudioLabeler(_tools), new AudioInspector(_tools));
    }

    public VideoLabelOptions Options => _options;

    public bool Handles(MediaFormat format) => format == MediaFormat.Mp4 || format == MediaFormat.Matroska;

    public async Task<(byte[] Output, Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken)
    {
        var format = context.Format;
        string name = context.Name;
        if (!Handles(format)) throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name} is not a video container");
        if (input.IsEmpty) throw new LabelStampException(ErrorCode.EmptyInput, $"{name}: file is empty");
        context.Limits.CheckBytes(input.Length, name);
        var policy = context.Request.Policy;
        var timeout = context.Limits.ToolTimeout;
        long start = Stopwatch.GetTimestamp();

        using var ws = await AudioWorkspace.CreateAsync(input, format == MediaFormat.Matroska ? ".mkv" : ".mp4", cancellationToken).ConfigureAwait(false);
        var info = await new VideoProbe(_tools).ProbeAsync(ws, format, input, name, context.Limits, cancellationToken).ConfigureAwait(false);
        context.Timings.Add("video-probe", Stopwatch.GetElapsedTime(start).TotalMilliseconds);

        bool explicitLabel = (policy.Layers & Layers.Explicit) != 0;
        bool watermark = (policy.Layers & Layers.Watermark) != 0 && Math.Min(info.Width, info.Height) >= ImageMarkDetector.MinimumSide;
        bool metadata = (policy.Layers & Layers.Metadata) != 0;
        bool audioLayers = (policy.Layers & (Layers.Explicit | Layers.Watermark)) != 0;

        // The audio track runs beside the video pass (it is short work on its own ffmpeg processes).
        Task<(string Path, MediaFormat Format)?> audioTask = info.HasAudio && audioLayers
            ? LabelAudioAsync(ws, format, info, context, cancellationToken)
            : Task.FromResult<(string, MediaFormat)?>(null);

        string videoPath = ws.PathFor("video" + (format == MediaFormat.Matroska ? ".mkv" : ".mp4"));
        bool reencoded = explicitLabel || watermark;
        if (reencoded)
        {
            long t = Stopwatch.GetTimestamp();
            var processor = CreateProcessor(info, context, explicitLabel, watermark);
            var decode = DecodeArguments(ws, format, info);
            var encode = new List<string> { "-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file,pipe",
                "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", Invariant(info.Width) + "x" + Invariant(info.Height),
                "-framerate", info.FrameRate, "-i", "pipe:0" };
            encode.AddRange(VideoCodecs.EncoderArguments(info, _options));
            encode.AddRange(["-an", "-f", format == MediaFormat.Matroska ? "matroska" : "mp4", "-y", "file:" + videoPath]);
            int frames = await new FramePipeline(_tools).RunAsync(decode, encode, info.FrameBytes, _options.FramesInFlight, parallel: true,
                processor, name, timeout, cancellationToken).ConfigureAwait(false);
            CheckFrameCount(frames, info, name);
            context.Timings.Add("video-pipeline", Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        (string Path, MediaFormat Format)? audioPath;
        try
        {
            audioPath = await audioTask.ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code is ErrorCode.UnsupportedFormat)
        {
            audioPath = null; // an audio codec the audio path cannot re-encode is kept as it was
        }

        long m = Stopwatch.GetTimestamp();
        string outPath = ws.PathFor("output" + (format == MediaFormat.Matroska ? ".mkv" : ".mp4"));
        var mux = MuxArguments(ws, format, info, reencoded ? videoPath : null, audioPath, metadata ? context.Aigc.ToJson() : null, outPath);
        await _tools.RunForTextAsync(_tools.FfmpegPath, mux, timeout, "ffmpeg mux", name, cancellationToken).ConfigureAwait(false);
        context.Timings.Add("video-mux", Stopwatch.GetElapsedTime(m).TotalMilliseconds);

        byte[] output = await File.ReadAllBytesAsync(outPath, cancellationToken).ConfigureAwait(false);
        var applied = (explicitLabel ? Layers.Explicit : 0) | (watermark ? Layers.Watermark : 0) | (metadata ? Layers.Metadata : 0);
        return (output, applied);
    }

    private async Task<(string Path, MediaFormat Format)?> LabelAudioAsync(AudioWorkspace ws, MediaFormat format, VideoStreamInfo info, StampContext context, CancellationToken ct)
    {
        long t = Stopwatch.GetTimestamp();
        var track = await _audio.ExtractAsync(ws, format, info.AudioCodec, context.Name, context.Limits.ToolTimeout, ct).ConfigureAwait(false);
        if (track is not { } tr) return null;
        string path = await _audio.LabelAsync(tr.Bytes, tr.Format, context, ws, ct).ConfigureAwait(false);
        context.Timings.Add("video-audio-track", Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        return (path, tr.Format);
    }

    /// <summary>Raw yuv420p frames on stdout, one per decoded frame (no frame-rate conversion).</summary>
    public static IReadOnlyList<string> DecodeArguments(AudioWorkspace ws, MediaFormat format, VideoStreamInfo info, string? filter = null)
    {
        var a = new List<string> { "-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file" };
        a.AddRange(VideoProbe.InputArguments(format, ws.InputPath));
        a.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough"]);
        if (filter is not null) a.AddRange(["-vf", filter]);
        a.AddRange(["-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"]);
        return a;
    }

    /// <summary>A file that decodes to fewer frames than its index promises is cut short (spec §10: truncated).</summary>
    public static void CheckFrameCount(int decoded, VideoStreamInfo info, string name)
    {
        long tolerance = Math.Max(2, info.Frames / 50);
        if (decoded == 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: no video frame could be decoded");
        if (decoded < info.Frames - tolerance)
            throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: only {decoded} of {info.Frames} video frames could be decoded; the file is truncated or damaged");
    }

    private FramePipeline.FrameProcessor CreateProcessor(VideoStreamInfo info, StampContext context, bool explicitLabel, bool watermark)
    {
        var policy = context.Request.Policy;
        int w = info.Width, h = info.Height;
        PlanarLabel? opening = null, corner = null;
        int openingFrames = 0;
        if (explicitLabel)
        {
            int inset = LabelGeometry.Inset(w, h, policy);
            var big = _renderer.Render(policy.Wording, policy.Font, LabelGeometry.TextHeight(w, h, policy), policy.PlateOpacity);
            var (x, y) = LabelGeometry.Place(w, h, big.Width, big.Height, policy.Corner, inset, context.Name);
            opening = new PlanarLabel(big, x, y, w, h, info.FullRange);
            openingFrames = (int)Math.Ceiling(_options.OpeningSeconds * info.FramesPerSecond);
            if (_options.CornerLabel)
            {
                var small = _renderer.Render(policy.Wording, policy.Font, CornerTextHeight(w, h, _options), policy.PlateOpacity);
                var (cx, cy) = LabelGeometry.Place(w, h, small.Width, small.Height, policy.Corner, inset, context.Name);
                corner = new PlanarLabel(small, cx, cy, w, h, info.FullRange);
            }
        }
        var mark = watermark
            ? new LumaMarkScaler(context.Key, MarkPayload.For(context.MarkId, context.Key), LumaMarkScaler.FactorFor(w, h, _options.MarkScale), _options.MarkStrength)
            : null;
        return (frame, index) =>
        {
            if (index < openingFrames) opening!.Apply(frame);
            else corner?.Apply(frame);
            // The luma plane is the first w·h bytes of a yuv420p frame.
            mark?.Embed(frame, w, h);
        };
    }

    /// <summary>Ink height of the persistent corner label: the option's fraction of the shorter side,
    /// never under the legible minimum.</summary>
    public static int CornerTextHeight(int width, int height, VideoLabelOptions options) =>
        Math.Max(LabelGeometry.MinLegibleTextHeight, (int)Math.Ceiling(Math.Min(width, height) * options.CornerTextHeightFraction));

    private static IReadOnlyList<string> MuxArguments(AudioWorkspace ws, MediaFormat format, VideoStreamInfo info, string? videoPath,
        (string Path, MediaFormat Format)? audio, string? aigcJson, string outPath)
    {
        var a = new List<string> { "-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file" };
        int original;
        int next = 0;
        int videoInput = 0, audioInput = -1;
        if (videoPath is not null)
        {
            a.AddRange(["-f", format == MediaFormat.Matroska ? "matroska" : "mov", "-i", "file:" + videoPath]);
            videoInput = next++;
        }
        if (audio is { } track)
        {
            a.AddRange(["-f", AudioCodecs.Demuxer(track.Format)]);
            if (track.Format == MediaFormat.Mp4) a.AddRange(["-enable_drefs", "0"]);
            a.AddRange(["-i", "file:" + track.Path]);
            audioInput = next++;
        }
        a.AddRange(VideoProbe.InputArguments(format, ws.InputPath));
        original = next;
        if (videoPath is null) videoInput = original;
        a.AddRange(["-map", Invariant(videoInput) + ":v:0"]);
        if (audioInput >= 0) a.AddRange(["-map", Invariant(audioInput) + ":a:0"]);
        else if (info.HasAudio) a.AddRange(["-map", Invariant(original) + ":a:0"]);
        // Keep the input's container and stream tags (title, language, handler, …); the AIGC tag
        // below replaces any earlier one, so a file never holds two.
        a.AddRange(["-map_metadata", Invariant(original), "-map_metadata:s:v:0", Invariant(original) + ":s:v:0"]);
        if (info.HasAudio) a.AddRange(["-map_metadata:s:a:0", Invariant(original) + ":s:a:0"]);
        a.AddRange(["-c", "copy"]);
        if (aigcJson is not null) a.AddRange(["-metadata", "AIGC=" + aigcJson]);
        if (format == MediaFormat.Mp4)
            // use_metadata_tags writes moov/udta/meta with an mdta 'keys' entry per tag (GB 45438 Annex E
            // placement for MP4); faststart puts moov first for progressive playback.
            a.AddRange(["-movflags", "+use_metadata_tags+faststart"]);
        a.AddRange(["-f", VideoCodecs.Muxer(info, format), "-y", "file:" + outPath]);
        return a;
    }

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
