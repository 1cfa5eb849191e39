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
        // Stage 2's worst case, which the signals above never reach (their sync is either clear or far
        // from p ≤ τ): every one of the candidates list-decoded, the first DeepListCandidates at the full
        // list and the rest at the shallow one, on noise soft bits (seed 6) that pass no CRC, so each list
        // is checked to its end.
        var noise = new Random(6);
        var soft = new float[PayloadCodec.CodedBits];
        var listCpu = new List<double>();
        long listAlloc = 0;
        for (int r = 0; r <= runs; r++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            double c0 = CpuClock.Own();
            for (int c = 0; c < AudioMarkDetector.ListCandidates; c++)
            {
                for (int i = 0; i < soft.Length; i++) soft[i] = (float)(noise.NextDouble() - 0.5);
                PayloadCodec.DecodeList(soft, c < AudioMarkDetector.DeepListCandidates ? AudioMarkDetector.ListSize : AudioMarkDetector.ShallowListSize, 0);
            }
            double cpu = CpuClock.Own() - c0;
            if (r == 0) continue;
            listCpu.Add(cpu);
            listAlloc = GC.GetAllocatedBytesForCurrentThread() - a0;
        }
        Console.WriteLine(string.Create(inv,
            $"stage 2 worst case: {AudioMarkDetector.DeepListCandidates} candidates × {AudioMarkDetector.ListSize} words and {AudioMarkDetector.ListCandidates - AudioMarkDetector.DeepListCandidates} × {AudioMarkDetector.ShallowListSize}, CPU median {Stats.Median(listCpu) * 1000:F0} ms, {listAlloc / 1048576.0:F1} MiB allocated in all (transient)"));
        return 0;
    }
}
