using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-decode DIR [runs]`: for every file of DIR that a stamp now decodes in process (FLAC, MP3, Ogg
/// Opus; <see cref="InProcessDecoder"/>), the in-process samples against ffmpeg's f32le decode
/// at the same rate and channel count (what the stamp fed the mark before): sample counts, the largest
/// absolute difference and the SNR of ffmpeg's samples over the difference; whether two in-process
/// decodes are byte-identical; and the CPU of each (in process: this thread's CPU, median of
/// <c>runs</c>; ffmpeg: the reaped child's, start-up included, median of <c>runs</c>). Worst SNR first.
/// </summary>
public static class AudioDecodeAgreement
{
    public static int Run(string dir, int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var tools = new ToolRunner();
        var rows = new List<(string File, string Codec, long Ours, long Theirs, double MaxAbs, double Snr, bool Same, double OursMs, double TheirsMs)>();
        string pcmPath = Path.Combine(Path.GetTempPath(), "ls-decode-" + Guid.NewGuid().ToString("N") + ".f32");
        foreach (string path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            string file = Path.GetFileName(path);
            byte[] bytes = File.ReadAllBytes(path);
            MediaFormat format;
            try { format = MediaSniffer.Sniff(bytes, file); }
            catch (Errors.LabelStampException) { continue; }
            if (format != MediaFormat.Mp3 && format != MediaFormat.Ogg && format != MediaFormat.Flac) continue;
            var info = AudioHeader.TryRead(bytes, format, file);
            if (info is null) { Console.Error.WriteLine($"{file}: headers left to ffprobe; skipped"); continue; }
            float[] ours = Decode(bytes, format, info, file);
            bool same = ours.AsSpan().SequenceEqual(Decode(bytes, format, info, file));
            var oursMs = new double[runs];
            var theirsMs = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                double c0 = CpuClock.Own();
                Decode(bytes, format, info, file);
                oursMs[r] = (CpuClock.Own() - c0) * 1000;
                c0 = CpuClock.Now();
                tools.RunForTextAsync(tools.FfmpegPath, ["-nostdin", "-hide_banner", "-v", "error", "-i", path, "-map", "0:a:0", "-vn", "-f", "f32le", "-c:a", "pcm_f32le",
                    "-ar", info.SampleRate.ToString(inv), "-ac", info.Channels.ToString(inv), "-y", pcmPath], TimeSpan.FromMinutes(2), "decode", file, default).GetAwaiter().GetResult();
                theirsMs[r] = (CpuClock.Now() - c0) * 1000;
            }
            float[] theirs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(pcmPath)).ToArray();
            int n = Math.Min(ours.Length, theirs.Length);
            double signal = 0, noise = 0, maxAbs = 0;
            for (int i = 0; i < n; i++)
            {
                double d = ours[i] - theirs[i];
                signal += (double)theirs[i] * theirs[i];
                noise += d * d;
                maxAbs = Math.Max(maxAbs, Math.Abs(d));
            }
            double snr = noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
            rows.Add((file, info.Codec, ours.Length / info.Channels, theirs.Length / info.Channels, maxAbs, snr, same, Stats.Median(oursMs), Stats.Median(theirsMs)));
        }
        File.Delete(pcmPath);
        Console.WriteLine("| file | codec | samples in process | samples ffmpeg | max abs difference | SNR vs ffmpeg | deterministic | CPU in process | CPU ffmpeg process |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in rows.OrderBy(r => r.Snr).ThenBy(r => r.File, StringComparer.Ordinal))
            Console.WriteLine(string.Create(inv,
                $"| {r.File} | {r.Codec} | {r.Ours} | {r.Theirs} | {r.MaxAbs:G3} | {(double.IsInfinity(r.Snr) ? "exact" : r.Snr.ToString("F1", inv) + " dB")} | {(r.Same ? "yes" : "NO")} | {r.OursMs:F0} ms | {r.TheirsMs:F0} ms |"));
        Console.WriteLine("| codec | files | worst SNR | median SNR | worst max abs | length differs | CPU in process, median | CPU ffmpeg, median |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Codec).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(inv,
                $"| {g.Key} | {g.Count()} | {Fmt(g.Min(r => r.Snr))} | {Fmt(Stats.Median(g.Select(r => r.Snr)))} | {g.Max(r => r.MaxAbs):G3} | {g.Count(r => r.Ours != r.Theirs)} | {Stats.Median(g.Select(r => r.OursMs)):F0} ms | {Stats.Median(g.Select(r => r.TheirsMs)):F0} ms |"));
        return rows.Any(r => r.Ours != r.Theirs || !r.Same) ? 1 : 0;

        static string Fmt(double snr) => double.IsInfinity(snr) ? "exact" : snr.ToString("F1", CultureInfo.InvariantCulture) + " dB";
    }

    private static float[] Decode(byte[] bytes, MediaFormat format, AudioStreamInfo info, string file)
    {
        var decoder = InProcessDecoder.Open(format, info, bytes, file)!;
        using var pcm = new DecodedPcmStream(decoder);
        using var ms = new MemoryStream();
        pcm.CopyTo(ms);
        return MemoryMarshal.Cast<byte, float>(ms.GetBuffer().AsSpan(0, (int)ms.Length)).ToArray();
    }
}
