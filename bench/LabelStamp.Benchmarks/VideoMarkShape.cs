using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-mark-shape CLIP SECONDS AMPLITUDES [ATTACKS]`:
/// what the video mark alone costs the encoder, and what is left of it, for several amplitudes, without
/// labels, audio or the stamp's process layout. The first SECONDS of CLIP are decoded to raw frames, the
/// mark (<see cref="VideoMarkEmbedder"/>, key 1) is added in this process, and the frames are encoded with
/// the stamp's own encoder arguments (<see cref="VideoCodecs"/>); the plain transcode is the same decode and
/// encode without the mark, so the bytes ratio is the mark's alone (bytes are deterministic). Per
/// amplitude: bytes / plain, the intra frames' share of the growth, the frames' reading (bits corrected, z)
/// of the encode and of each attack in ATTACKS (names or prefixes of <see cref="VideoAttackSuite.Development"/>),
/// under key 1 and a wrong key. AMPLITUDES are comma-separated: "A" is the production embedder at
/// amplitude A; "A:mF" the motion-following pattern re-anchored at F cells of drift (<see cref="MotionFollowingMark"/>), "A:mFg" the same on the flatter half of the cells only;
/// "A:d" is the static pattern averaged over each 8 × 8 block (one DC step per intra block); "A:gK" marks only the cells flatter than K (default 1) × the frame's median cell (a hard gate), "A:h" only a checkerboard half of the cells;
/// "A:t" scales each cell of each frame by min(1, median texture / its texture) (full on flat
/// cells), "A:f" the reverse (full on textured cells); "A:p" the pattern glued to the content's global
/// translation (<see cref="GluedMark"/>), "A:z" glued to translation + zoom, "A:c" the same with
/// <see cref="MotionCoast"/>, each also read by <see cref="RegisteredMarkReader"/>; "A:sN" today's static pattern on a grid of N
/// cells across the shorter side, "A:sNeT" with one amplitude per frame from the frame's texture, "A:qT" the same in quarter
/// steps through the product embedder (<see cref="TextureScaledMark"/>); "A:xS" the product embedder at a fixed strength S
/// (round 8: the strength <see cref="VideoMarkProbe"/> calibrates); "A:o", "A:oi", "A:og", "A:ok" the glued pattern drawn through an
/// oracle's maps measured beforehand on the clean source (round 9, <see cref="OracleMotion"/>: sub-pixel translation, whole-pixel
/// translation, sub-pixel translation with a still gate, the corpus generator's known zoom; read by phase correlation) — exploration variants, not product code.
/// LS_ENCODER_LOG=info prints x264's own statistics (frame types, skip rates); LS_KEEP=DIR keeps the files.
/// </summary>
public static class VideoMarkShape
{
    /// <summary>Variant "A:c": "A:z" plus coasting through up to this many unfitted frames.</summary>
    private const int CoastFrames = 12;

    /// <summary>A development clip's bytes, its container (WebM/MKV or MP4, by name) with the extension its outputs take,
    /// and what the product's probe says of it.</summary>
    internal static (byte[] Input, MediaFormat Format, string Extension, VideoStreamInfo Info) ReadClip(string clip, ToolRunner tools)
    {
        byte[] input = File.ReadAllBytes(clip);
        var format = clip.EndsWith(".webm", StringComparison.Ordinal) || clip.EndsWith(".mkv", StringComparison.Ordinal) ? MediaFormat.Matroska : MediaFormat.Mp4;
        string ext = format == MediaFormat.Matroska ? ".webm" : ".mp4";
        using var ws = MediaWorkspace.CreateAsync(input, ext, default).GetAwaiter().GetResult();
        var info = new VideoProbe(tools).ProbeAsync(ws, format, input, "clip", new MediaLimits(), default).GetAwaiter().GetResult();
        return (input, format, ext, info);
    }

    public static int Run(string clip, double seconds, string[] amplitudes, string attackFilter)
    {
        var tools = new ToolRunner();
        string work = Path.Combine(Path.GetTempPath(), "ls-video-shape-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var (input, format, ext, info) = VideoMarkShape.ReadClip(clip, tools);
            var encoder = VideoCodecs.EncoderArguments(info, new VideoLabelOptions());
            var keys = new[] { Key(1), Key(77) };
            var id = MarkId.Compute(keys[0], "producer", "shape");
            var payload = MarkPayload.For(id, keys[0]);
            var suite = VideoAttackSuite.Development
                .Where(a => attackFilter != "none" && (attackFilter == "all" || attackFilter.Split(',').Any(p => a.Name.StartsWith(p, StringComparison.Ordinal))))
                .Where(a => VideoAttackSuite.Applies(a, info.Height)).ToList();
            var inspector = new VideoInspector(tools: tools);
            Console.WriteLine($"{Path.GetFileName(clip)}, first {seconds} s, {info.Width}×{info.Height}, encoder: {string.Join(' ', encoder.Take(6))}");
            Console.WriteLine();
            Console.WriteLine("| amplitude | bytes | bytes / plain | intra bytes / plain intra | encoded: bits corrected (z) | " + string.Join(" | ", suite.Select(a => a.Name)) + " |");
            Console.WriteLine("|---|---:|---:|---:|---|" + string.Concat(suite.Select(_ => "---|")));
            long plainBytes = 0, plainIntra = 0;
            foreach (string variant in amplitudes.Prepend("0"))
            {
                string[] vp = variant.Split(':');
                double amp = double.Parse(vp[0], CultureInfo.InvariantCulture);
                MotionFollowingMark? following = null;
                GluedMark? glued = null;
                AdaptiveMark? adaptive = null;
                TextureScaledMark? scaled = null;
                Action<byte[]>? embedder = amp <= 0 ? null
                    : vp.Length == 1 ? new VideoMarkEmbedder(keys[0], payload, info.Width, info.Height, amp) is var e ? b => e.Embed(b) : null
                    : vp[1].StartsWith('o') ? (glued = new GluedMark(keys[0], payload, info.Width, info.Height, amp)
                        { Separable = true, Oracle = OracleMotion.Measure(clip, seconds, info, vp[1]) }).Embed
                    : vp[1] is "p" or "z" or "c" || vp[1].StartsWith('k') ? (glued = new GluedMark(keys[0], payload, info.Width, info.Height, amp, followZoom: vp[1] != "p",
                        coastFrames: vp[1] == "c" ? CoastFrames : 0, keyInterval: KeyInterval(vp[1]), dense: Dense(vp[1]), strict: Strict(vp[1]), robust: vp[1].StartsWith('k') && vp[1].Contains('r'), gate: vp[1].StartsWith('k') && vp[1].Contains('v'),
                        gluedFromStart: vp[1].StartsWith('k') && vp[1].Contains('l') && GateOpensAtStart(clip, info)) { Separable = vp[1].Contains('d') }).Embed
                    : vp[1].StartsWith('x') ? new VideoMarkEmbedder(keys[0], payload, info.Width, info.Height, amp) is var xe
                        && double.Parse(vp[1][1..], CultureInfo.InvariantCulture) is var fixedStrength ? b => xe.Embed(b, fixedStrength) : null
                    : vp[1].StartsWith('q') ? (scaled = new TextureScaledMark(new VideoMarkEmbedder(keys[0], payload, info.Width, info.Height, amp),
                        double.Parse(vp[1][1..].Split('f')[0], CultureInfo.InvariantCulture),
                        vp[1].Contains('f') ? double.Parse(vp[1].Split('f')[1], CultureInfo.InvariantCulture) : 0.25)).Embed
                    : vp[1].StartsWith('s') ? (vp[1].TrimStart('s').TrimStart("0123456789".ToCharArray()) is { Length: > 0 } mode
                        ? (adaptive = new AdaptiveMark(keys[0], payload, info.Width, info.Height, amp, mode, Cells(vp[1]))).Embed
                        : new VideoMarkEmbedder(keys[0], payload, info.Width, info.Height, amp, Cells(vp[1])) is var se ? b => se.Embed(b) : null)
                    : vp[1].StartsWith('m') ? (following = new MotionFollowingMark(keys[0], payload, info.Width, info.Height, amp,
                        double.Parse(vp[1][1..].TrimEnd('g'), CultureInfo.InvariantCulture), vp[1].EndsWith('g'))).Embed
                    : new AdaptiveMark(keys[0], payload, info.Width, info.Height, amp, vp[1]).Embed;
                string output = Path.Combine(work, $"a{variant.Replace(':', '_')}{ext}");
                var sw = Stopwatch.StartNew();
                Transcode(clip, seconds, info, encoder, embedder, output, ext);
                long bytes = new FileInfo(output).Length, intra = IntraBytes(output);
                if (embedder is null)
                {
                    plainBytes = bytes;
                    plainIntra = intra;
                    // The unmarked encode through the registered reader under both keys: anything declared is FALSE.
                    string plainRead = amplitudes.Any(v => v.EndsWith(":p", StringComparison.Ordinal) || v.EndsWith(":z", StringComparison.Ordinal) || v.EndsWith(":c", StringComparison.Ordinal) || v.Contains(":k", StringComparison.Ordinal) || v.Contains(":o", StringComparison.Ordinal))
                        ? "registered, key 1 / other key: " + ReadUnmarked(output, keys, amplitudes.Any(v => v.EndsWith(":z", StringComparison.Ordinal) || v.Contains(":k", StringComparison.Ordinal) || v.Contains(":o", StringComparison.Ordinal)),
                            amplitudes.Select(v => v.Split(':')).Where(v => v.Length > 1).Select(v => KeyInterval(v[1])).Max(),
                            amplitudes.Any(v => v.Split(':') is [_, var f] && Dense(f)), amplitudes.Any(v => v.Split(':') is [_, var f] && Strict(f)),
                            amplitudes.All(v => v.Split(':') is not [_, var f] || f.StartsWith('o')),
                            amplitudes.Any(v => v.Split(':') is [_, var f] && StillGain(f) > 0) ? PhaseCorrelationTracker.GatedStillGain : 0,
                            amplitudes.Select(v => v.Split(':')).Where(v => v.Length > 1).Select(v => Reduced(v[1])).DefaultIfEmpty(0).Max()) : "";
                    Console.WriteLine($"| plain | {bytes} | 1.000 | 1.000 | {plainRead} | " + string.Join(" | ", suite.Select(_ => "")) + " |");
                    continue;
                }
                var reader = vp.Length > 1 && vp[1].StartsWith('s') ? new VideoInspector(tools: tools) { FramesMarkCells = Cells(vp[1]) } : inspector;
                var row = new List<string> { Read(reader, output, keys, id) + (glued is null ? "" : "; registered: " + ReadRegistered(output, keys, id, vp[1] != "p", vp[1] == "c" ? CoastFrames : 0, KeyInterval(vp[1]), Dense(vp[1]), Lenient(vp[1]), Interpolated(vp[1]), Strict(vp[1]), vp[1].StartsWith('o'), StillGain(vp[1]), Reduced(vp[1]))) };
                foreach (var a in suite)
                {
                    var attack = VideoAttackSuite.For(a, info.Height);
                    // One file per variant and attack, so LS_KEEP keeps every copy for re-reading.
                    string attacked = Path.Combine(work, $"a{variant.Replace(':', '_')}-{a.Name}{attack.Extension}");
                    attack.ApplyAsync(output, attacked, seconds, tools, default).GetAwaiter().GetResult();
                    row.Add(Read(reader, attacked, keys, id) + (glued is null ? "" : "; registered: " + ReadRegistered(attacked, keys, id, vp[1] != "p", vp[1] == "c" ? CoastFrames : 0, KeyInterval(vp[1]), Dense(vp[1]), Lenient(vp[1]), Interpolated(vp[1]), Strict(vp[1]), vp[1].StartsWith('o'), StillGain(vp[1]), Reduced(vp[1]))));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant} | {bytes} | **{(double)bytes / plainBytes:0.000}** | {(double)intra / plainIntra:0.000} | ") + string.Join(" | ", row) + " |");
                Console.Error.WriteLine($"amplitude {variant}: {sw.Elapsed.TotalSeconds:0} s {adaptive?.Summary}{scaled?.Summary}" + (following is null ? "" : $", {following.Resets} re-anchorings in {following.Frames} frames")
                    + (glued is null ? "" : string.Create(CultureInfo.InvariantCulture, $", moved with the content in {glued.Followed} of {glued.Frames} frames{(glued.GluedFrom >= 0 ? $" (glued from frame {glued.GluedFrom})" : "")}, estimator {glued.EstimatorTime.TotalMilliseconds / glued.Frames:0.0} ms/frame, whole mark {glued.TotalTime.TotalMilliseconds / glued.Frames:0.0} ms/frame")));
            }
            return 0;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("LS_KEEP") is { } keep) Directory.Move(work, keep);
            else Directory.Delete(work, recursive: true);
        }
    }

    private static string Read(VideoInspector inspector, string path, MarkKey[] keys, MarkId id)
    {
        var format = path.EndsWith(".webm", StringComparison.Ordinal) ? MediaFormat.Matroska : MediaFormat.Mp4;
        var r = inspector.ReadFramesMarksAsync(File.ReadAllBytes(path), "x", format, keys, new MediaLimits(), default).GetAwaiter().GetResult();
        string cell = r[0] is null ? "**miss**" : r[0]!.MarkId == id ? $"{r[0]!.BitErrorsCorrected} ({r[0]!.Geometry.Split(", ")[2]})" : "**WRONG**";
        return r[1] is null ? cell : cell + " (other key: **FALSE**)";
    }

    /// <summary>The glued mark read through <see cref="RegisteredMarkReader"/>: bits corrected (z, the best
    /// shift's margin over the others in robust SDs), the other key FALSE if it declared anything.</summary>
    /// <summary>Re-reads kept copies (LS_KEEP) of a glued variant: round 2's reader ; the registered reader
    /// with this variant's registration, under key 1 and key 77, without encoding anything again.</summary>
    public static int ReadKept(string variant, string[] files)
    {
        var keys = new[] { Key(1), Key(77) };
        var id = MarkId.Compute(keys[0], "producer", "shape");
        var inspector = new VideoInspector(tools: new ToolRunner());
        foreach (string f in files)
        {
            var sw = Stopwatch.StartNew();
            string cell = Read(inspector, f, keys, id) + "; registered: " + ReadRegistered(f, keys, id, variant != "p", variant == "c" ? CoastFrames : 0, KeyInterval(variant), Dense(variant), Lenient(variant), Interpolated(variant), Strict(variant), variant.StartsWith('o'), StillGain(variant), Reduced(variant));
            Console.WriteLine($"| {Path.GetFileName(f)} | {variant} | {cell} | {sw.Elapsed.TotalSeconds:0} s |");
        }
        return 0;
    }

    /// <summary>Variant "A:kN" (round 5): glued with zoom, registered against key frames N frames apart (8 when N is left out);
    /// "A:kNd" draws it through the SIMD kernel (<see cref="GluedMark.Separable"/>).</summary>
    private static int KeyInterval(string variant) =>
        variant.StartsWith('o') ? 8 : variant.StartsWith('k') ? (variant.TrimEnd('d', 'g', 'a', 'i', 's', 'r', 'v', 'l').Length > 1 ? int.Parse(variant.TrimEnd('d', 'g', 'a', 'i', 's', 'r', 'v', 'l')[1..], CultureInfo.InvariantCulture) : 8) : 0;

    /// <summary>"A:kN…s" (round 6): key frames only from fitted frames, patches searched around the expected zoom, and
    /// the reader leaves unfitted frames off its canvas (<see cref="KeyFrameRegistration.Strict"/>). "A:kN…r": the embedder's
    /// estimator on <see cref="TranslationEstimator.Robust"/> thresholds (the reader's are unchanged); "A:kN…v": static until
    /// a second, Robust estimator fits half of 24 consecutive frames (<see cref="GluedMark.GateWindow"/>), then glued; "A:kN…vl":
    /// the same gate judged first on the clip's first 24 frames (<see cref="GateOpensAtStart"/>, a lookahead): if it opens
    /// there, the pattern is glued from frame 0 instead of static for the first second.</summary>
    private static bool Strict(string variant) => (variant.StartsWith('k') && variant.Contains('s')) || variant.StartsWith('o');

    /// <summary>"A:sN" (round 7): today's static pattern on a grid of N cells across the shorter side (36 when N is left out),
    /// read on that grid; "A:sNf" the same grid with the per-cell texture masking of "A:f" (less on flat cells).</summary>
    private static int Cells(string variant) =>
        variant.TrimStart('s') is var rest && rest.TakeWhile(char.IsAsciiDigit).ToArray() is { Length: > 0 } digits
            ? int.Parse(new string(digits), CultureInfo.InvariantCulture) : VideoMarkLayout.ShortSideCells;

    /// <summary>"A:og" (round 9): the oracle's tracker and the phase reader take steps that do not explain the frame as no motion.</summary>
    private static double StillGain(string variant) => variant == "og" ? PhaseCorrelationTracker.GatedStillGain : 0;

    /// <summary>"A:kNg": the key-frame estimator on a 16 × 9 patch grid.</summary>
    private static bool Dense(string variant) => variant.StartsWith('k') && variant.Contains('g');

    /// <summary>"A:kN…a": the reader registers with <see cref="TranslationEstimator.Lenient"/> thresholds (the embedder is unchanged).</summary>
    private static bool Lenient(string variant) => variant.StartsWith('k') && variant.Contains('a');

    /// <summary>"A:kN…i": the reader interpolates the maps of unfitted frames between fitted ones (the embedder is unchanged).</summary>
    private static bool Interpolated(string variant) => variant.StartsWith('k') && variant.Contains('i');

    /// <summary>"A:or" / "A:oz" (round 10): the glued pattern drawn through <see cref="ReducedPhaseTracker"/>'s maps (translation / + zoom),
    /// and the reader registers with the same tracker.</summary>
    private static int Reduced(string variant) => variant == "or" ? 1 : variant == "oz" ? 2 : 0;

    private static string ReadRegistered(string path, MarkKey[] keys, MarkId id, bool similarity, int coastFrames, int keyInterval, bool dense = false, bool lenient = false, bool interpolate = false, bool strict = false, bool phase = false, double stillGain = 0, int reduced = 0)
    {
        // Round 11: the variants of round 10's tracker are also read registered on the mark (LS_READER=mark: that reader only).
        if (reduced > 0)
        {
            string onMark = ReadMarkRegistered(path, keys, id, reduced == 2);
            if (Environment.GetEnvironmentVariable("LS_READER") == "mark") return onMark;
            return ReadChained(path, keys, id, similarity, coastFrames, keyInterval, dense, lenient, interpolate, strict, phase, stillGain, reduced) + "; on the mark: " + onMark;
        }
        return ReadChained(path, keys, id, similarity, coastFrames, keyInterval, dense, lenient, interpolate, strict, phase, stillGain, reduced);
    }

    /// <summary>Round 11: <see cref="MarkRegisteredReader"/> under key 1 and the wrong key; the registration's figures on stderr.</summary>
    private static string ReadMarkRegistered(string path, MarkKey[] keys, MarkId id, bool zoom)
    {
        var sw = Stopwatch.StartNew();
        var reg = MarkRegisteredReader.Build(path, zoom);
        double t0 = CpuClock.Thread();
        var r = RegisteredMarkReader.Detect(reg.Canvas, keys[0]);
        var other = RegisteredMarkReader.Detect(reg.Canvas, keys[1]);
        double detectMs = (CpuClock.Thread() - t0) * 1000 / 2 / reg.Canvas.Frames;
        string cell = r is null ? "**miss**" : r.Payload.MarkId == id
            ? string.Create(CultureInfo.InvariantCulture, $"{r.BitErrorsCorrected} (z {r.ZScore:0.#}, margin {r.ShiftMargin:0})") : "**WRONG**";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  on the mark {Path.GetFileName(path)}: {reg.Canvas.Frames} frames, {reg.Measured} of {reg.Blocks} blocks measured, canvas {reg.Canvas.Width}×{reg.Canvas.Height}, chain's last ×{reg.ChainLast.S:0.0000} ({reg.ChainLast.X:0.0}, {reg.ChainLast.Y:0.0}), mark's last ×{reg.MarkLast.S:0.0000} ({reg.MarkLast.X:0.0}, {reg.MarkLast.Y:0.0}), thread CPU-ms per kept frame: tracker {reg.TrackerMsPerFrame:0.0}, blocks {reg.BlockMsPerFrame:0.0}, canvas {reg.CanvasMsPerFrame:0.0}, detect (one key) {detectMs:0.0}; {sw.Elapsed.TotalSeconds:0} s"));
        if (Environment.GetEnvironmentVariable("LS_TRACE_BLOCKS") == "1") Console.Error.WriteLine("   " + reg.Trace);
        return other is null ? cell : cell + " (other key: **FALSE**)";
    }

    private static string ReadChained(string path, MarkKey[] keys, MarkId id, bool similarity, int coastFrames, int keyInterval, bool dense, bool lenient, bool interpolate, bool strict, bool phase, double stillGain, int reduced)
    {
        var sw = Stopwatch.StartNew();
        var canvas = RegisteredMarkReader.Build(path, similarity && !phase, coastFrames, keyInterval, dense, lenient, interpolate, strict, phase, stillGain, reduced);
        var r = RegisteredMarkReader.Detect(canvas, keys[0]);
        var other = RegisteredMarkReader.Detect(canvas, keys[1]);
        string cell = r is null ? "**miss**" : r.Payload.MarkId == id
            ? string.Create(CultureInfo.InvariantCulture, $"{r.BitErrorsCorrected} (z {r.ZScore:0.#}, margin {r.ShiftMargin:0}, rank {r.Rank}{(r.Scale != 1 ? $", scale {r.Scale:0.###}" : "")})") : "**WRONG**";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  registered read {Path.GetFileName(path)}: {canvas.Frames} frames, {canvas.Moved} moved, canvas {canvas.Width}×{canvas.Height}{(canvas.Zoomed ? " (zoomed)" : "")}, last map ×{canvas.LastMap.S:0.0000} ({canvas.LastMap.X:0.0}, {canvas.LastMap.Y:0.0}), estimator {canvas.EstimatorMsPerFrame:0.0} ms/frame, {sw.Elapsed.TotalSeconds:0} s"));
        return other is null ? cell : cell + " (other key: **FALSE**)";
    }

    private static string ReadUnmarked(string path, MarkKey[] keys, bool similarity, int keyInterval, bool dense, bool strict = false, bool phase = false, double stillGain = 0, int reduced = 0)
    {
        if (reduced > 0)
        {
            // Round 11: the unmarked encode read registered on the mark, under both keys.
            var reg = MarkRegisteredReader.Build(path, reduced == 2);
            string onMark = string.Join(" / ", keys.Select(k => RegisteredMarkReader.Detect(reg.Canvas, k) is null ? "none" : "**FALSE**"));
            Console.Error.WriteLine($"  on the mark (unmarked) {Path.GetFileName(path)}: {reg.Measured} of {reg.Blocks} blocks measured");
            if (Environment.GetEnvironmentVariable("LS_READER") == "mark") return "on the mark: " + onMark;
            return ReadUnmarkedChained(path, keys, similarity, keyInterval, dense, strict, phase, stillGain, reduced) + "; on the mark: " + onMark;
        }
        return ReadUnmarkedChained(path, keys, similarity, keyInterval, dense, strict, phase, stillGain, reduced);
    }

    private static string ReadUnmarkedChained(string path, MarkKey[] keys, bool similarity, int keyInterval, bool dense, bool strict, bool phase, double stillGain, int reduced)
    {
        var canvas = RegisteredMarkReader.Build(path, similarity && !phase, keyInterval: keyInterval, dense: dense, strict: strict, phase: phase, stillGain: stillGain, reduced: reduced);
        return string.Join(" / ", keys.Select(k => RegisteredMarkReader.Detect(canvas, k) is null ? "none" : "**FALSE**"));
    }

    /// <summary>Variant "l": the gate of <see cref="GluedMark"/> judged on the first <see cref="GluedMark.GateWindow"/> frames
    /// before anything is drawn. A product embedder would hold those frames back (≈ 75 MB of 1080p luma + chroma) instead
    /// of decoding twice; the bench decodes them twice, which changes nothing in the output.</summary>
    private static bool GateOpensAtStart(string clip, VideoStreamInfo info)
    {
        int w = info.Width, h = info.Height, fitted = 0, frames = 0;
        var gate = new KeyFrameRegistration(w, h, 8, maxShiftPerFrame: 64, similarity: true, robust: true) { Strict = true };
        var dec = Start(["-nostdin", "-v", "error", "-i", clip, "-map", "0:v:0", "-frames:v", GluedMark.GateWindow.ToString(CultureInfo.InvariantCulture), "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
        var src = dec.StandardOutput.BaseStream;
        byte[] buf = new byte[w * h];
        while (frames < GluedMark.GateWindow)
        {
            int got = 0;
            while (got < buf.Length) { int n = src.Read(buf, got, buf.Length - got); if (n == 0) break; got += n; }
            if (got < buf.Length) break;
            gate.Advance(buf);
            if (gate.LastFitted) fitted++;
            frames++;
        }
        dec.WaitForExit();
        bool open = frames == GluedMark.GateWindow && 2 * fitted >= GluedMark.GateWindow;
        Console.Error.WriteLine($"gate on the first {frames} frames: {fitted} fitted, {(open ? "glued from frame 0" : "judged while streaming")}");
        return open;
    }

    /// <summary>Decode → (mark) → encode through raw yuv420p pipes, <paramref name="seconds"/> from <paramref name="start"/> only.</summary>
    internal static void Transcode(string clip, double seconds, VideoStreamInfo info, IReadOnlyList<string> encoder, Action<byte[]>? embedder, string output, string ext, double start = 0)
    {
        string s = seconds.ToString(CultureInfo.InvariantCulture);
        var dec = Start(start > 0
            ? ["-nostdin", "-v", "error", "-ss", start.ToString(CultureInfo.InvariantCulture), "-i", clip, "-t", s, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]
            : ["-nostdin", "-v", "error", "-i", clip, "-t", s, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
        var encArgs = new List<string> { "-nostdin", "-v", Environment.GetEnvironmentVariable("LS_ENCODER_LOG") ?? "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{info.Width}x{info.Height}",
            "-r", info.FrameRate, "-i", "-" };
        encArgs.AddRange(encoder);
        encArgs.AddRange(["-f", ext == ".webm" ? "webm" : "mp4", output]);
        var enc = Start(encArgs);
        int y = info.Width * info.Height, frame = y * 3 / 2;
        byte[] buf = new byte[frame];
        var src = dec.StandardOutput.BaseStream;
        var dst = enc.StandardInput.BaseStream;
        while (true)
        {
            int got = 0;
            while (got < frame)
            {
                int n = src.Read(buf, got, frame - got);
                if (n == 0) break;
                got += n;
            }
            if (got < frame) break;
            embedder?.Invoke(buf);
            dst.Write(buf, 0, frame);
        }
        dst.Close();
        dec.WaitForExit();
        enc.WaitForExit();
        if (dec.ExitCode != 0 || enc.ExitCode != 0) throw new InvalidOperationException("transcode failed: " + enc.StandardError.ReadToEnd());
    }

    private static Process Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("nice") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = false, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg" }.Concat(args)) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>Bytes of the video stream's key-frame packets.</summary>
    private static long IntraBytes(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=size,flags", "-of", "csv=p=0", path }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        long sum = 0;
        foreach (string line in p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(',');
            if (f.Length >= 2 && f[1].Contains('K', StringComparison.Ordinal)) sum += long.Parse(f[0], CultureInfo.InvariantCulture);
        }
        p.WaitForExit();
        return sum;
    }

    internal static MarkKey Key(int k) => BenchKeys.Sequential(k);

    /// <summary>Experimental per-frame amplitude per cell from the frame's own texture (exploration only).</summary>
    private sealed class AdaptiveMark
    {
        private readonly VideoMarkLayout _l;
        private readonly sbyte[] _chip;
        private readonly double _amp;
        private readonly string _mode;
        public AdaptiveMark(MarkKey key, MarkPayload payload, int w, int h, double amp, string mode, int cells = VideoMarkLayout.ShortSideCells)
        {
            _l = VideoMarkLayout.For(key, w, h, cells);
            _chip = _l.Chips(payload);
            _amp = amp;
            _mode = mode;
        }

        private double _smoothed = -1, _gainSum, _textureSum;
        private int _frames;

        /// <summary>Mode "eT": the mean gain and the mean median cell texture over the frames so far.</summary>
        public string Summary => _frames == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"mean gain {_gainSum / _frames:0.00}, mean median texture {_textureSum / _frames:0.00}");

        public void Embed(byte[] f)
        {
            int w = _l.Width, h = _l.Height, cols = _l.Cols, n = _l.Cells;
            double[] tex = new double[n];
            int[] cnt = new int[n];
            for (int y = 0; y + 1 < h; y++)
            {
                int rb = _l.RowCell[y] * cols;
                for (int x = 0; x + 1 < w; x++)
                {
                    int i = y * w + x, c = rb + _l.ColumnCell[x];
                    tex[c] += Math.Abs(f[i + 1] - f[i]) + Math.Abs(f[i + w] - f[i]);
                    cnt[c]++;
                }
            }
            for (int c = 0; c < n; c++) tex[c] /= Math.Max(1, cnt[c]);
            double[] sorted = (double[])tex.Clone();
            Array.Sort(sorted);
            double floor = Math.Max(sorted[n / 2], 0.5);
            // Mode "eT" (round 7): one amplitude for the whole frame, A × clamp(median cell texture / T, 1/4, 1), the
            // texture smoothed over ~24 frames so the pattern barely changes between frames (a change is coded in
            // every block). Flat content, where the detector sees the pattern clearly and the codec pays most for
            // it, gets less; busy content, where the pattern costs little and reads worst, keeps the full amplitude.
            double whole = 1;
            if (_mode.StartsWith('e'))
            {
                _smoothed = _smoothed < 0 ? sorted[n / 2] : _smoothed + (sorted[n / 2] - _smoothed) / 24;
                whole = Math.Clamp(_smoothed / double.Parse(_mode[1..], CultureInfo.InvariantCulture), 0.25, 1);
                _gainSum += whole;
                _textureSum += sorted[n / 2];
                _frames++;
            }
            double[] g = new double[n];
            for (int c = 0; c < n; c++)
                g[c] = _mode switch
                {
                    "t" => Math.Min(1, floor / Math.Max(tex[c], 1e-6)),
                    "f" => Math.Min(1, tex[c] / floor),
                    ['g', ..] => tex[c] < floor * (_mode.Length > 1 ? double.Parse(_mode[1..], CultureInfo.InvariantCulture) : 1) ? 1 : 0,
                    "h" => ((c / cols) + (c % cols)) % 2 == 0 ? 1 : 0,
                    ['e', ..] => whole,
                    _ => 1,
                } * _amp * _chip[c];
            if (_mode == "d")
            {
                // Design "c": the smooth pattern averaged over each 8 × 8 block of the macroblock grid, so
                // an intra block holds one DC step and nothing else.
                for (int by = 0; by < h; by += 8)
                for (int bx = 0; bx < w; bx += 8)
                {
                    double sum = 0;
                    int count = 0;
                    for (int y = by; y < Math.Min(h, by + 8); y++)
                    for (int x = bx; x < Math.Min(w, bx + 8); x++, count++)
                        sum += g[_l.RowCell[y] * cols + _l.ColumnCell[x]] * _l.RowWeight[y] * _l.ColumnWeight[x];
                    int d = (int)Math.Round(sum / count);
                    for (int y = by; y < Math.Min(h, by + 8); y++)
                    for (int x = bx; x < Math.Min(w, bx + 8); x++)
                        f[y * w + x] = (byte)Math.Clamp(f[y * w + x] + d, 0, 255);
                }
                return;
            }
            for (int y = 0; y < h; y++)
            {
                int rb = _l.RowCell[y] * cols;
                double wy = _l.RowWeight[y];
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    f[i] = (byte)Math.Clamp(f[i] + (int)Math.Round(g[rb + _l.ColumnCell[x]] * wy * _l.ColumnWeight[x]), 0, 255);
                }
            }
        }
    }
}
