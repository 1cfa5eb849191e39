using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Labels;
using LabelStamp.Robustness.Audio;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-excerpts CORPUS_DIR [offsets] [clip,…]`: excerpts of the stamped PCM from many offsets, not the
/// one middle cut the corpus table takes. Per clip: decode, mark as `stamp` does
/// (<see cref="AudioMarkTrial.StampAsync"/>), then 5 s and 10 s excerpts starting at k/(offsets+1) of
/// the slack (k = 1..offsets, + 333 samples so no cut sits on the frame grid), each read by the detector
/// at the clip's rate. Prints read / tried per clip and per rate × class, worst first. Key bytes i·7.
/// False detections on the same cuts: each excerpt of the unmarked clip with the right key and a wrong
/// key, and each excerpt of the marked clip with a wrong key (wrong keys: bytes i·11 + 3 + 29·k, a new
/// k per trial); any payload at all counts as a false detection.
/// </summary>
public static class AudioExcerpts
{
    public static int Run(string root, int offsets, string[]? only)
    {
        var inv = CultureInfo.InvariantCulture;
        var key = BenchKeys.Corpus;
        var clips = File.ReadAllLines(Path.Combine(root, "manifest.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Where(f => only is null || only.Contains(f[0])).ToList();
        var rows = new List<(string File, string Class, int Rate, int R5, int N5, int R10, int N10)>();
        int trials = 0, falseHits = 0, wrongKey = 0;
        MarkKey NextWrongKey() { int k = wrongKey++; return MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 11 + 3 + 29 * k)).ToArray()); }
        foreach (var f in clips)
        {
            string file = f[0];
            int rate = int.Parse(f[2], inv), ch = int.Parse(f[3], inv);
            var info = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-nostdin", "-v", "error", "-i", Path.Combine(root, file), "-map", "0:a:0", "-f", "f32le", "-ar", rate.ToString(inv), "-ac", ch.ToString(inv), "pipe:1" })
                info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var ms = new MemoryStream();
            var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            copy.Wait();
            var pcm = MemoryMarshal.Cast<byte, float>(ms.ToArray()).ToArray();
            var id = MarkId.Compute(key, "labelstamp-corpus", file);
            if (AudioMarkTrial.StampAsync(pcm, rate, ch, key, id).GetAwaiter().GetResult() is not { } marked) continue;
            long frames = marked.Length / ch;
            int r5 = 0, n5 = 0, r10 = 0, n10 = 0;
            foreach (double seconds in new[] { 5.0, 10.0 })
            {
                long want = (long)(seconds * rate);
                if (want >= frames) continue;
                for (int k = 1; k <= offsets; k++)
                {
                    long start = Math.Min((frames - want) * k / (offsets + 1) + 333, frames - want);
                    var excerpt = marked.AsSpan((int)(start * ch), (int)(want * ch)).ToArray();
                    bool read = AudioMarkTrial.Detect(excerpt, rate, ch, key)?.Payload.MarkId == id;
                    var plain = pcm.AsSpan((int)(start * ch), (int)(want * ch)).ToArray();
                    foreach (var (x, trialKey) in new[] { (plain, key), (plain, NextWrongKey()), (excerpt, NextWrongKey()) })
                    {
                        trials++;
                        if (AudioMarkTrial.Detect(x, rate, ch, trialKey) is not null) falseHits++;
                    }
                    if (seconds == 5) { n5++; if (read) r5++; } else { n10++; if (read) r10++; }
                }
            }
            rows.Add((file, f[1], rate, r5, n5, r10, n10));
            Console.Error.WriteLine($"{file}: 5 s {r5}/{n5}, 10 s {r10}/{n10}");
        }
        Console.WriteLine("| rate | class | clips | 5 s excerpts read | 10 s excerpts read |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => (r.Rate, r.Class)).OrderBy(g => (double)g.Sum(r => r.R5) / Math.Max(1, g.Sum(r => r.N5))))
            Console.WriteLine(string.Create(inv, $"| {g.Key.Rate / 1000.0:0.##} kHz | {g.Key.Class} | {g.Count()} | {g.Sum(r => r.R5)}/{g.Sum(r => r.N5)} | {g.Sum(r => r.R10)}/{g.Sum(r => r.N10)} |"));
        foreach (var g in rows.GroupBy(r => r.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(inv, $"| all | {g.Key} | {g.Count()} | {g.Sum(r => r.R5)}/{g.Sum(r => r.N5)} = {100.0 * g.Sum(r => r.R5) / Math.Max(1, g.Sum(r => r.N5)):F1} % | {g.Sum(r => r.R10)}/{g.Sum(r => r.N10)} = {100.0 * g.Sum(r => r.R10) / Math.Max(1, g.Sum(r => r.N10)):F1} % |"));
        Console.WriteLine(string.Create(inv, $"| all | all | {rows.Count} | {rows.Sum(r => r.R5)}/{rows.Sum(r => r.N5)} = {100.0 * rows.Sum(r => r.R5) / Math.Max(1, rows.Sum(r => r.N5)):F1} % | {rows.Sum(r => r.R10)}/{rows.Sum(r => r.N10)} = {100.0 * rows.Sum(r => r.R10) / Math.Max(1, rows.Sum(r => r.N10)):F1} % |"));
        Console.WriteLine();
        Console.WriteLine($"False detections: {falseHits} in {trials} trials (each excerpt of the unmarked clip with the right key and a wrong key, of the marked clip with a wrong key).");
        Console.WriteLine();
        Console.WriteLine("Clips with a 5 s excerpt not read: " + string.Join(", ", rows.Where(r => r.R5 < r.N5).OrderBy(r => (double)r.R5 / r.N5).Select(r => $"{r.File} {r.R5}/{r.N5}")));
        return 0;
    }
}
