using System.Globalization;
using System.Text;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Images;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Verification;

/// <summary>
/// Reads every layer of an MP4/MOV or WebM/MKV with a video track: the AIGC tag from the container,
/// then one streaming decode that keeps only what it needs — the luma plane of a frame at 1 s (the
/// opening label), of a frame after the opening (the corner label) and the running sum of up to
/// <see cref="VideoMarkSampling.MaxAveragedFrames"/> luma planes spread over the file. The image mark is the same tile in
/// every frame, so averaging frames adds the mark coherently while moving content and codec noise
/// average out; one detection on the mean keeps the false-positive bound of a single image. Any
/// excerpt works: nothing depends on the first frame being the original first frame. The audio track
/// is copied out and read by the audio path (rhythm prompt and audio mark).
/// </summary>
public sealed class VideoInspector : IMediaInspector
{
    /// <summary>Cells across the shorter side of the grid <see cref="ReadFramesMarksAsync"/> reads (benchmarks
    /// of other grids; verify reads the default).</summary>
    internal int FramesMarkCells { get; init; } = VideoMarkLayout.ShortSideCells;
    private readonly ExplicitLabelDetector _detector;
    private readonly LabelRenderer _renderer;
    private readonly VideoLabelOptions _options;
    private readonly IImageWatermarker _watermarker;
    private readonly IMediaInspector? _audioOnly;
    private readonly ToolRunner _tools;
    private readonly VideoAudioTrack _audio;

    public VideoInspector(ExplicitLabelDetector? detector = null, VideoLabelOptions? options = null, IMediaInspector? audioOnlyMp4 = null,
        IImageWatermarker? watermarker = null, LabelRenderer? renderer = null, ToolRunner? tools = null)
    {
        _renderer = renderer ?? new LabelRenderer();
        _detector = detector ?? new ExplicitLabelDetector(_renderer);
        _options = options ?? new VideoLabelOptions();
        _watermarker = watermarker ?? new ImageWatermark();
        _audioOnly = audioOnlyMp4;
        _tools = tools ?? new ToolRunner();
        _audio = new VideoAudioTrack(_tools, new AudioLabeler(_tools), new AudioInspector(_tools));
    }

    public bool Handles(MediaFormat format) => format.Kind == MediaKind.Video;

    public async Task<VerifyReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, VerifyOptions options, CancellationToken cancellationToken)
    {
        var limits = options.Limits;
        limits.CheckBytes(input.Length, name);
        // An ISO BMFF file sniffs as MP4 whatever it holds: the one decision of the read side (Mp4Kind).
        if (format == MediaFormat.Mp4 && _audioOnly is not null
            && await new Mp4Kind(_tools).DecideAsync(input, name, limits.ToolTimeout, cancellationToken).ConfigureAwait(false) == MediaKind.Audio)
            return await _audioOnly.InspectAsync(input, name, format, options, cancellationToken).ConfigureAwait(false);

        var container = MediaCatalog.ContainerFor(format);
        using var ws = await MediaWorkspace.CreateAsync(input, container.WorkspaceExtension, cancellationToken).ConfigureAwait(false);
        var info = await new VideoProbe(_tools).ProbeAsync(ws, format, input, name, limits, cancellationToken).ConfigureAwait(false);
        options.Deadline?.Allow(limits.VideoWork(info.Frames, info.Width, info.Height) + limits.AudioWork(info.Duration));

        var (json, where) = container.ReadAigc(input, info.Tags, name);
        var metadata = AigcFinding.FromJson(json, null, json is null ? 0 : 1, options.Key, where ?? container.AigcLocation);

        Task<AudioReport?> audioTask = InspectAudioAsync(ws, format, info, name, options, cancellationToken);
        var frames = await ReadFramesAsync(ws, format, info, name, limits.ToolTimeout,
            options.Key is not null && _options.RegisteredRead == RegisteredReadMode.Always, cancellationToken).ConfigureAwait(false);
        AudioReport? audio = await audioTask.ConfigureAwait(false);

        var visible = VisibleFinding(frames, info, options, audio);
        MarkReading? videoMark = null;
        if (options.Key is { } key)
        {
            using var registered = new RegisteredOnDemand(this, ws, format, info, frames, name, limits, options.Deadline);
            videoMark = await ReadFramesMarkAsync(frames, info, key, registered, cancellationToken).ConfigureAwait(false);
        }
        var watermark = WatermarkRow(videoMark, audio, options);
        MarkId? mark = videoMark?.MarkId ?? (audio is { KeyNibbleMatches: true } a ? a.Watermark?.Payload.MarkId : null);
        var provenance = container.CreateManifestContainer() is null
            ? new LayerFinding(LayerState.NotChecked, $"C2PA has no embedding for {container.DisplayName} in this build (spec §6 names none)")
            : C2paFinding.From(input.ToArray(), name, mark, limits.Metadata, options.TrustAnchors);
        FramePreview? preview = null;
        if (options.Preview && PreviewFrame(frames, visible) is { } pf) preview = FramePreview.FromLuma(pf.Frame, pf.Seconds);
        return new VerifyReport(name, format.Name, visible, metadata, watermark, provenance) { Preview = preview, Kind = "video" };
    }

    /// <summary>The frame the visible row's box refers to (frameSeconds), else the opening probe at 1 s.</summary>
    private static (PixelBuffer Frame, double Seconds)? PreviewFrame(SampledFrames frames, LayerFinding visible)
    {
        if (visible.Details is { } d && d.TryGetValue("label", out var kind) && kind == "corner" && d.ContainsKey("x"))
        {
            if (frames.Later is { } later && d.TryGetValue("frameSeconds", out var t) && t == frames.LaterSeconds.ToString("0.###", CultureInfo.InvariantCulture))
                return (later, frames.LaterSeconds);
        }
        if (frames.Opening is { } opening) return (opening, frames.OpeningSeconds);
        return frames.Later is { } l ? (l, frames.LaterSeconds) : null;
    }

    private sealed record SampledFrames(PixelBuffer? Opening, double OpeningSeconds, PixelBuffer? Later, double LaterSeconds, float[]? Mean, int Averaged)
    {
        /// <summary>The mean through the readers' prefilter, made at the first key's read and kept for the others (it does
        /// not depend on the key). <paramref name="width"/>, <paramref name="height"/>: the mean's; the grid's cells as read.</summary>
        public float[]? PrefilteredMean(int width, int height, int shortSideCells) =>
            Mean is null ? null : _prefiltered ??= VideoMarkDetector.Prefilter(Mean, width, height, shortSideCells);
        private float[]? _prefiltered;

        /// <summary>The averaged frames registered to the first (<see cref="RegisteredCanvas"/>), for the content-locked mark.</summary>
        public RegisteredMeans? Registered { get; init; }

        /// <summary>Frames of the opening window (index, plane), in display order: what the opening label's duration is measured on.</summary>
        public IReadOnlyList<(long Index, PixelBuffer Frame)> OpeningProbes { get; init; } = [];
        public double FramesPerSecond { get; init; }
    }

    /// <summary>
    /// The frames the opening label's duration is judged on (GB 45438 §5: ≥ 2 s at the start): the first,
    /// every half second, and the last frame shown before 2 s and the first at or after it, so that a label
    /// present in every probe up to the frame before 2 s is on screen for at least 2 s, and one absent from a
    /// probe before that is not (the opening label is one run from the first frame).
    /// </summary>
    private static SortedSet<long> OpeningProbeIndexes(double fps, long total)
    {
        var probes = new SortedSet<long>();
        long atTwo = (long)Math.Ceiling(RequiredOpeningSeconds * fps - 1e-9);
        foreach (long i in new[] { 0L, (long)Math.Round(0.5 * fps), (long)Math.Round(fps), (long)Math.Round(1.5 * fps), atTwo - 1, atTwo })
            if (i >= 0 && i < total) probes.Add(i);
        return probes;
    }

    /// <summary>Registered canvases built by a second decode (<see cref="RegisteredReadMode.OnStaticMiss"/>): what tests
    /// and benchmarks observe to know the cheap path stayed cheap.</summary>
    internal int RegisteredDecodes => _registeredDecodes;
    private int _registeredDecodes;

    /// <summary>The two registered canvases of one decode (<see cref="RegisteredCanvasPair"/>): frames chained to the previous
    /// one, and against key frames (<see cref="RegisteredCanvas.KeyFrameSteps"/>, round 15). Each mean is taken when first
    /// read, in the canvas's own sums (<see cref="RegisteredCanvas.MeanInPlace"/>): the key-frame one only when the chained
    /// one does not decode, and not at all when the two placed every frame alike. Disposed with the file's read.</summary>
    private sealed class RegisteredMeans(RegisteredCanvasPair pair, bool secondDecode) : IDisposable
    {
        private RegisteredMean? _chained, _keyFramed;

        public RegisteredMean? Chained => _chained ??= RegisteredMean.From(pair.Chained, secondDecode);

        /// <summary>Null when not built, or when it is the chained canvas (read already).</summary>
        public RegisteredMean? KeyFramed => pair.KeyFramed is not { } k || pair.KeyFramedIsChained ? null : _keyFramed ??= RegisteredMean.From(k, secondDecode);

        /// <summary>Both canvases for frames of this size (the key-frame one unless <paramref name="keyFramed"/> is off:
        /// <see cref="VideoLabelOptions.KeyFrameCanvas"/>), or none when the frames are too small for the mark.</summary>
        public static RegisteredCanvasPair? Create(int w, int h, bool keyFramed) =>
            Math.Min(w, h) >= VideoMarkLayout.MinimumSide / 2 ? new RegisteredCanvasPair(w, h, keyFramed) : null;

        public void Dispose() => pair.Dispose();
    }

    /// <summary>The registered canvas's mean through the readers' prefilter (made once, for every key; the coverage is the
    /// canvas's own array, valid while the canvas lives) and the frames it came from.</summary>
    private sealed record RegisteredMean(float[] Prefiltered, bool[] Valid, int Width, int Height, int FrameWidth, int FrameHeight, int Frames, int Moved, int Held, bool Zoomed)
    {
        /// <summary>Built by the second decode (<see cref="RegisteredReadMode.OnStaticMiss"/>), not during the first.</summary>
        public bool SecondDecode { get; init; }

        public static RegisteredMean? From(RegisteredCanvas canvas, bool secondDecode)
        {
            if (canvas is not { Frames: > 0 } rc) return null;
            var (cm, cv) = rc.MeanInPlace();
            return new RegisteredMean(RegisteredMarkSearch.Prefilter(cm, cv, rc.Width, rc.Height, rc.FrameWidth, rc.FrameHeight), cv,
                rc.Width, rc.Height, rc.FrameWidth, rc.FrameHeight, rc.Frames, rc.Moved, rc.Held, rc.Zoomed) { SecondDecode = secondDecode };
        }
    }

    /// <summary>GB 45438 §5: the opening prompt stays on screen at least this long.</summary>
    public const double RequiredOpeningSeconds = 2.0;

    /// <summary>The frames' mark alone under each key, from one decode (figures and tests: the audio
    /// track, labels and C2PA are not read). Null entries: no mark under that key.</summary>
    internal async Task<MarkReading?[]> ReadFramesMarksAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, IReadOnlyList<MarkKey> keys,
        MediaLimits limits, CancellationToken cancellationToken)
    {
        using var ws = await MediaWorkspace.CreateAsync(input, MediaCatalog.ContainerFor(format).WorkspaceExtension, cancellationToken).ConfigureAwait(false);
        var info = await new VideoProbe(_tools).ProbeAsync(ws, format, input, name, limits, cancellationToken).ConfigureAwait(false);
        var frames = await ReadFramesAsync(ws, format, info, name, limits.ToolTimeout,
            keys.Count > 0 && _options.RegisteredRead == RegisteredReadMode.Always, cancellationToken).ConfigureAwait(false);
        using var registered = new RegisteredOnDemand(this, ws, format, info, frames, name, limits, null);
        var readings = new MarkReading?[keys.Count];
        for (int k = 0; k < keys.Count; k++)
            readings[k] = await ReadFramesMarkAsync(frames, info, keys[k], registered, cancellationToken).ConfigureAwait(false);
        return readings;
    }

    /// <summary>The static video mark on the mean of the sampled frames (<see cref="VideoMarkDetector"/>, one
    /// candidate); if it is not there, the content-locked mark on the same frames registered to the first
    /// (<see cref="RegisteredMarkSearch"/>, <see cref="RegisteredMarkSearch.Candidates"/> shifts decoded; the canvas from the
    /// one decode, or built now by a second decode when <see cref="RegisteredReadMode.OnStaticMiss"/>); if not that either,
    /// the image mark that stamps before the video mark carried (the image detector on the rounded mean, ≤ 4 candidates).
    /// Every reading reports the bound of all the reads the procedure tries on an unmarked file: ≤ 9 · 2⁻³⁶, or 5 · 2⁻³⁶
    /// when the registered read is off. The order is the same in every mode, so a mode changes the cost, never the verdict.</summary>
    private async Task<MarkReading?> ReadFramesMarkAsync(SampledFrames frames, VideoStreamInfo info, MarkKey key, RegisteredOnDemand registered,
        CancellationToken ct)
    {
        if (frames.Mean is not { } mean) return null;
        int w = info.Width, h = info.Height;
        bool tryRegistered = _options.RegisteredRead != RegisteredReadMode.Never;
        double registeredBound = tryRegistered ? RegisteredBound : 0;
        if (VideoMarkDetector.Detect(frames.PrefilteredMean(w, h, FramesMarkCells)!, w, h, key, FramesMarkCells, prefilter: false) is { } v)
            return new MarkReading(v.MarkId, key.KeyId, v.BitErrorsCorrected, v.FalsePositiveProbability + registeredBound + LegacyBound,
                string.Create(CultureInfo.InvariantCulture, $"video mark, {v.Cols}×{v.Rows} cells, z {v.ZScore:0.#}, mean of {frames.Averaged} frames"));
        if (tryRegistered && await registered.GetAsync(ct).ConfigureAwait(false) is { } pair)
        {
            // The chained canvas first, then the one registered against key frames (round 15): each decodes its
            // RegisteredMarkSearch.Candidates shifts, all counted in RegisteredBound.
            // The key-frame canvas's mean is taken only here, after the chained canvas did not decode.
            foreach (var (get, how) in new (Func<RegisteredMean?>, string)[] { (() => pair.Chained, "registered mean"), (() => pair.KeyFramed, "registered against key frames, mean") })
            {
                if (get() is not { } c) continue;
                if (RegisteredMarkSearch.Detect(c.Prefiltered, c.Valid, c.Width, c.Height, c.FrameWidth, c.FrameHeight, key, c.Zoomed, fineScale: true,
                        prefilter: false) is not { } g) continue;
                return new MarkReading(g.MarkId, key.KeyId, g.BitErrorsCorrected, FalsePositiveBound.ComputeWithKeyNibble(1) + RegisteredBound + LegacyBound,
                    string.Create(CultureInfo.InvariantCulture,
                        $"content-locked video mark, {how} of {c.Frames} frames ({c.Moved} moved{(c.Held > 0 ? $", {c.Held} held" : "")}, canvas {c.Width}×{c.Height}{(c.SecondDecode ? ", second decode" : "")}), shift ({g.ShiftX}, {g.ShiftY}) cells, scale {g.Scale:0.###}, z {g.ZScore:0.#}"));
            }
        }
        byte[] rounded = new byte[w * h];
        for (int p = 0; p < rounded.Length; p++) rounded[p] = (byte)Math.Clamp((int)MathF.Round(mean[p]), 0, 255);
        return _watermarker.Read(new PixelBuffer(rounded, w, h, 1), key).Reading is { } r
            ? r with
            {
                FalsePositiveProbability = r.FalsePositiveProbability + FalsePositiveBound.ComputeWithKeyNibble(1) + registeredBound,
                Geometry = "image mark (earlier stamps), " + r.Geometry + string.Create(CultureInfo.InvariantCulture, $", mean of {frames.Averaged} frames"),
            }
            : null;
    }

    /// <summary>The registered canvas of one file, built at most once: taken from the one decode when it was built there,
    /// else (<see cref="RegisteredReadMode.OnStaticMiss"/>) by a second decode of the same sampled frames, the first time
    /// a key's static read fails.</summary>
    private sealed class RegisteredOnDemand(VideoInspector owner, MediaWorkspace ws, MediaFormat format, VideoStreamInfo info, SampledFrames frames,
        string name, MediaLimits limits, ItemDeadline? deadline) : IDisposable
    {
        /// <summary>Returns the canvases' pooled sums, whichever decode built them.</summary>
        public void Dispose() => _canvas?.Dispose();

        private bool _tried;
        private RegisteredMeans? _canvas = frames.Registered;

        public async Task<RegisteredMeans?> GetAsync(CancellationToken ct)
        {
            if (_canvas is not null || _tried || owner._options.RegisteredRead != RegisteredReadMode.OnStaticMiss) return _canvas;
            _tried = true;
            // The second decode is as much work again as the first: the item's deadline grows by it.
            deadline?.Allow(2 * limits.VideoWork(info.Frames, info.Width, info.Height) + limits.AudioWork(info.Duration));
            _canvas = await owner.RegisterSampledFramesAsync(ws, format, info, frames.Averaged, name, limits.ToolTimeout, ct).ConfigureAwait(false);
            return _canvas;
        }
    }

    /// <summary>The image detector's bound (≤ 4 candidates), added to a video-mark reading because both are tried.</summary>
    private static readonly double LegacyBound = FalsePositiveBound.ComputeWithKeyNibble(4);

    /// <summary>The registered read's bound (its shifts decoded on the chained canvas and on the key-frame one), added to every
    /// reading because it is tried.</summary>
    private static readonly double RegisteredBound = FalsePositiveBound.ComputeWithKeyNibble(2 * RegisteredMarkSearch.Candidates);

    private async Task<SampledFrames> ReadFramesAsync(MediaWorkspace ws, MediaFormat format, VideoStreamInfo info, string name, TimeSpan timeout,
        bool registeredRead, CancellationToken ct)
    {
        int w = info.Width, h = info.Height, plane = w * h;
        double fps = info.FramesPerSecond;
        long total = info.Frames;
        int openingIndex = (int)Math.Min(total - 1, Math.Round(fps));
        int laterIndex = (int)Math.Min(total - 1, Math.Ceiling(_options.OpeningSeconds * fps) + Math.Round(fps));
        int step = VideoMarkSampling.Step(total);

        // Only the frames we keep leave ffmpeg: every step-th plus the two probes, in display order.
        var probeIndexes = OpeningProbeIndexes(fps, total);
        var wanted = new SortedSet<long> { openingIndex, laterIndex };
        wanted.UnionWith(probeIndexes);
        for (long i = 0; i < total; i += step) wanted.Add(i);
        long[] order = [.. wanted];
        string? filter = step > 1
            ? "select='" + string.Join('+', new[] { $"not(mod(n\\,{step}))", $"eq(n\\,{openingIndex})", $"eq(n\\,{laterIndex})" }
                .Concat(probeIndexes.Select(p => $"eq(n\\,{p})"))) + "'"
            : null;
        var probes = new List<(long, PixelBuffer)>();

        using var sum = new SampledLumaMean(w, h);
        byte[]? opening = null, later = null;
        // The content-locked mark moves with the picture: the same frames, registered, on a canvas where it stands still.
        var canvases = registeredRead ? RegisteredMeans.Create(w, h, _options.KeyFrameCanvas) : null;
        try
        {
            var decode = VideoLabeler.DecodeCommand(ws, format, filter);
            await new FramePipeline(_tools).RunAsync(decode, null, info.FrameBytes, 2, parallel: false, (frame, i) =>
            {
                long original = i < order.Length ? order[i] : order[^1] + (i - order.Length + 1);
                if (original == openingIndex) opening = frame.AsSpan(0, plane).ToArray();
                if (original == laterIndex) later = frame.AsSpan(0, plane).ToArray();
                if (probeIndexes.Contains(original)) probes.Add((original, new PixelBuffer(frame.AsSpan(0, plane).ToArray(), w, h, 1)));
                if (VideoMarkSampling.Takes(original, step))
                {
                    sum.Add(frame);
                    canvases?.Add(frame.AsSpan(0, plane));
                }
            }, name, timeout, ct).ConfigureAwait(false);

            float[]? mean = sum.Mean();
            var canvas = canvases is { Chained.Frames: > 0 } ? new RegisteredMeans(canvases, secondDecode: false) : null;
            if (canvas is null) canvases?.Dispose();
            canvases = null;
            return new SampledFrames(opening is null ? null : new PixelBuffer(opening, w, h, 1), openingIndex / fps,
                later is null ? null : new PixelBuffer(later, w, h, 1), laterIndex / fps, mean, sum.Frames)
                { OpeningProbes = probes, FramesPerSecond = fps, Registered = canvas };
        }
        finally
        {
            // Handed on with the frames when the decode finished; returned here when it did not.
            canvases?.Dispose();
        }
    }

    /// <summary>
    /// The registered canvas from a second decode: the frames the first decode averaged (every step-th from the first, at
    /// most <paramref name="averaged"/>), selected inside ffmpeg as before, so the canvas is the one the first decode
    /// would have built. Out of process through the same runner and pipeline as every decode of untrusted bytes.
    /// </summary>
    private async Task<RegisteredMeans?> RegisterSampledFramesAsync(MediaWorkspace ws, MediaFormat format, VideoStreamInfo info, int averaged,
        string name, TimeSpan timeout, CancellationToken ct)
    {
        int w = info.Width, h = info.Height, plane = w * h;
        if (averaged <= 0 || Math.Min(w, h) < VideoMarkLayout.MinimumSide / 2) return null;
        int step = VideoMarkSampling.Step(info.Frames);
        Interlocked.Increment(ref _registeredDecodes);
        if (RegisteredMeans.Create(w, h, _options.KeyFrameCanvas) is not { } created) return null;
        try
        {
            var decode = VideoLabeler.DecodeCommand(ws, format, VideoLabeler.SampledFramesFilter(step));
            await new FramePipeline(_tools).RunAsync(decode, null, info.FrameBytes, 2, parallel: false, (frame, i) =>
            {
                if (i >= averaged) return;
                created.Add(frame.AsSpan(0, plane));
            }, name, timeout, ct).ConfigureAwait(false);
        }
        catch
        {
            created.Dispose();
            throw;
        }
        if (created.Chained.Frames > 0) return new RegisteredMeans(created, secondDecode: true);
        created.Dispose();
        return null;
    }

    private LayerFinding VisibleFinding(SampledFrames frames, VideoStreamInfo info, VerifyOptions options, AudioReport? audio)
    {
        var details = new Dictionary<string, string>();
        var parts = new List<string>();
        bool found = false;
        (ExplicitLabelMatch Match, PixelBuffer Frame, double Seconds, string Kind)? shown = null;
        if (frames.Opening is { } first && _detector.Detect(first, options.Wordings, options.Policy, smaller: false) is { } big)
        {
            found = true;
            shown = (big, first, frames.OpeningSeconds, "opening");
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"opening label '{big.Wording}' at {frames.OpeningSeconds:0.0#} s (match {big.Score:0.00})"));
            details["opening"] = big.Wording.Text;
            details["openingScore"] = big.Score.ToString("0.000", CultureInfo.InvariantCulture);
            OpeningDuration(frames, big, options, details, parts);
        }
        // The corner label is looked for after the opening, and also at 1 s: an excerpt from the middle
        // of a video starts with the corner label, not the opening one.
        foreach (var (frame, seconds) in new[] { (frames.Later, frames.LaterSeconds), (found ? null : frames.Opening, frames.OpeningSeconds) })
        {
            if (frame is null) continue;
            if (FindCornerLabel(frame, options) is { } small)
            {
                found = true;
                shown ??= (small, frame, seconds, "corner");
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"corner label '{small.Wording}' at {seconds:0.0#} s (match {small.Score:0.00})"));
                details["corner"] = small.Wording.Text;
                details["cornerScore"] = small.Score.ToString("0.000", CultureInfo.InvariantCulture);
                if (LabelMeasurement.Measure(frame, small) is { } cm)
                    details["cornerInkHeight"] = cm.InkHeight.ToString(CultureInfo.InvariantCulture);
                break;
            }
        }
        // The box and measurements describe one frame: the opening label's when there is one, else the corner label's.
        if (shown is { } s)
        {
            details["frameSeconds"] = s.Seconds.ToString("0.###", CultureInfo.InvariantCulture);
            details["label"] = s.Kind;
            if (LabelMeasurement.Measure(s.Frame, s.Match) is { } m)
            {
                ExplicitDetails.Add(details, m, s.Match.Corner);
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Kind} ink {m.InkHeight} px = {100 * m.InkHeightFraction:0.0} % of {m.ShortSide} px, contrast {m.Contrast:0.0}:1 (luma)"));
            }
        }
        if (audio?.RhythmAtStartSeconds is { } a)
        {
            found = true;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"audio rhythm prompt at {a:0.00} s"));
            details["audioPrompt"] = a.ToString("0.###", CultureInfo.InvariantCulture);
        }
        return found
            ? new LayerFinding(LayerState.Found, string.Join("; ", parts), details)
            : new LayerFinding(LayerState.NotFound, "no visible AI label in the opening or corner frames" + (audio is null ? "" : ", no audio rhythm prompt"), details);
    }

    /// <summary>
    /// How long the opening label stays from the first frame, from the probes of the opening window: it is
    /// seen until (last consecutive probe with it + 1 frame) and gone at the first probe without it.
    /// </summary>
    private void OpeningDuration(SampledFrames frames, ExplicitLabelMatch opening, VerifyOptions options, Dictionary<string, string> details, List<string> parts)
    {
        if (frames.OpeningProbes.Count == 0 || frames.FramesPerSecond <= 0) return;
        long lastSeen = -1, goneAt = -1;
        foreach (var (index, frame) in frames.OpeningProbes)
        {
            bool present = _detector.Detect(frame, [opening.Wording], options.Policy, smaller: false) is not null;
            if (!present) { goneAt = index; break; }
            lastSeen = index;
        }
        double fps = frames.FramesPerSecond;
        details["openingProbes"] = string.Join(",", frames.OpeningProbes.Select(p => (p.Index / fps).ToString("0.###", CultureInfo.InvariantCulture)));
        details["openingSeenUntil"] = ((lastSeen + 1) / fps).ToString("0.###", CultureInfo.InvariantCulture);
        if (goneAt >= 0) details["openingGoneAt"] = (goneAt / fps).ToString("0.###", CultureInfo.InvariantCulture);
        parts.Add(goneAt >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"opening label gone at {goneAt / fps:0.00} s")
            : string.Create(CultureInfo.InvariantCulture, $"opening label on screen for ≥ {(lastSeen + 1) / fps:0.00} s"));
    }

    /// <summary>The persistent corner label: rendered at the size <see cref="VideoLabeler.CornerTextHeight"/>
    /// gives for this frame, correlated at each corner with a small search (as the image detector does).</summary>
    public ExplicitLabelMatch? FindCornerLabel(PixelBuffer frame, VerifyOptions options)
    {
        var policy = options.Policy;
        int inset = LabelGeometry.Inset(frame.Width, frame.Height, policy);
        int textHeight = VideoLabeler.CornerTextHeight(frame.Width, frame.Height, _options);
        ExplicitLabelMatch? best = null;
        foreach (var wording in options.Wordings)
        {
            var overlay = _renderer.Render(wording, policy.Font, textHeight, policy.PlateOpacity);
            if (overlay.Width + 2 * inset > frame.Width || overlay.Height + 2 * inset > frame.Height) continue;
            foreach (var corner in Enum.GetValues<LabelCorner>())
            {
                var (x0, y0) = LabelGeometry.Place(frame.Width, frame.Height, overlay.Width, overlay.Height, corner, inset, "");
                for (int dy = -3; dy <= 3; dy++)
                    for (int dx = -3; dx <= 3; dx++)
                    {
                        double score = ExplicitLabelDetector.Correlate(frame, overlay, x0 + dx, y0 + dy);
                        if (best is null || score > best.Score) best = new ExplicitLabelMatch(wording, corner, x0 + dx, y0 + dy, score) { Overlay = overlay };
                    }
            }
        }
        return best is not null && best.Score >= ExplicitLabelDetector.Threshold ? best : null;
    }

    private async Task<AudioReport?> InspectAudioAsync(MediaWorkspace ws, MediaFormat format, VideoStreamInfo info, string name, VerifyOptions options, CancellationToken ct)
    {
        // A track whose rate or channels the audio path refuses (Audio null) was copied untouched when
        // stamping; reading it would only fail the whole report with LS113, so the frames answer alone.
        if (info.Audio is null) return null;
        var track = await _audio.ExtractAsync(ws, format, info.AudioCodec, name, options.Limits.ToolTimeout, ct).ConfigureAwait(false);
        if (track is not { } t) return null;
        return await _audio.InspectAsync(t.Bytes, name, options.Key, options.Limits, ct).ConfigureAwait(false);
    }

    /// <summary>The watermark row: the frames' reading decides when there is one, else the audio track's.
    /// Details say which one produced the verdict (<c>source</c>: <c>frames</c> or <c>audio-track</c>) and
    /// what each part gave (<c>video</c>, <c>audio</c>).</summary>
    internal static LayerFinding WatermarkRow(MarkReading? video, AudioReport? audio, VerifyOptions options)
    {
        if (options.Key is null) return LayerFinding.NotChecked("not checked: no key (--key-file or LABELSTAMP_MARK_KEY)");
        MarkReading? audioMark = audio is { KeyNibbleMatches: true, Watermark: { } w }
            ? new MarkReading(w.Payload.MarkId, options.Key.KeyId, w.BitErrorsCorrected, w.FalsePositiveProbability,
                string.Create(CultureInfo.InvariantCulture, $"audio grid at {w.OffsetSeconds:0.###} s, sync z {w.SyncZ:0.#}, {w.BlocksSeen} blocks"))
            : null;
        var row = WatermarkFinding.From(video ?? audioMark);
        if (row.State != LayerState.Found) return audio is null ? row : row with { Summary = "no watermark under this key in the frames or the audio track" };
        var details = new Dictionary<string, string>(row.Details!)
        {
            ["source"] = video is null ? "audio-track" : "frames",
            ["video"] = video is null ? "not found" : "found",
            ["audio"] = audio is null ? "no audio track" : audioMark is null ? "not found" : "found " + audioMark.MarkId,
        };
        var summary = new StringBuilder(video is null ? "audio track: " : "frames: ").Append(row.Summary);
        if (video is not null && audio is not null) summary.Append(audioMark is null ? "; audio track: not found" : audioMark.MarkId == video.MarkId ? "; audio track: same mark" : "; audio track: DIFFERENT mark " + audioMark.MarkId);
        return row with { Summary = summary.ToString(), Details = details };
    }
}
