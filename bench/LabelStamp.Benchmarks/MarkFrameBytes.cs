using System.Diagnostics;
using System.Globalization;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-corpus DIR frame-bytes [clips]` (issue 18, round 15): where the video mark's bytes go, and the floor under them.
/// Per whole clip, four encodes with the stamp's own encoder arguments: the plain transcode of <see cref="VideoCorpus.PlainTranscode"/>,
/// the product stamp with the watermark layer off (labels, tags, labelled audio track), the static stamp and the
/// content-locked stamp (key <c>BenchKeys.Sequential(1)</c>, content ID <c>versions-CLIP</c>: the marks of `versions`),
/// each split into key frames and inter frames (<see cref="VideoFrameSizes"/>); the mark's increment (stamp minus mark-off
/// stamp) and the labels' increment (mark-off stamp minus plain) split the same way. Then the intra floor: <see cref="IntraFrames"/>
/// frames spread over the clip (decoded as the stamp decodes them), encoded all-intra with the stamp's encoder arguments
/// once unmarked and once per amplitude with the static pattern added (<see cref="VideoMarkEmbedder"/>): bytes per key frame
/// of the pattern. Floor = plain's key frames × that cost at the product's amplitude / plain bytes. Bytes are deterministic:
/// one run per clip. Output: markdown tables on stdout, progress on stderr.
/// </summary>
public static class MarkFrameBytes
{
    /// <summary>Frames of a clip encoded all-intra for the floor (spread evenly, each at the middle of its slice).</summary>
    public const int IntraFrames = 8;

    /// <summary>The product's amplitude first (<see cref="VideoMarkEmbedder.DefaultAmplitude"/>), then the lower ones of round 7.</summary>
    private static IReadOnlyList<double> Amplitudes { get; } = [VideoMarkEmbedder.DefaultAmplitude, 4, 3, 2];

    /// <summary>The lowest amplitude round 7 found reading on most clips (bench/VIDEO.md, round 7): the floor is quoted there too.</summary>
    private const double LowestReadingAmplitude = 3;

    /// <summary>Issue 18's bytes target: stamp ≤ 1.10 × plain.</summary>
    private const double Target = 1.10;

    private sealed record Variant(long Total, VideoFrameSizes Video);

    private sealed record IntraFloor(int Frames, long UnmarkedPerFrame, double[] CostPerKeyFrame, VideoFrameSizes Unmarked);

    private sealed record Row(string File, string Encoder, Variant Plain, Variant Off, Variant Static, Variant Locked, IntraFloor Floor)
    {
        public double LockedRatio => (double)Locked.Total / Plain.Total;
    }

    public static int Run(string dir, List<(string File, bool Audio)> clips, string work)
    {
        var tools = new ToolRunner();
        var statics = new VideoLabelOptions();
        var locked = new VideoLabelOptions { MarkVersion = VideoMarkVersion.ContentLocked };
        var rows = new List<Row>();
        var checks = new List<string>();
        int failures = 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {Load()}; {Environment.ProcessorCount} cores; intra floor: {IntraFrames} frames per clip, amplitudes {string.Join(", ", Amplitudes)}"));
        foreach (var clip in clips)
        {
            var sw = Stopwatch.StartNew();
            var (input, format, info, plainArgs, plainOut) = VideoCorpus.PlainTranscode(tools, dir, clip, statics, work);
            FfmpegCommand.Run([.. plainArgs]);
            string ext = Path.GetExtension(clip.File);
            string contentId = "versions-" + clip.File;
            Variant Probe(string name, string path)
            {
                var v = new Variant(new FileInfo(path).Length, VideoFrameSizes.Probe(path));
                var (row, agrees) = CheckRow(clip.File, name, v.Video);
                checks.Add(row);
                if (!agrees) failures++;
                return v;
            }
            Variant Stamp(string name, VideoLabelOptions options, bool watermark)
            {
                var ctx = VideoCorpus.Context(BenchKeys.Sequential(1), contentId, format, watermark: watermark);
                string path = Path.Combine(work, name + ext);
                File.WriteAllBytes(path, new VideoLabeler(options: options, tools: tools).LabelAsync(input, ctx, default).GetAwaiter().GetResult().Output);
                return Probe(name, path);
            }
            var plain = Probe("plain", plainOut);
            var off = Stamp("mark-off", statics, watermark: false);
            var stat = Stamp("static", statics, watermark: true);
            var lck = Stamp("content-locked", locked, watermark: true);
            var floor = MeasureIntra(Path.Combine(dir, clip.File), info, VideoCorpus.Context(BenchKeys.Sequential(1), contentId, format), statics, ext, work);
            var encoder = VideoCodecs.EncoderArguments(info, statics);
            rows.Add(new Row(clip.File, encoder[1] + " " + string.Join(" ", encoder.Skip(2).Take(4)), plain, off, stat, lck, floor));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clip.File}: {sw.Elapsed.TotalSeconds:0} s; content-locked / plain {(double)lck.Total / plain.Total:0.000}, pattern per key frame {floor.CostPerKeyFrame[0]:0} B"));
        }
        rows.Sort((a, b) => b.LockedRatio.CompareTo(a.LockedRatio));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {Load()}"));
        PrintTotals(rows);
        PrintIncrements(rows);
        PrintFloor(rows);
        Console.WriteLine();
        Console.WriteLine("**The split's check** (per file: packets of the video stream, key = flag K; the decoder's frames: key_frame=1, pict_type I, sum of pkt_size):");
        Console.WriteLine();
        Console.WriteLine("| clip | file | key packets | packet bytes | decoded key frames | decoded I frames | decoded frames' pkt_size sum | check |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (string c in checks) Console.WriteLine(c);
        Console.WriteLine();
        Console.WriteLine(failures == 0 ? "check: every split agrees with its decoder (key frames and bytes)" : $"check: {failures} disagreements (marked above)");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>One row of the check table: the packets' key frames and bytes must be the decoder's.</summary>
    private static (string Row, bool Agrees) CheckRow(string clip, string name, VideoFrameSizes v)
    {
        var d = v.Decoded;
        bool keysAgree = d.KeyFrames == v.KeyFrames;
        bool bytesAgree = d.Bytes == v.Bytes;
        string verdict = keysAgree && bytesAgree ? "agree" : "**DISAGREE**";
        return (string.Create(CultureInfo.InvariantCulture, $"| {clip} | {name} | {v.KeyFrames} | {v.Bytes} | {d.KeyFrames} | {d.IntraFrames} | {d.Bytes} | {verdict} |"),
            keysAgree && bytesAgree);
    }

    /// <summary>
    /// The pattern's cost on a key frame at the stamp's own encoder settings: <see cref="IntraFrames"/> frames spread over
    /// the clip, decoded as the stamp decodes (one frame per decoded frame, the pipe's pixel format), written as raw 4:2:0,
    /// then encoded all-intra (every frame a key frame) unmarked and with the static pattern at each amplitude.
    /// </summary>
    private static IntraFloor MeasureIntra(string path, VideoStreamInfo info, StampContext ctx, VideoLabelOptions options, string ext, string work)
    {
        int w = info.Width, h = info.Height, frameBytes = info.FrameBytes;
        string pix = VideoCodecs.PipePixelFormat(info);
        long expected = Math.Max(IntraFrames, info.Frames);
        var picks = new long[IntraFrames];
        for (int k = 0; k < IntraFrames; k++) picks[k] = (long)((k + 0.5) * expected / IntraFrames);

        var payload = MarkPayload.For(ctx.MarkId, ctx.Key);
        var embedders = new VideoMarkEmbedder[Amplitudes.Count];
        for (int i = 0; i < embedders.Length; i++) embedders[i] = new VideoMarkEmbedder(ctx.Key, payload, w, h, Amplitudes[i]);
        var rawPaths = new string[Amplitudes.Count + 1];
        rawPaths[0] = Path.Combine(work, "intra-unmarked.yuv");
        for (int i = 0; i < embedders.Length; i++) rawPaths[i + 1] = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"intra-a{Amplitudes[i]}.yuv"));
        var raws = rawPaths.Select(p => new FileStream(p, FileMode.Create, FileAccess.Write)).ToArray();
        int taken = 0;
        try
        {
            var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", pix, "pipe:1" })
                psi.ArgumentList.Add(a);
            using var dec = Process.Start(psi)!;
            var err = dec.StandardError.ReadToEndAsync();
            byte[] frame = new byte[frameBytes], marked = new byte[frameBytes];
            long index = 0;
            while (dec.StandardOutput.BaseStream.ReadAtLeast(frame, frameBytes, throwOnEndOfStream: false) == frameBytes)
            {
                if (taken < IntraFrames && index == picks[taken])
                {
                    raws[0].Write(frame);
                    for (int i = 0; i < embedders.Length; i++)
                    {
                        frame.CopyTo(marked, 0);
                        embedders[i].Embed(marked);
                        raws[i + 1].Write(marked);
                    }
                    taken++;
                }
                index++;
            }
            dec.WaitForExit();
            if (dec.ExitCode != 0) throw new InvalidOperationException($"ffmpeg decode of {path} failed: {err.Result}");
        }
        finally
        {
            foreach (var r in raws) r.Dispose();
        }
        if (taken == 0) throw new InvalidOperationException($"{path}: no frame decoded for the intra floor");

        var intra = IntraArguments(VideoCodecs.EncoderArguments(info, options));
        var sizes = new VideoFrameSizes[rawPaths.Length];
        for (int i = 0; i < rawPaths.Length; i++)
        {
            string encoded = Path.ChangeExtension(rawPaths[i], ext);
            FfmpegCommand.Run([.. new[] { "-f", "rawvideo", "-pix_fmt", pix, "-s", $"{w}x{h}", "-framerate", info.FrameRate, "-i", rawPaths[i] }, .. intra, encoded]);
            sizes[i] = VideoFrameSizes.Probe(encoded, decode: false);
            // Every frame must be a key frame, or the difference is not a key frame's cost.
            if (sizes[i].KeyFrames != taken || sizes[i].InterFrames != 0)
                throw new InvalidOperationException($"{encoded}: {sizes[i].KeyFrames} key and {sizes[i].InterFrames} inter frames, expected {taken} key frames");
            File.Delete(rawPaths[i]);
        }
        var cost = new double[Amplitudes.Count];
        for (int i = 0; i < cost.Length; i++) cost[i] = (double)(sizes[i + 1].Bytes - sizes[0].Bytes) / taken;
        return new IntraFloor(taken, sizes[0].Bytes / taken, cost, sizes[0]);
    }

    /// <summary>The stamp's encoder arguments with every frame a key frame: <c>keyint=1</c> in x265's parameters, <c>-g 1</c> for
    /// x264 and libvpx (their key-frame interval).</summary>
    internal static List<string> IntraArguments(IReadOnlyList<string> encoder)
    {
        var a = encoder.ToList();
        int x = a.IndexOf("-x265-params");
        if (x >= 0) a[x + 1] += ":keyint=1";
        else a.AddRange(["-g", "1"]);
        return a;
    }

    private static void PrintTotals(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("**Bytes per variant** (whole clips; total = the file; video = the video stream's packets, split into key frames (count, bytes) and inter frames; worst content-locked / plain first):");
        Console.WriteLine();
        Console.WriteLine("| clip | encoder | plain: total; key (n) / inter | mark-off stamp | static stamp | content-locked stamp | mark-off / plain | static / plain | **content-locked / plain** |");
        Console.WriteLine("|---|---|---|---|---|---|---:|---:|---:|");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.File} | {r.Encoder} | {Cell(r.Plain)} | {Cell(r.Off)} | {Cell(r.Static)} | {Cell(r.Locked)} | {Ratio(r.Off, r.Plain):0.000} | {Ratio(r.Static, r.Plain):0.000} | **{r.LockedRatio:0.000}** |"));
    }

    private static void PrintIncrements(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("**Increments, in % of the plain file's bytes** (labels = mark-off stamp − plain; mark = stamp − mark-off stamp; key = key-frame bytes, inter = inter-frame bytes, rest = audio track and container: the mark-off stamp's audio track carries no audio mark, so a mark's rest is the audio mark's bytes):");
        Console.WriteLine();
        Console.WriteLine("| clip | labels: key / inter / rest | static mark: key / inter / rest | content-locked mark: key / inter / rest | content-locked mark's share in inter frames |");
        Console.WriteLine("|---|---|---|---|---:|");
        foreach (var r in rows)
        {
            double p = r.Plain.Total;
            string Pct(long b) => string.Create(CultureInfo.InvariantCulture, $"{100 * b / p:+0.0;-0.0;0.0}");
            long lk = r.Locked.Video.KeyBytes - r.Off.Video.KeyBytes, li = r.Locked.Video.InterBytes - r.Off.Video.InterBytes;
            string share = lk + li == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * li / (lk + li):0} %");
            Console.WriteLine(
                $"| {r.File} | {Pct(r.Off.Video.KeyBytes - r.Plain.Video.KeyBytes)} / {Pct(r.Off.Video.InterBytes - r.Plain.Video.InterBytes)} / {Pct(Rest(r.Off) - Rest(r.Plain))} " +
                $"| {Pct(r.Static.Video.KeyBytes - r.Off.Video.KeyBytes)} / {Pct(r.Static.Video.InterBytes - r.Off.Video.InterBytes)} / {Pct(Rest(r.Static) - Rest(r.Off))} " +
                $"| {Pct(lk)} / {Pct(li)} / {Pct(Rest(r.Locked) - Rest(r.Off))} | {share} |");
        }
    }

    private static void PrintFloor(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"**The intra floor** ({IntraFrames} frames per clip encoded all-intra with the stamp's encoder arguments; pattern = the static mark's, bytes per key frame = (marked − unmarked) / frames; floor = plain's key frames × cost at amplitude / plain bytes; the stamps' own key-frame increment per key frame beside it):"));
        Console.WriteLine();
        string amps = string.Join(" / ", Amplitudes.Select(a => a.ToString(CultureInfo.InvariantCulture)));
        Console.WriteLine($"| clip | unmarked key frame B | pattern B per key frame at {amps} | stamps' mark per key frame: static / content-locked | plain key frames | **floor at 6** | floor at 3 | floor at 2 | static stamp's key-frame increment / plain | room for the mark after the labels (1.10 − mark-off / plain) | 1.10 vs the floor | content-locked over plain | over the floor: labels / key frames beyond it / inter frames / audio mark and container |");
        Console.WriteLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in rows)
        {
            double p = r.Plain.Total;
            int keys = r.Plain.Video.KeyFrames;
            double floor6 = keys * r.Floor.CostPerKeyFrame[0] / p;
            double floor3 = keys * r.Floor.CostPerKeyFrame[Array.IndexOf(Amplitudes.ToArray(), LowestReadingAmplitude)] / p;
            double floor2 = keys * r.Floor.CostPerKeyFrame[^1] / p;
            double room = Target - (double)r.Off.Total / p;
            double over = r.LockedRatio - 1;
            double labels = (r.Off.Total - r.Plain.Total) / p;
            double keyBeyond = (r.Locked.Video.KeyBytes - r.Off.Video.KeyBytes) / p - floor6;
            double inter = (r.Locked.Video.InterBytes - r.Off.Video.InterBytes) / p;
            double audio = (Rest(r.Locked) - Rest(r.Off)) / p;
            // The all-intra encode codes each frame at the encoder's plain intra quantiser; inside a stream x264's macroblock tree
            // and x265's cutree lower a key frame's quantiser where later frames predict from it, so the stamp's own key frames
            // can pay more for the same pattern: both figures are printed, the verdict names which floor 1.10 is under.
            double inStream = (double)(r.Static.Video.KeyBytes - r.Off.Video.KeyBytes) / p;
            string verdict = floor6 >= Target - 1 ? "**under the floor**"
                : inStream >= Target - 1 ? string.Create(CultureInfo.InvariantCulture, $"above the all-intra floor by {100 * (Target - 1 - floor6):0.0} %, **under the stamp's key-frame increment**")
                : string.Create(CultureInfo.InvariantCulture, $"above both, by {100 * (Target - 1 - Math.Max(floor6, inStream)):0.0} %");
            string PerKey(Variant v) => v.Video.KeyFrames == r.Off.Video.KeyFrames
                ? string.Create(CultureInfo.InvariantCulture, $"{(double)(v.Video.KeyBytes - r.Off.Video.KeyBytes) / Math.Max(1, v.Video.KeyFrames):0}")
                : string.Create(CultureInfo.InvariantCulture, $"{(double)(v.Video.KeyBytes - r.Off.Video.KeyBytes) / Math.Max(1, v.Video.KeyFrames):0} ({v.Video.KeyFrames} key frames, mark-off {r.Off.Video.KeyFrames})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.File} | {r.Floor.UnmarkedPerFrame} | {string.Join(" / ", r.Floor.CostPerKeyFrame.Select(c => c.ToString("0", CultureInfo.InvariantCulture)))} | {PerKey(r.Static)} / {PerKey(r.Locked)} | {keys} | **{100 * floor6:0.0} %** | {100 * floor3:0.0} % | {100 * floor2:0.0} % | {100 * inStream:0.0} % | {100 * room:0.0} % | {verdict} | {100 * over:+0.0;-0.0;0.0} % | {100 * labels:+0.0;-0.0;0.0} / {100 * keyBeyond:+0.0;-0.0;0.0} / {100 * inter:+0.0;-0.0;0.0} / {100 * audio:+0.0;-0.0;0.0} % |"));
        }
    }

    private static string Cell(Variant v) => string.Create(CultureInfo.InvariantCulture,
        $"{v.Total}; {v.Video.KeyBytes} ({v.Video.KeyFrames}) / {v.Video.InterBytes}");

    private static double Ratio(Variant a, Variant b) => (double)a.Total / b.Total;

    /// <summary>What is not the video stream's packets: the audio track and the container.</summary>
    private static long Rest(Variant v) => v.Total - v.Video.Bytes;

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
