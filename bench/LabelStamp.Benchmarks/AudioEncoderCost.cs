using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-encoder-cost CORPUS_DIR [runs] [min_s] [max_s] [formats]`: the stamp with ffmpeg's encoder
/// (<c>AudioLabeler(nativeEncoders: false)</c>, the route kept where a codec library is missing) against
/// the stamp with the in-process encoder, both next to the plain ffmpeg decode + encode of
/// <see cref="AudioCost"/>, in one process and one run: per clip and per run, plain then the two stamps
/// in an order that swaps every run (after one uncounted warm-up round), CPU time of this process and its
/// reaped children (<see cref="CpuClock"/>), and of this process alone (the rest is the processes' CPU). Per clip the median of the runs, per format the median
/// of the per-clip ratios and the worst clip. <c>formats</c>: a comma list of manifest formats (all when absent).
/// </summary>
public static class AudioEncoderCost
{
    public static int Run(string root, int runs, double minSeconds, double maxSeconds, string[]? formats)
    {
        var inv = CultureInfo.InvariantCulture;
        var tools = new ToolRunner();
        var rows = new List<(string Format, double PlainCpu, double OldCpu, double NewCpu, double NewOwn, double OldOwn)>();
        var lines = AudioCostClip.Rows(root, minSeconds, maxSeconds, formats);
        Console.Error.WriteLine($"{lines.Count} clips of {minSeconds}-{maxSeconds} s, {runs} runs each");
        foreach (var f in lines)
        {
            using var clip = AudioCostClip.Open(root, f, tools);
            string file = clip.File;
            byte[] bytes = clip.Bytes;
            string[] plainArgs = clip.PlainArguments(root);
            var plainCpu = new List<double>();
            var oldCpu = new List<double>();
            var newCpu = new List<double>();
            var newOwn = new List<double>();
            var oldOwn = new List<double>();
            (double Cpu, double Own) Stamp(bool native)
            {
                var ctx = clip.Context();
                double c0 = CpuClock.Now(), o0 = CpuClock.Own();
                new AudioLabeler(tools, nativeEncoders: native).LabelAsync(bytes, ctx, default).GetAwaiter().GetResult();
                return ((CpuClock.Now() - c0) * 1000, (CpuClock.Own() - o0) * 1000);
            }
            for (int r = 0; r <= runs; r++) // round 0 warms caches and the JIT and is not counted
            {
                double c0 = CpuClock.Now();
                tools.RunForTextAsync(tools.FfmpegPath, plainArgs, TimeSpan.FromMinutes(2), "plain", file, default).GetAwaiter().GetResult();
                double pc = (CpuClock.Now() - c0) * 1000;
                (double Cpu, double Own) a, b;
                if (r % 2 == 0) { a = Stamp(false); b = Stamp(true); }
                else { b = Stamp(true); a = Stamp(false); }
                if (r == 0) continue;
                plainCpu.Add(pc);
                oldCpu.Add(a.Cpu);
                newCpu.Add(b.Cpu);
                newOwn.Add(b.Own);
                oldOwn.Add(a.Own);
            }
            double mp = Stats.Median(plainCpu), mo = Stats.Median(oldCpu), mn = Stats.Median(newCpu);
            rows.Add((f[4], mp, mo, mn, Stats.Median(newOwn), Stats.Median(oldOwn)));
            Console.Error.WriteLine(string.Create(inv, $"{file} ({f[5]} s): CPU plain {mp:F0} ms, stamp ffmpeg-encoder {mo:F0} ms ({mo / mp:F2}; in process {Stats.Median(oldOwn):F0}), in-process encoder {mn:F0} ms ({mn / mp:F2}; in process {Stats.Median(newOwn):F0})"));
        }
        Console.WriteLine("| format | clips | plain CPU, median | stamp/plain, ffmpeg encoder: median (worst) | stamp/plain, in-process encoder: median (worst) | clips ≤ 1.3 | in-process CPU of the new stamp, median | in-process CPU of the ffmpeg-encoder stamp, median |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Format).OrderByDescending(g => Stats.Median(g.Select(r => r.NewCpu / r.PlainCpu))))
            Console.WriteLine(string.Create(inv,
                $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(r => r.PlainCpu)):F0} ms | {Stats.Median(g.Select(r => r.OldCpu / r.PlainCpu)):F2} ({g.Max(r => r.OldCpu / r.PlainCpu):F2}) | **{Stats.Median(g.Select(r => r.NewCpu / r.PlainCpu)):F2}** ({g.Max(r => r.NewCpu / r.PlainCpu):F2}) | {g.Count(r => r.NewCpu / r.PlainCpu <= 1.3)} of {g.Count()} | {Stats.Median(g.Select(r => r.NewOwn)):F0} ms | {Stats.Median(g.Select(r => r.OldOwn)):F0} ms |"));
        return 0;
    }
}
