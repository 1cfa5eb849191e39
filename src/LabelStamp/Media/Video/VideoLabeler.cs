using System.Diagnostics;
using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Video;

/// <summary>
/// The video adapter (issue 8): MP4/MOV and WebM/MKV through ffmpeg processes. ffprobe checks the
/// limits first; then one streaming pass decodes raw yuv420p frames from a private temp copy (demuxer
/// forced, never the caller's path), blends the labels (the big opening label for
/// <see cref="VideoLabelOptions.OpeningSeconds"/>, then the small corner label), adds the video mark
/// to every frame's luma plane (<see cref="VideoLabelOptions.MarkVersion"/>: the same keyed pattern in every frame, or one
/// glued to the picture's motion, or by default the second where it reads with margin, else a second pass with the first) and
/// encodes with the input's codec family at a CRF estimated from its bitrate (<see cref="VideoCodecs"/>).
/// The same encoder process takes the audio track, decoded by a second ffmpeg process and labeled by the
/// audio path's own sample processor (<see cref="AudioLabeler.CreateSampleProcessorAsync"/>), through a
/// Unix socket in the workspace (<see cref="SampleSocket"/>), keeps the input's tags and writes the AIGC label (MP4: <c>moov/udta/meta</c> mdta key;
/// Matroska: <c>Tags/SimpleTag</c>) and faststart: no separate audio encode or mux.
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

    public bool Handles(MediaFormat format) => format.Kind == MediaKind.Video;

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

        var container = MediaCatalog.ContainerFor(format);
        using var ws = await MediaWorkspace.CreateAsync(input, container.WorkspaceExtension, cancellationToken).ConfigureAwait(false);
        var info = await new VideoProbe(_tools).ProbeAsync(ws, format, input, name, context.Limits, cancellationToken).ConfigureAwait(false);
        context.Timings.Add("video-probe", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        RestampGuard.Check(info.Tags.GetValueOrDefault("AIGC"), context);
        context.Deadline?.Allow(Work(context, info));

        bool explicitLabel = (policy.Layers & Layers.Explicit) != 0;
        bool watermark = (policy.Layers & Layers.Watermark) != 0 && Math.Min(info.Width, info.Height) >= VideoMarkLayout.MinimumSide;
        bool metadata = (policy.Layers & Layers.Metadata) != 0;
        if ((policy.Layers & Layers.Watermark) != 0 && !watermark)
            context.Notices.Add(new LayerNotice(Layers.Watermark, string.Create(CultureInfo.InvariantCulture,
                $"{info.Width}x{info.Height} frames are below the {VideoMarkLayout.MinimumSide} px minimum side the watermark can be read at")));
        bool audioLayers = (policy.Layers & (Layers.Explicit | Layers.Watermark)) != 0;

        string outPath = ws.PathFor("output" + container.WorkspaceExtension);
        string? aigcJson = metadata ? context.Aigc.ToJson() : null;
        bool reencoded = explicitLabel || watermark;
        if (reencoded)
        {
            var version = _options.MarkVersion == VideoMarkVersion.Auto ? VideoMarkVersion.ContentLocked : _options.MarkVersion;
            var pass = await EncodePassAsync(version, "video-pipeline", ws, format, info, context, explicitLabel, watermark, audioLayers, aigcJson, outPath, cancellationToken)
                .ConfigureAwait(false);
            try
            {
                (MarkedFramesVerdict Verdict, RegisteredMarkReading? Reading)? placed = null;
                MovedCheck? movedCheck = null;
                if (pass.Check is { Moved: true } moved)
                {
                    placed = context.Timings.Measure("video-mark-check", () => moved.ReadPlaced(context.Key));
                    if (_options.MarkVersion == VideoMarkVersion.Auto && !LockedMarkHolds(placed.Value))
                    {
                        // Thin where it was drawn: the content-locked stamp is kept when verify's own reader finds this item's
                        // mark in the encoded file (since round 19's prefilter such stamps read after the re-encodes where the
                        // static pattern's do; bench/VIDEO.md round 19). Not decoding where it was drawn, or not from the file:
                        // the static pattern is stamped instead, in a second pass over the input (round 18).
                        if (placed.Value.Verdict == MarkedFramesVerdict.Reads)
                            movedCheck = new MovedCheck(await MovedMarkLostAsync(pass.Check, placed.Value, format, outPath, info, context, cancellationToken)
                                .ConfigureAwait(false));
                        if (movedCheck is not { Lost: null })
                        {
                            pass.Check.Dispose();
                            placed = null;
                            movedCheck = null;
                            context.Deadline?.Allow(2 * Work(context, info));
                            pass = await EncodePassAsync(VideoMarkVersion.Static, "video-pipeline-static", ws, format, info, context, explicitLabel, watermark,
                                audioLayers, aigcJson, outPath, cancellationToken).ConfigureAwait(false) with { Passes = 2 };
                        }
                    }
                }
                if (pass.Check is not null && !await MarkReadsBackAsync(pass, placed, movedCheck, ws, format, outPath, info, context, cancellationToken).ConfigureAwait(false))
                    watermark = false;
            }
            finally
            {
                pass.Check?.Dispose();
            }
        }
        else
        {
            long m = Stopwatch.GetTimestamp();
            var mux = MuxCommand(ws, format, info, aigcJson, outPath);
            await _tools.RunFfmpegAsync(mux, timeout, "ffmpeg mux", name, cancellationToken).ConfigureAwait(false);
            context.Timings.Add("video-mux", Stopwatch.GetElapsedTime(m).TotalMilliseconds);
        }

        byte[] output = await File.ReadAllBytesAsync(outPath, cancellationToken).ConfigureAwait(false);
        var applied = (explicitLabel ? Layers.Explicit : 0) | (watermark ? Layers.Watermark : 0) | (metadata ? Layers.Metadata : 0);
        return (output, applied);
    }

    /// <summary>The moved content-locked pattern's check, already run by the automatic version's choice: why the mark may not
    /// be claimed, or null.</summary>
    private sealed record MovedCheck(string? Lost);

    /// <summary>What one encode pass leaves: the check of its marked frames (null without a mark; the caller disposes it),
    /// the labeled audio track's stream when the track was labeled, and how many passes the item has run.</summary>
    private readonly record struct EncodePass(MarkedFramesCheck? Check, AudioStreamInfo? Audio, int Passes = 1);

    /// <summary>One pass's work for the item's deadline: the frames decoded and encoded, the audio track labeled.</summary>
    private static TimeSpan Work(StampContext context, VideoStreamInfo info) =>
        context.Limits.VideoWork(info.Frames, info.Width, info.Height) + context.Limits.AudioWork(info.Duration);

    /// <summary>
    /// One pass over the input into <paramref name="outPath"/>: one encoder process writes the final file (video from our pipe,
    /// the labeled audio from a socket in the workspace or the original's audio copied, tags from the original, the AIGC tag,
    /// faststart), the frames carrying the labels and the <paramref name="version"/> mark. A second pass (the automatic
    /// version's static stamp) overwrites the first's file and labels the audio track afresh.
    /// </summary>
    private async Task<EncodePass> EncodePassAsync(VideoMarkVersion version, string stage, MediaWorkspace ws, MediaFormat format, VideoStreamInfo info,
        StampContext context, bool explicitLabel, bool watermark, bool audioLayers, string? aigcJson, string outPath, CancellationToken cancellationToken)
    {
        long t = Stopwatch.GetTimestamp();
        string name = context.Name;
        var track = audioLayers ? await PlanAudioAsync(info, context, cancellationToken).ConfigureAwait(false) : null;
        var check = watermark ? new MarkedFramesCheck(info.Width, info.Height, info.Frames, contentLocked: version == VideoMarkVersion.ContentLocked) : null;
        try
        {
            var (processor, inOrder, contentLocked) = CreateProcessor(info, context, explicitLabel, watermark ? version : null, check);
            using var lockedMark = contentLocked;
            var decode = DecodeCommand(ws, format, pixelFormat: VideoCodecs.PipePixelFormat(info));
            using var socket = track is not null ? SampleSocket.Listen(ws.Directory, "audio.sock", name) : null;
            var encode = EncodeCommand(ws, format, info, track is { } tr ? (socket!.Url, tr.Info, tr.EncoderArguments) : null, aigcJson, outPath, _options);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var frames = new FramePipeline(_tools, ws.Directory).RunAsync(decode, encode, info.FrameBytes, _options.FramesInFlight, parallel: true,
                processor, name, context.Limits.ToolTimeout, both.Token, inOrder);
            var feed = track is { } a ? FeedAudioAsync(ws, format, a.Info, a.Processor, socket!, context, both.Token) : Task.CompletedTask;
            CheckFrameCount(await FirstFailureWinsAsync(frames, feed, both).ConfigureAwait(false), info, name);
            context.Timings.Add(stage, Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (lockedMark is not null) context.Timings.Add("video-mark-tracker", lockedMark.TrackerMilliseconds);
            if (check is { Places: true }) context.Timings.Add("video-mark-placing", check.PlacingMilliseconds);
            return new EncodePass(check, track?.Info);
        }
        catch
        {
            check?.Dispose();
            throw;
        }
    }

    /// <summary>The automatic version keeps its content-locked stamp outright when the marked frames, placed where the pattern
    /// was drawn, read with the margin under which the stamp trusts them without reading its file (<see cref="EncodedMarkCheck.NeededPlaced"/>);
    /// a thin reading keeps it only if the encoded file reads, a missing or undecided one is stamped again with the static pattern.</summary>
    private static bool LockedMarkHolds((MarkedFramesVerdict Verdict, RegisteredMarkReading? Reading) placed) =>
        placed is (MarkedFramesVerdict.Reads, { } reading) && !EncodedMarkCheck.NeededPlaced(reading);

    /// <summary>
    /// Whether the item may list the watermark after the stamp's checks: the marked frames (<see cref="MarkedFramesCheck"/>),
    /// and when they read with a thin margin the encoded file as well (<see cref="EncodedMarkCheck"/>). Yes when what was
    /// checked reads or the frames' check could not decide, or when it does not read but the audio track carries the audio
    /// mark (verify reads it there, and says the frames did not); no otherwise, with a notice that says why. A content-locked
    /// pattern that moved is checked as verify reads it (<see cref="MovedMarkLostAsync"/>), unless the automatic version's
    /// choice already did (<paramref name="movedCheck"/>).
    /// </summary>
    private async Task<bool> MarkReadsBackAsync(EncodePass pass, (MarkedFramesVerdict Verdict, RegisteredMarkReading? Reading)? placed,
        MovedCheck? movedCheck, MediaWorkspace ws, MediaFormat format, string outPath, VideoStreamInfo info, StampContext context, CancellationToken ct)
    {
        var check = pass.Check!;
        string? lost = movedCheck is { } done ? done.Lost
            : placed is { } p ? await MovedMarkLostAsync(check, p, format, outPath, info, context, ct).ConfigureAwait(false)
            : await StaticMarkLostAsync(check, pass.Passes, ws, format, outPath, info, context, ct).ConfigureAwait(false);
        if (lost is null) return true;
        if (pass.Audio is { } audio && audio.SampleRate >= AudioMarkLayout.MinimumEmbedRate) return true;
        context.Notices.Add(new LayerNotice(Layers.Watermark, lost));
        return false;
    }

    /// <summary>The static pattern's check (or a content-locked one that never moved on a sampled frame): the static detector
    /// on the frames' mean, then on the file's when the margin is thin. Null when the mark may be claimed, else why not.</summary>
    private async Task<string?> StaticMarkLostAsync(MarkedFramesCheck check, int passes, MediaWorkspace ws, MediaFormat format, string outPath,
        VideoStreamInfo info, StampContext context, CancellationToken ct)
    {
        var (verdict, frames) = context.Timings.Measure("video-mark-check", () => check.Read(context.Key));
        VideoMarkDetection? file = null;
        bool fileChecked = false;
        string? lost = verdict == MarkedFramesVerdict.Unreadable
            ? string.Create(CultureInfo.InvariantCulture,
                $"the marked frames do not read back (the mean of the {check.Frames} frames a verifier averages does not decode: the picture outweighs the pattern)")
            : null;
        if (verdict == MarkedFramesVerdict.Reads && FileCheckWanted(EncodedMarkCheck.Needed(frames!)))
        {
            file = await ReadOwnFileAsync(context, info, passes,
                () => EncodedMarkCheck.ReadAsync(_tools, ws, format, outPath, info, context.Key, context.Name, context.Limits.ToolTimeout, ct)).ConfigureAwait(false);
            fileChecked = true;
            if (file is null)
                lost = string.Create(CultureInfo.InvariantCulture,
                    $"the stamped file does not read back (the marked frames read, with {frames!.BitErrorsCorrected} bits corrected, but the encoder dropped the pattern)");
        }
        MarkChecked?.Invoke(new MarkCheckReadings(verdict, frames, fileChecked, file));
        return lost;
    }

    /// <summary>The content-locked pattern once it moved (issue 18, round 17): the registered search on the marked frames
    /// placed at the embedder's maps (<see cref="MarkedFramesCheck.ReadPlaced"/>), then, when that reading is thin
    /// (<see cref="EncodedMarkCheck.NeededPlaced"/>), verify's own reader on the encoded file, which must find this item's
    /// mark ID. Before round 17 such a stamp claimed the mark unchecked. Null when the mark may be claimed, else why not.</summary>
    private async Task<string?> MovedMarkLostAsync(MarkedFramesCheck check, (MarkedFramesVerdict Verdict, RegisteredMarkReading? Reading) placedReading,
        MediaFormat format, string outPath, VideoStreamInfo info, StampContext context, CancellationToken ct)
    {
        var (verdict, placed) = placedReading;
        MarkReading? verified = null;
        bool fileChecked = false;
        string? lost = verdict == MarkedFramesVerdict.Unreadable
            ? string.Create(CultureInfo.InvariantCulture,
                $"the marked frames do not read back (the {check.PlacedFrames} frames a verifier registers, placed where the pattern was drawn, do not decode: the picture outweighs the pattern)")
            : null;
        // No canvas to read (frames under the registered reader's minimum) is no reading either: the file decides.
        bool needed = verdict == MarkedFramesVerdict.NotChecked
            || (verdict == MarkedFramesVerdict.Reads && FileCheckWanted(EncodedMarkCheck.NeededPlaced(placed!)));
        if (needed && FileCheck != EncodedFileCheck.Never)
        {
            var reader = EncodedMarkCheck.VerifyReader(_options, _tools, _renderer);
            verified = await ReadOwnFileAsync(context, info, 1, async () => await EncodedMarkCheck.ReadAsVerifyAsync(reader,
                await File.ReadAllBytesAsync(outPath, ct).ConfigureAwait(false), format, context.Key, context.Name, context.Limits, ct).ConfigureAwait(false)).ConfigureAwait(false);
            fileChecked = true;
            if (verified is null || verified.MarkId != context.MarkId)
                lost = placed is null
                    ? "the stamped file does not read back (verify's registered reader finds no mark of this item in it)"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"the stamped file does not read back (the marked frames read, with {placed.BitErrorsCorrected} bits corrected, but verify's registered reader finds no mark of this item in the encoded file)");
            else lost = null;
        }
        MarkChecked?.Invoke(new MarkCheckReadings(verdict, null, fileChecked, null) { Moved = true, Placed = placed, Verified = verified });
        return lost;
    }

    /// <summary>Whether the stamp reads its own file, given whether the frames' reading was thin (<see cref="FileCheck"/>).</summary>
    private bool FileCheckWanted(bool thin) => FileCheck == EncodedFileCheck.Always || (FileCheck == EncodedFileCheck.WhenThin && thin);

    /// <summary>The stamp's read of its own output (stage <c>video-mark-file-check</c>) after <paramref name="passes"/> encode
    /// passes: one more decode of the stream's length, so the item's deadline grows by it, as verify's does.</summary>
    private static async Task<T> ReadOwnFileAsync<T>(StampContext context, VideoStreamInfo info, int passes, Func<Task<T>> read)
    {
        context.Deadline?.Allow(passes * Work(context, info) + context.Limits.VideoWork(info.Frames, info.Width, info.Height));
        long t = Stopwatch.GetTimestamp();
        T result = await read().ConfigureAwait(false);
        context.Timings.Add("video-mark-file-check", Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        return result;
    }

    /// <summary>When the stamp reads its own encoded file (tests and benchmarks set it; the product reads it when the frames'
    /// margin is thin).</summary>
    internal EncodedFileCheck FileCheck { get; init; } = EncodedFileCheck.WhenThin;

    /// <summary>What the stamp's checks read, for tests and benchmarks.</summary>
    internal Action<MarkCheckReadings>? MarkChecked { get; init; }

    /// <summary>The audio stream is labeled inside the encoder process when the audio path supports its
    /// codec (same encoder and bitrate rule as <see cref="AudioLabeler"/>); otherwise (AC-3, DTS, an
    /// unusable header) it is copied untouched. Null means copy.</summary>
    private async Task<(AudioStreamInfo Info, PcmPipeline.ChunkProcessor Processor, IReadOnlyList<string> EncoderArguments)?> PlanAudioAsync(
        VideoStreamInfo info, StampContext context, CancellationToken ct)
    {
        if (info.Audio is not { } audio || VideoAudioTrack.ContainerFor(audio.Codec) is null) return null;
        IReadOnlyList<string> encoder;
        try
        {
            encoder = AudioCodecs.EncoderArguments(audio, context.Name);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.UnsupportedFormat)
        {
            return null;
        }
        var processor = await _audio.CreateSampleProcessorAsync(audio, context, ct).ConfigureAwait(false);
        return processor is null ? null : (audio, processor, encoder);
    }

    /// <summary>
    /// The frame pipeline and the audio feed run together; whichever fails first cancels the other at
    /// once and its error is the one reported (a damaged audio track must not leave the encoder waiting
    /// for samples while frames pile up, nor pass as a short track). A feed that fails only because the
    /// encoder went away defers to the frame pipeline, which reports the encoder's own error.
    /// </summary>
    private static async Task<int> FirstFailureWinsAsync(Task<int> frames, Task feed, CancellationTokenSource both)
    {
        var first = await Task.WhenAny(frames, feed).ConfigureAwait(false);
        if (first == feed && feed.Exception?.InnerException is IOException)
        {
            // The encoder closed its audio input: it died, and the frame pipeline is about to say why
            // (its exit code and message); that is the error worth reporting, not our broken pipe.
            await frames.ConfigureAwait(false);
        }
        else if (first.IsFaulted || first.IsCanceled)
        {
            await both.CancelAsync().ConfigureAwait(false);
            try { await Task.WhenAll(frames, feed).ConfigureAwait(false); }
            catch (Exception) when (first.IsFaulted || first.IsCanceled) { /* the other side only followed the cancellation */ }
            await first.ConfigureAwait(false); // rethrows the first failure
        }
        await feed.ConfigureAwait(false);
        return await frames.ConfigureAwait(false);
    }

    /// <summary>Decodes the original's audio in its own ffmpeg process (independent of the video decoder,
    /// so neither can stall the other at the encoder's start-up), labels it in the audio path's chunks
    /// and writes it into the encoder's audio socket once the encoder has connected.</summary>
    private async Task FeedAudioAsync(MediaWorkspace ws, MediaFormat format, AudioStreamInfo audio, PcmPipeline.ChunkProcessor processor,
        SampleSocket socket, StampContext context, CancellationToken ct)
    {
        await Task.Yield(); // start the video pipeline without waiting for the encoder to connect
        long t = Stopwatch.GetTimestamp();
        var sink = await socket.AcceptAsync(ct).ConfigureAwait(false);
        var decode = PcmPipeline.Decode(VideoProbe.Demuxer(format), ws.InputPath, audio.SampleRate, audio.Channels);
        string name = context.Name + " (audio track)";
        try
        {
            await new PcmPipeline(_tools).FeedAsync(decode, audio.Channels, processor, sink, name, context.Limits.ToolTimeout, ct).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the audio stream cannot be decoded ({e.Message})", e);
        }
        context.Timings.Add("video-audio-track", Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }

    /// <summary>Raw 4:2:0 frames on stdout, one per decoded frame (no frame-rate conversion), in <paramref name="pixelFormat"/>
    /// (the stamp: <see cref="VideoCodecs.PipePixelFormat"/>; reading: yuv420p). <paramref name="path"/> is a file inside the
    /// workspace (default: the private copy of the input); <paramref name="maxFrames"/> ends the decode once that many frames
    /// have left the filter.</summary>
    public static FfmpegCommand DecodeCommand(MediaWorkspace ws, MediaFormat format, string? filter = null, string pixelFormat = "yuv420p",
        string? path = null, int? maxFrames = null)
    {
        var c = FfmpegCommand.Ffmpeg().FileInput(VideoProbe.Demuxer(format), path ?? ws.InputPath)
            .Add("-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough");
        if (filter is not null) c.Add("-vf", filter);
        if (maxFrames is { } n) c.Add("-frames:v", Invariant(n));
        return c.Add("-f", "rawvideo", "-pix_fmt", pixelFormat, "pipe:1");
    }

    /// <summary>The decode filter that keeps every <paramref name="step"/>-th frame from the first (<see cref="VideoMarkSampling.Step"/>),
    /// null when every frame is kept: the frames a mean of the video mark takes, selected inside ffmpeg so the others never
    /// cross the pipe.</summary>
    public static string? SampledFramesFilter(int step) =>
        step > 1 ? string.Create(CultureInfo.InvariantCulture, $"select='not(mod(n\\,{step}))'") : null;

    /// <summary>A file that decodes to fewer frames than its index promises is cut short (spec §10: truncated).</summary>
    public static void CheckFrameCount(int decoded, VideoStreamInfo info, string name)
    {
        long tolerance = Math.Max(2, info.Frames / 50);
        if (decoded == 0)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: no video frame could be decoded");
        if (decoded < info.Frames - tolerance)
            throw new LabelStampException(ErrorCode.TruncatedInput, $"{name}: only {decoded} of {info.Frames} video frames could be decoded; the file is truncated or damaged");
    }

    /// <summary>Maps kept for the frames between the tracker (reader side) and their processing: more than the frames
    /// that can be in flight at once (≤ 16 queued + one being written + one being read).</summary>
    private const int MapRing = 64;

    /// <summary>The per-frame processor (labels, then the mark), and for the content-locked mark the in-order step that
    /// tracks each decoded frame before it is labelled, with the embedder to dispose after the pass.</summary>
    private (FramePipeline.FrameProcessor Processor, FramePipeline.FrameProcessor? InOrder, ContentLockedMarkEmbedder? Locked) CreateProcessor(
        VideoStreamInfo info, StampContext context, bool explicitLabel, VideoMarkVersion? mark, MarkedFramesCheck? check)
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
        var payload = MarkPayload.For(context.MarkId, context.Key);
        if (mark == VideoMarkVersion.ContentLocked)
        {
            // The tracker sees each frame as decoded, in order, before any label is drawn (a static label would pull
            // its patches toward "no motion"); the frame's map goes through a ring to its processing task.
            var locked = new ContentLockedMarkEmbedder(context.Key, payload, w, h, _options.MarkAmplitude, _options.FollowZoom);
            var maps = new FrameMap[MapRing];
            return ((frame, index) =>
            {
                if (index < openingFrames) opening!.Apply(frame);
                else corner?.Apply(frame);
                var map = maps[index % MapRing];
                locked.Embed(frame, map);
                check?.Add(frame, index, map);
            }, (frame, index) =>
            {
                var map = locked.Track(frame.AsSpan(0, w * h));
                maps[index % MapRing] = map;
            }, locked);
        }
        var staticMark = mark is not null
            ? new VideoMarkEmbedder(context.Key, payload, w, h, _options.MarkAmplitude)
            : null;
        return ((frame, index) =>
        {
            if (index < openingFrames) opening!.Apply(frame);
            else corner?.Apply(frame);
            // The luma plane is the first w·h bytes of a yuv420p frame.
            staticMark?.Embed(frame);
            check?.Add(frame, index);
        }, null, null);
    }

    /// <summary>Ink height of the persistent corner label: the option's fraction of the shorter side,
    /// never under the legible minimum.</summary>
    public static int CornerTextHeight(int width, int height, VideoLabelOptions options) =>
        Math.Max(LabelGeometry.MinLegibleTextHeight, (int)Math.Ceiling(Math.Min(width, height) * options.CornerTextHeightFraction));

    /// <summary>
    /// The encoder: input 0 = raw 4:2:0 frames on stdin (<see cref="VideoCodecs.PipePixelFormat"/>); input 1 = the labeled f32le samples from the
    /// audio socket (when the audio is labeled); last input = the original (forced demuxer, file protocol) for
    /// its container and stream tags and, when not labeled, its audio stream copied as is.
    /// </summary>
    public static FfmpegCommand EncodeCommand(MediaWorkspace ws, MediaFormat format, VideoStreamInfo info,
        (string Socket, AudioStreamInfo Info, IReadOnlyList<string> EncoderArguments)? audio, string? aigcJson, string outPath,
        VideoLabelOptions? options = null)
    {
        var a = FfmpegCommand.Ffmpeg().FrameInput(info.Width, info.Height, info.FrameRate, VideoCodecs.PipePixelFormat(info));
        int original = 1;
        if (audio is { } track)
        {
            a.SampleInput(track.Socket, track.Info.SampleRate, track.Info.Channels);
            original = 2;
        }
        a.FileInput(VideoProbe.Demuxer(format), ws.InputPath);
        a.Add("-map", "0:v:0");
        if (audio is not null) a.Add("-map", "1:a:0");
        else if (info.HasAudio) a.Add("-map", Invariant(original) + ":a:0");
        a.Add(MetadataArguments(info, original));
        a.Add(VideoCodecs.EncoderArguments(info, options ?? new VideoLabelOptions()));
        if (audio is { } t2) a.Add(t2.EncoderArguments);
        else if (info.HasAudio) a.Add("-c:a", "copy");
        return ContainerArguments(a, format, info, aigcJson, outPath);
    }

    /// <summary>Stream copy of the original with the AIGC tag (no explicit or watermark layer to apply).</summary>
    private static FfmpegCommand MuxCommand(MediaWorkspace ws, MediaFormat format, VideoStreamInfo info, string? aigcJson, string outPath)
    {
        var a = FfmpegCommand.Ffmpeg().FileInput(VideoProbe.Demuxer(format), ws.InputPath).Add("-map", "0:v:0");
        if (info.HasAudio) a.Add("-map", "0:a:0");
        a.Add(MetadataArguments(info, 0)).Add("-c", "copy");
        return ContainerArguments(a, format, info, aigcJson, outPath);
    }

    /// <summary>Keep the input's container and stream tags (title, language, handler, …).</summary>
    private static string[] MetadataArguments(VideoStreamInfo info, int original) => info.HasAudio
        ? ["-map_metadata", Invariant(original), "-map_metadata:s:v:0", Invariant(original) + ":s:v:0", "-map_metadata:s:a:0", Invariant(original) + ":s:a:0"]
        : ["-map_metadata", Invariant(original), "-map_metadata:s:v:0", Invariant(original) + ":s:v:0"];

    private static FfmpegCommand ContainerArguments(FfmpegCommand a, MediaFormat format, VideoStreamInfo info, string? aigcJson, string outPath)
    {
        MediaCatalog.ContainerFor(format).AddOutputOptions(a, aigcJson, MediaKind.Video);
        return a.FileOutput(info.Muxer, outPath);
    }

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
