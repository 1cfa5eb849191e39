using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-cost CORPUS_DIR [runs] [min_s] [max_s]`: what a stamp costs next to a plain ffmpeg decode +
/// encode with the same settings (the encoder arguments <see cref="AudioCodecs"/> gives the stamp, the
/// same muxer), for the corpus clips of min_s-max_s seconds (default 10-60). Per clip, plain and stamp
/// alternate <c>runs</c> times (default 3; A/B interleaved so load drifts hit both, after one uncounted
/// warm-up pair) and each takes its median, in wall time and in CPU time (this process and its reaped
/// children, <see cref="CpuClock"/>: on a shared machine the CPU a run needs is what does not swing with
/// the load). Then the parts of a stamp, each alone, in CPU: the probe, the decode to f32 PCM (in process
/// where the stamp decodes in process, <see cref="InProcessDecoder"/>; else an ffmpeg process), the sample
/// work in process (rhythm prompt + mark over the same chunks) and the encode from PCM. The table gives
/// per format the medians and the median of the per-clip ratios. The stamp is the whole audio labeler
/// (rhythm prompt, mark, AIGC label), as `stamp` runs it.
/// </summary>
public static class AudioCost
{
    public static int Run(string root, int runs, double minSeconds, double maxSeconds)
    {
        var inv = CultureInfo.InvariantCulture;
        var tools = new ToolRunner();
        var rows = new List<(string Format, double Plain, double Stamp, double PlainCpu, double StampCpu, double StampOwn, double[] Parts)>();
        var lines = AudioCostClip.Rows(root, minSeconds, maxSeconds);
        Console.Error.WriteLine($"{lines.Count} clips of {minSeconds}-{maxSeconds} s, {runs} runs each");
        foreach (var f in lines)
        {
            using var clip = AudioCostClip.Open(root, f, tools);
            string file = clip.File, path = Path.Combine(root, file), outPath = clip.OutPath;
            byte[] bytes = clip.Bytes;
            var (format, info) = (clip.Format, clip.Info);
            string[] plainArgs = clip.PlainArguments(root);
            var plain = new List<double>();
            var stamp = new List<double>();
            var plainCpu = new List<double>();
            var stampCpu = new List<double>();
            var stampOwn = new List<double>();
            Func<StampContext> ctxFor = clip.Context;
            for (int r = 0; r <= runs; r++) // run 0 warms caches and the JIT and is not counted
            {
                double c0 = CpuClock.Now();
                var sw = Stopwatch.StartNew();
                tools.RunForTextAsync(tools.FfmpegPath, plainArgs, TimeSpan.FromMinutes(2), "plain", file, default).GetAwaiter().GetResult();
                double p = sw.Elapsed.TotalMilliseconds, pc = (CpuClock.Now() - c0) * 1000;
                var ctx = ctxFor();
                c0 = CpuClock.Now();
                double o0 = CpuClock.Own();
                sw.Restart();
                new AudioLabeler(tools).LabelAsync(bytes, ctx, default).GetAwaiter().GetResult();
                double s = sw.Elapsed.TotalMilliseconds, sc = (CpuClock.Now() - c0) * 1000, so = (CpuClock.Own() - o0) * 1000;
                if (r == 0) continue;
                plain.Add(p);
                stamp.Add(s);
                plainCpu.Add(pc);
                stampCpu.Add(sc);
                stampOwn.Add(so);
            }
            // The parts of a stamp, each alone (CPU ms, median of the runs): the probe; the decode to f32
            // PCM; the sample work in process (rhythm prompt + mark, the same chunks); the encode from PCM
            // with the stamp's own encoder arguments (its second input, the original file, included).
            var parts = new double[5][];
            for (int k = 0; k < 5; k++) parts[k] = new double[runs];
            string pcmPath = Path.Combine(Path.GetTempPath(), "ls-cost-" + Guid.NewGuid().ToString("N") + ".f32");
            string rate = info.SampleRate.ToString(inv), chs = info.Channels.ToString(inv);
            for (int r = 0; r < runs; r++)
            {
                double c0 = CpuClock.Now();
                using (var ws = MediaWorkspace.CreateAsync(bytes, format.Extension, default).GetAwaiter().GetResult())
                    new AudioProbe(tools).ProbeAsync(ws, format, file, TimeSpan.FromMinutes(1), default).GetAwaiter().GetResult();
                parts[0][r] = (CpuClock.Now() - c0) * 1000;
                float[] pcm;
                c0 = CpuClock.Now();
                if (InProcessDecoder.Open(format, info, bytes, file) is { } decoder)
                {
                    // What the stamp runs: the in-process decoder (FLAC, MP3, Opus), this thread's CPU.
                    using var decoded = new MemoryStream();
                    new DecodedPcmStream(decoder).CopyTo(decoded);
                    pcm = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(decoded.GetBuffer().AsSpan(0, (int)decoded.Length)).ToArray();
                }
                else
                {
                    tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-i", path, "-map", "0:a:0", "-vn", "-f", "f32le", "-c:a", "pcm_f32le",
                        "-ar", rate, "-ac", chs, "-y", pcmPath], TimeSpan.FromMinutes(2), "decode", file, default).GetAwaiter().GetResult();
                    pcm = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(pcmPath)).ToArray();
                }
                parts[1][r] = (CpuClock.Now() - c0) * 1000;
                if (!File.Exists(pcmPath)) File.WriteAllBytes(pcmPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray());
                c0 = CpuClock.Own();
                var processor = new AudioLabeler(tools).CreateSampleProcessorAsync(info, ctxFor(), default).GetAwaiter().GetResult()!;
                int chunk = PcmPipeline.ChunkFrames * 1024 * info.Channels;
                float[] held = [];
                for (int at = 0; ; at += chunk)
                {
                    int n = Math.Min(chunk, pcm.Length - at);
                    bool last = n < chunk;
                    var cur = pcm.AsSpan(at, n).ToArray();
                    processor(cur, held, at / info.Channels, last);
                    held = cur;
                    if (last) break;
                }
                parts[2][r] = (CpuClock.Own() - c0) * 1000;
                c0 = CpuClock.Now();
                tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-f", "f32le", "-ar", rate, "-ac", chs, "-i", pcmPath, "-i", path,
                    "-map", "0:a", "-map_metadata", "1", .. AudioCodecs.EncoderArguments(info, file), "-f", AudioCodecs.Muxer(format), "-y", outPath],
                    TimeSpan.FromMinutes(2), "encode", file, default).GetAwaiter().GetResult();
                parts[3][r] = (CpuClock.Now() - c0) * 1000;
                // A process start alone: what one more ffmpeg costs whatever it does (dynamic linking of
                // Debian's ffmpeg and its ≈ 215 libraries), measured next to the parts at the same load.
                c0 = CpuClock.Now();
                tools.RunForTextAsync(tools.FfmpegPath, ["-hide_banner", "-version"], TimeSpan.FromMinutes(1), "start", file, default).GetAwaiter().GetResult();
                parts[4][r] = (CpuClock.Now() - c0) * 1000;
            }
            File.Delete(pcmPath);
            double mp = Stats.Median(plain), ms = Stats.Median(stamp), mpc = Stats.Median(plainCpu), msc = Stats.Median(stampCpu);
            var pm = parts.Select(x => Stats.Median(x)).ToArray();
            rows.Add((f[4], mp, ms, mpc, msc, Stats.Median(stampOwn), pm));
            Console.Error.WriteLine(string.Create(inv, $"{file} ({f[5]} s): wall plain {mp:F0} ms, stamp {ms:F0} ms, ratio {ms / mp:F2}; CPU plain {mpc:F0} ms, stamp {msc:F0} ms, ratio {msc / mpc:F2} (in process {Stats.Median(stampOwn):F0}, ffmpeg {msc - Stats.Median(stampOwn):F0}); parts CPU probe {pm[0]:F0}, decode {pm[1]:F0}, prompt+mark {pm[2]:F0}, encode {pm[3]:F0}, ffmpeg start {pm[4]:F0} ms"));
        }
        Console.WriteLine("| format | clips | plain wall, median | stamp wall, median | stamp/plain wall, median of clips | worst clip | plain CPU | stamp CPU | stamp/plain CPU, median of clips | worst clip | stamp CPU in process | parts CPU: probe / decode / prompt+mark / encode / ffmpeg start |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var g in rows.GroupBy(r => r.Format).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(inv,
                $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(r => r.Plain)):F0} ms | {Stats.Median(g.Select(r => r.Stamp)):F0} ms | {Stats.Median(g.Select(r => r.Stamp / r.Plain)):F2} | {g.Max(r => r.Stamp / r.Plain):F2} | {Stats.Median(g.Select(r => r.PlainCpu)):F0} ms | {Stats.Median(g.Select(r => r.StampCpu)):F0} ms | {Stats.Median(g.Select(r => r.StampCpu / r.PlainCpu)):F2} | {g.Max(r => r.StampCpu / r.PlainCpu):F2} | {Stats.Median(g.Select(r => r.StampOwn)):F0} ms | {string.Join(" / ", Enumerable.Range(0, 5).Select(k => Stats.Median(g.Select(r => r.Parts[k])).ToString("F0", inv)))} ms |"));
        return 0;
    }
}
