using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-detect-speed [seconds,…] [runs]`: the audio detector's speed in CPU time (this process's
/// threads, so the figure is per core and does not swing with other users' load the way wall time does)
/// and its memory, fed the way `verify` feeds it: 64 × 1024-frame chunks, never the whole file. Signals:
/// seeded noise (seed 5) at 16 kHz mono, 44.1 kHz stereo and 48 kHz stereo, unmarked (after 20 s the
/// detector keeps lane 1 and the best other lane, the most it does) and marked (lane 1 alone). Prints per
/// case the median over the runs, the managed allocation and the process's peak working set (the .NET
/// runtime itself included).
/// </summary>
public static class AudioDetectSpeed
{
    public static int Run(double[] seconds, int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var layout = new AudioMarkLayout(key);
        Console.WriteLine("| rate | channels | seconds | input | detect CPU, median | × realtime per core | managed allocation | peak working set |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|");
        foreach (var (rate, ch) in new[] { (16_000, 1), (44_100, 2), (48_000, 2) })
            foreach (double secs in seconds)
                foreach (bool marked in new[] { false, true })
                {
                    var rng = new Random(5);
                    long total = (long)(secs * rate);
                    var signal = new float[total * ch];
                    for (int i = 0; i < signal.Length; i++) signal[i] = (float)(rng.NextDouble() - 0.5) * 0.3f;
                    if (marked)
                        new AudioMarkEmbedder(layout, MarkPayload.For(new MarkId(0x0123456789abcdefUL), key), rate, ch).ProcessAll(signal);
                    var cpu = new List<double>();
                    long alloc = 0;
                    bool read = false;
                    for (int r = 0; r <= runs; r++) // run 0 warms the JIT and is not counted
                    {
                        long a0 = GC.GetAllocatedBytesForCurrentThread();
                        double c0 = CpuClock.Own();
                        var detector = new AudioMarkDetector(layout, rate, ch);
                        int chunk = 64 * 1024 * ch;
                        for (int at = 0; at < signal.Length; at += chunk)
                            detector.Add(signal.AsSpan(at, Math.Min(chunk, signal.Length - at)));
                        read = detector.Finish() is not null;
                        double c = CpuClock.Own() - c0;
                        if (r == 0) continue;
                        cpu.Add(c);
                        alloc = GC.GetAllocatedBytesForCurrentThread() - a0;
                    }
                    double med = Stats.Median(cpu);
                    Console.WriteLine(string.Create(inv,
                        $"| {rate / 1000.0:0.##} kHz | {ch} | {secs:0} | {(marked ? read ? "marked noise (read)" : "marked noise (not read: noise needs more blocks)" : "unmarked noise")} | {med * 1000:F0} ms | {secs / med:F0}× | {alloc / 1048576.0:F1} MiB | {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB |"));
                }
        return 0;
    }
}
