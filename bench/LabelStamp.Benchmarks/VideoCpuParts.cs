using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-cpu-parts DIR CLIPS RUNS`: where the stamp's CPU
/// goes against a plain transcode, per clip (round 8). Medians of CPU-s (own + reaped children, getrusage) over RUNS,
/// the cells alternating within each run:
/// <list type="bullet">
/// <item>plain A/V: one ffmpeg, decode + encode with the stamp's encoder arguments, audio re-encoded (video-corpus cost's reference);</item>
/// <item>plain video: the same without the audio stream (so A/V − video is the plain audio re-encode);</item>
/// <item>split: decoder process → raw yuv420p pipe → this process → encoder process, nothing changed (the process
/// boundary and the raw frame pipe: split − plain video);</item>
/// <item>split + mark: the same with the video mark at full strength (the mark's own kernel plus what it costs the encoder);</item>
/// <item>the mark kernel alone: <see cref="VideoMarkEmbedder.Embed(Span{byte})"/> over as many frames, this thread's CPU;</item>
/// <item>stamp without the watermark layer, and the full stamp (<see cref="VideoLabeler"/>: probe, labels, labeled audio, tags).</item>
/// </list>
/// </summary>
public static class VideoCpuParts
{
    public static int Run(string dir, string[] clips, int runs)
    {
        var tools = new ToolRunner();
        string work = Path.Combine(Path.GetTempPath(), "ls-video-cpu-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine($"runs per cell: {runs}, alternating; {Environment.ProcessorCount} cores; CPU-s medians (own + children)");
            Console.WriteLine();
            Console.WriteLine("| clip | plain A/V | plain video | split (boundary + pipe) | split + mark | mark kernel alone | stamp, no watermark | stamp | **stamp / plain A/V** | no watermark / plain A/V |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (string file in clips)
            {
                string path = Path.Combine(dir, file);
                byte[] input = File.ReadAllBytes(path);
                var format = file.EndsWith(".webm", StringComparison.Ordinal) ? MediaFormat.Matroska : MediaFormat.Mp4;
                string ext = Path.GetExtension(file);
                VideoStreamInfo info;
                using (var ws = MediaWorkspace.CreateAsync(input, ext, default).GetAwaiter().GetResult())
                    info = new VideoProbe(tools).ProbeAsync(ws, format, input, file, new MediaLimits(), default).GetAwaiter().GetResult();
                var options = new VideoLabelOptions();
                var encoder = VideoCodecs.EncoderArguments(info, options);
                string av = Path.Combine(work, "av" + ext), v = Path.Combine(work, "v" + ext), split = Path.Combine(work, "s" + ext), marked = Path.Combine(work, "m" + ext);
                var avArgs = new List<string> { "-i", path, "-map", "0:v:0" };
                if (info.HasAudio) avArgs.AddRange(["-map", "0:a:0"]);
                avArgs.AddRange(encoder);
                if (info.HasAudio) avArgs.AddRange(info.IsWebM ? ["-c:a", "libopus", "-b:a", "96k"] : ["-c:a", "aac", "-b:a", "128k"]);
                avArgs.Add(av);
                var vArgs = new List<string> { "-i", path, "-map", "0:v:0" };
                vArgs.AddRange(encoder);
                vArgs.Add(v);
                var key = VideoMarkShape.Key(1);
                var embedder = new VideoMarkEmbedder(key, MarkPayload.For(MarkId.Compute(key, "producer", "cpu"), key), info.Width, info.Height);
                double seconds = info.Duration.TotalSeconds + 1;
                var cells = new Dictionary<string, List<double>>();
                void Add(string name, double cpu) => (cells.TryGetValue(name, out var l) ? l : cells[name] = []).Add(cpu);
                int frames = 0;
                for (int r = 0; r < runs; r++)
                {
                    Add("av", Cpu(() => FfmpegCommand.Run([.. avArgs])));
                    Add("v", Cpu(() => FfmpegCommand.Run([.. vArgs])));
                    Add("split", Cpu(() => VideoMarkShape.Transcode(path, seconds, info, encoder, null, split, ext)));
                    int counted = 0;
                    Add("mark", Cpu(() => VideoMarkShape.Transcode(path, seconds, info, encoder, f => { embedder.Embed(f); counted++; }, marked, ext)));
                    frames = counted;
                    byte[] plane = new byte[info.Width * info.Height];
                    double t0 = CpuClock.Thread();
                    for (int f = 0; f < frames; f++) embedder.Embed(plane);
                    Add("kernel", CpuClock.Thread() - t0);
                    Add("bare", Cpu(() => new VideoLabeler(options: options, tools: tools).LabelAsync(input, Context(key, file, format, watermark: false), default).GetAwaiter().GetResult()));
                    Add("stamp", Cpu(() => new VideoLabeler(options: options, tools: tools).LabelAsync(input, Context(key, file, format, watermark: true), default).GetAwaiter().GetResult()));
                }
                double M(string n) => Stats.Median(cells[n]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {file} ({frames} frames, {info.Width}×{info.Height}{(info.HasAudio ? ", audio" : "")}) | {M("av"):0.00} | {M("v"):0.00} | {M("split"):0.00} | {M("mark"):0.00} | {M("kernel"):0.000} | {M("bare"):0.00} | {M("stamp"):0.00} | **{M("stamp") / M("av"):0.00}** | {M("bare") / M("av"):0.00} |"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Cpu(Action run)
    {
        double c0 = CpuClock.Now();
        run();
        return CpuClock.Now() - c0;
    }

    private static StampContext Context(MarkKey key, string contentId, MediaFormat format, bool watermark)
    {
        var policy = new LabelPolicy();
        if (!watermark) policy = policy with { Layers = policy.Layers & ~Layers.Watermark };
        return new("cpu", format, new StampRequest(contentId, "producer", policy), key, MarkId.Compute(key, "producer", contentId),
            new AigcLabel("1", "producer", contentId), new MediaLimits(), new StageTimings());
    }
}
