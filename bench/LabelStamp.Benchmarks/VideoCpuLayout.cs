using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-cpu-layout DIR CLIPS RUNS`: the product stamp's
/// CPU itemised against a plain transcode with the same encoder arguments (issue 18, round 12). Per clip, every run
/// measures each cell once, the order rotated run to run, and the table gives medians of CPU-s (this process + reaped
/// children, getrusage), with our own share and the children's share apart:
/// <list type="bullet">
/// <item>plain: one ffmpeg, decode + encode, audio re-encoded with the stamp's own audio arguments;</item>
/// <item>plain video: the same without audio;</item>
/// <item>pipe: the product's <see cref="FramePipeline"/> with the product's decode and encode commands (video only), nothing
/// done to the frames: the process boundary and the raw frame pipes;</item>
/// <item>+ labels: the opening and corner labels as the product draws them; + static mark; + content-locked mark (tracker
/// on the reader side);</item>
/// <item>labeler: <see cref="VideoLabeler"/> without the metadata layer (adds the ffprobe call, the workspace and the
/// labelled audio track);</item>
/// <item>stamp: <see cref="Stamper"/> with every layer (adds the AIGC tags and the C2PA manifest), static and content-locked, and the
/// product's default (<see cref="VideoMarkVersion.Auto"/>: the content-locked pattern where it reads, with its checks, else a static
/// second pass).</item>
/// </list>
/// Each cell's output SHA-256 is printed once (bytes do not depend on timing), so a change to the pipe can be checked
/// for identity in the same run. The signed cells' hashes hold within one run only: each run makes its own C2PA signing
/// chain (the unsigned cells and WebM stamps, which carry no manifest, compare across runs).
/// </summary>
public static class VideoCpuLayout
{
    private static readonly string[] Order = ["plain", "plain-v", "pipe", "labels", "static", "locked", "labeler", "stamp", "stamp-locked", "stamp-auto"];

    /// <summary>A shared 2-core machine at load 40 runs a stamp several times slower than its size allows for: the item
    /// deadline is lifted to 30 min so that the figure, not the deadline, decides.</summary>
    private static readonly MediaLimits BenchLimits = new() { DeadlineFloor = TimeSpan.FromMinutes(30), DeadlineCap = TimeSpan.FromMinutes(30) };

    public static int Run(string dir, string[] clips, int runs, string[]? only = null)
    {
        string[] selected = only is { Length: > 0 } ? [.. Order.Where(only.Contains)] : Order;
        var tools = new ToolRunner();
        var key = BenchKeys.Sequential(1);
        var certificates = new CertificateFactory(TimeProvider.System);
        using var authority = certificates.CreateAuthority();
        using var signer = certificates.CreateSigner(authority);
        var provenance = new C2paProvenanceWriter(new C2paOptions(signer));
        var staticStamper = new MediaCatalog(video: new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static }).CreateStamper(key, BenchLimits, provenance);
        var lockedStamper = new MediaCatalog(video: new VideoLabelOptions { MarkVersion = VideoMarkVersion.ContentLocked })
            .CreateStamper(key, BenchLimits, provenance);
        var autoStamper = new MediaCatalog(video: new VideoLabelOptions { MarkVersion = VideoMarkVersion.Auto }).CreateStamper(key, BenchLimits, provenance);
        Console.WriteLine($"runs per cell: {runs}, order rotated per run; {Environment.ProcessorCount} cores; CPU-s medians (own + children); {DateTime.UtcNow:HH:mm} UTC start");
        foreach (string file in clips)
        {
            string path = Path.Combine(dir, file);
            byte[] input = File.ReadAllBytes(path);
            var format = file.EndsWith(".webm", StringComparison.Ordinal) ? MediaFormat.Matroska : MediaFormat.Mp4;
            string ext = Path.GetExtension(file);
            using var ws = MediaWorkspace.CreateAsync(input, ext, default).GetAwaiter().GetResult();
            var info = new VideoProbe(tools).ProbeAsync(ws, format, input, file, new MediaLimits(), default).GetAwaiter().GetResult();
            var videoOnly = info with { AudioCodec = null, Audio = null };
            // Without an audio stream the plain video-only transcode is the plain transcode.
            string[] cellsToRun = info.HasAudio ? selected : [.. selected.Where(c => c != "plain-v")];
            var options = new VideoLabelOptions();
            var encoder = VideoCodecs.EncoderArguments(info, options);
            string outPath = ws.PathFor("out" + ext);
            string container = MediaCatalog.ContainerFor(format).WorkspaceExtension;

            var plain = new List<string> { "-i", path, "-map", "0:v:0" };
            if (info.Audio is not null) plain.AddRange(["-map", "0:a:0"]);
            plain.AddRange(encoder);
            if (info.Audio is { } audio) plain.AddRange(AudioCodecs.EncoderArguments(audio, file));
            if (!info.IsWebM) plain.AddRange(["-movflags", "+faststart"]);
            plain.Add(outPath);
            var plainVideo = new List<string> { "-i", path, "-map", "0:v:0", "-an" };
            plainVideo.AddRange(encoder);
            plainVideo.Add(outPath);

            var policy = new LabelPolicy();
            var renderer = new LabelRenderer();
            int w = info.Width, h = info.Height;
            int inset = LabelGeometry.Inset(w, h, policy);
            var big = renderer.Render(policy.Wording, policy.Font, LabelGeometry.TextHeight(w, h, policy), policy.PlateOpacity);
            var (bx, by) = LabelGeometry.Place(w, h, big.Width, big.Height, policy.Corner, inset, file);
            var opening = new PlanarLabel(big, bx, by, w, h, info.FullRange);
            var small = renderer.Render(policy.Wording, policy.Font, VideoLabeler.CornerTextHeight(w, h, options), policy.PlateOpacity);
            var (cx, cy) = LabelGeometry.Place(w, h, small.Width, small.Height, policy.Corner, inset, file);
            var corner = new PlanarLabel(small, cx, cy, w, h, info.FullRange);
            int openingFrames = (int)Math.Ceiling(options.OpeningSeconds * info.FramesPerSecond);
            void Labels(byte[] frame, int index)
            {
                if (index < openingFrames) opening.Apply(frame);
                else corner.Apply(frame);
            }
            var markId = MarkId.Compute(key, "LSBENCH001", file);
            var payload = MarkPayload.For(markId, key);
            var staticMark = new VideoMarkEmbedder(key, payload, w, h, options.MarkAmplitude);

            long Pipe(FramePipeline.FrameProcessor processor, FramePipeline.FrameProcessor? inOrder = null)
            {
                var decode = VideoLabeler.DecodeCommand(ws, format, pixelFormat: VideoCodecs.PipePixelFormat(info));
                var encode = VideoLabeler.EncodeCommand(ws, format, videoOnly, null, null, outPath, options);
                int frames = new FramePipeline(tools, ws.Directory).RunAsync(decode, encode, info.FrameBytes, options.FramesInFlight, parallel: true,
                    processor, file, TimeSpan.FromMinutes(30), default, inOrder).GetAwaiter().GetResult();
                return frames;
            }
            StampRequest Request(Layers layers) => new(file, "LSBENCH001", policy with { Layers = layers });
            byte[]? stamped = null;
            void Run(string cell)
            {
                switch (cell)
                {
                    case "plain": FfmpegCommand.Run([.. plain]); break;
                    case "plain-v": FfmpegCommand.Run([.. plainVideo]); break;
                    case "pipe": Pipe((_, _) => { }); break;
                    case "labels": Pipe(Labels); break;
                    case "static":
                        Pipe((f, i) => { Labels(f, i); staticMark.Embed(f); });
                        break;
                    case "locked":
                    {
                        using var locked = new ContentLockedMarkEmbedder(key, payload, w, h, options.MarkAmplitude);
                        var maps = new FrameMap[64];
                        Pipe((f, i) => { Labels(f, i); locked.Embed(f, maps[i % 64]); }, (f, i) => maps[i % 64] = locked.Track(f.AsSpan(0, w * h)));
                        break;
                    }
                    case "labeler":
                        stamped = staticStamper.StampAsync(input, file, Request(Layers.Explicit | Layers.Watermark)).GetAwaiter().GetResult().Output;
                        break;
                    case "stamp": stamped = staticStamper.StampAsync(input, file, Request(policy.Layers)).GetAwaiter().GetResult().Output; break;
                    case "stamp-locked": stamped = lockedStamper.StampAsync(input, file, Request(policy.Layers)).GetAwaiter().GetResult().Output; break;
                    case "stamp-auto": stamped = autoStamper.StampAsync(input, file, Request(policy.Layers)).GetAwaiter().GetResult().Output; break;
                }
            }

            var own = new Dictionary<string, List<double>>();
            var children = new Dictionary<string, List<double>>();
            var digests = new Dictionary<string, string>();
            for (int r = 0; r < runs; r++)
            {
                for (int k = 0; k < cellsToRun.Length; k++)
                {
                    string cell = cellsToRun[(k + r) % cellsToRun.Length];
                    stamped = null;
                    double o0 = CpuClock.Own(), c0 = CpuClock.Children();
                    Run(cell);
                    double o = CpuClock.Own() - o0, c = CpuClock.Children() - c0;
                    (own.TryGetValue(cell, out var lo) ? lo : own[cell] = []).Add(o);
                    (children.TryGetValue(cell, out var lc) ? lc : children[cell] = []).Add(c);
                    if (!digests.ContainsKey(cell))
                    {
                        // A stamp with the C2PA layer differs run to run (ECDSA signing is randomised): its digest is marked.
                        byte[] bytes = stamped ?? File.ReadAllBytes(outPath);
                        digests[cell] = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant() + (cell.StartsWith("stamp", StringComparison.Ordinal) ? " (signed)" : "");
                    }
                }
            }
            List<double> Total(string cell) => [.. own[cell].Zip(children[cell], (a, b) => a + b)];
            double plainCpu = own.ContainsKey("plain") ? Stats.Median(Total("plain")) : double.NaN;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {w}×{h}, {info.FrameRate} fps, {info.Frames} frames, {info.Codec}{(info.Audio is not null ? " + " + info.AudioCodec : "")}; encoder: {string.Join(' ', encoder)}"));
            Console.WriteLine("| cell | CPU-s (own + children) | own | children | / plain | output sha256 (16 hex) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|");
            foreach (string cell in cellsToRun)
            {
                double tot = Stats.Median(Total(cell));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {cell} | {tot:0.00} | {Stats.Median(own[cell]):0.00} | {Stats.Median(children[cell]):0.00} | {tot / plainCpu:0.000} | {digests[cell]} |"));
            }
        }
        Console.WriteLine($"end {DateTime.UtcNow:HH:mm} UTC");
        return 0;
    }
}
