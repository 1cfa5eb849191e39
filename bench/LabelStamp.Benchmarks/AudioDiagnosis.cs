using System.Diagnostics;
using System.Runtime.InteropServices;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-diagnose [dir] [strength]`: per attack and sample, whether the mark decodes, plus the
/// oracle view (the cell agreeing best with the known coded bits: its sync rank and raw bit errors),
/// which tells a sync failure from a data failure. Also prints the SNR.
/// </summary>
public static class AudioDiagnosis
{
    public static int Run(string dir, float strength, string keys)
    {
        var tools = new ToolRunner();
        var id = new MarkId(0x0123456789abcdefUL);
        var samples = new[] { ("music-pingus-1.flac", 44_100, 2), ("speech-espeak.flac", 48_000, 1) };
        foreach (var keySeed in keys.Split(','))
        {
            int ks = int.Parse(keySeed);
            var key = MarkKey.FromBytes(Enumerable.Range(ks, 32).Select(i => (byte)i).ToArray());
            // The coded bits the embedder writes: its payload carries the audio format's version
            // (AudioMarkLayout.FormatVersion), not MarkPayload.For's, and the version is under the CRC.
            var coded = PayloadCodec.Encode(new MarkPayload(id, AudioMarkLayout.FormatVersion, MarkPayload.KeyNibbleOf(key)));
            foreach (var (file, rate, ch) in samples)
            {
                // AUDIO_SAMPLES / AUDIO_ATTACKS (comma lists, substrings) narrow the run for quick A/B loops.
                if (!Selected("AUDIO_SAMPLES", file)) continue;
                var pcm = MemoryMarshal.Cast<byte, float>(Decode(Path.Combine(dir, file))).ToArray();
                var marked = AudioMarkTrial.Embed(pcm, rate, ch, key, id, strength);
                double best = double.MaxValue, bestDetect = double.MaxValue;
                int runs = int.TryParse(Environment.GetEnvironmentVariable("AUDIO_RUNS"), out int n) ? n : 5;
                for (int r = 0; r < runs; r++)
                {
                    var sw = Stopwatch.StartNew();
                    AudioMarkTrial.Embed(pcm, rate, ch, key, id, strength);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                    sw.Restart();
                    AudioMarkTrial.Detect(marked, rate, ch, key);
                    bestDetect = Math.Min(bestDetect, sw.Elapsed.TotalSeconds);
                }
                double s = 0, e = 0;
                for (int i = 0; i < pcm.Length; i++) { s += (double)pcm[i] * pcm[i]; e += (double)(marked[i] - pcm[i]) * (marked[i] - pcm[i]); }
                // Segmental view: the SNR of every whole second (the governor holds a ≈ 4.6 s running ratio).
                double minSecond = double.MaxValue;
                for (int a = 0; a + rate * ch <= pcm.Length; a += rate * ch)
                {
                    double ss = 0, ee = 0;
                    for (int i = a; i < a + rate * ch; i++) { ss += (double)pcm[i] * pcm[i]; ee += (double)(marked[i] - pcm[i]) * (marked[i] - pcm[i]); }
                    if (ee > 0) minSecond = Math.Min(minSecond, 10 * Math.Log10(ss / ee));
                }
                Console.WriteLine($"key {ks} {file}: SNR {10 * Math.Log10(s / e):0.0} dB (worst 1 s: {minSecond:0.0} dB), embed {pcm.Length / (double)(rate * ch) / best:0}x, detect {pcm.Length / (double)(rate * ch) / bestDetect:0}x (best of {runs})");
                if (Environment.GetEnvironmentVariable("AUDIO_SPEED_ONLY") == "1") continue;
                foreach (var attack in Environment.GetEnvironmentVariable("AUDIO_STRESS") == "1" ? Stress : AudioAttackSuite.All)
                {
                    if (!Selected("AUDIO_ATTACKS", attack.Name)) continue;
                    var x = attack.ApplyAsync(marked, rate, ch, tools, default).GetAwaiter().GetResult();
                    var d = new AudioMarkDetector(key, rate, ch);
                    d.Add(x);
                    var o = d.Oracle(coded);
                    var r = d.Finish();
                    string res = r is null ? "--" : r.Payload.MarkId == id ? "OK" : "WRONG";
                    Console.WriteLine($"  {attack.Name,-22} {res,-5} oracle rank {o.SyncRank,4} z {o.Z,5:0.0} raw errors {o.BitErrors,3}/330" +
                        (r is null ? "" : $" corrected {r.BitErrorsCorrected}"));
                }
            }
        }
        return 0;
    }

    /// <summary>Harder than the spec §5 suite, never asserted: how much headroom the mark has
    /// (AUDIO_STRESS=1 runs these instead of the suite).</summary>
    private static readonly AudioAttack[] Stress =
    [
        new("mp3-48k", Codec: "libmp3lame", Kbps: 48),
        new("aac-48k", Codec: "aac", Kbps: 48),
        new("opus-32k", Codec: "libopus", Kbps: 32),
        new("excerpt-3s", ExcerptSeconds: 3),
        new("excerpt-5s-mp3-64k", Codec: "libmp3lame", Kbps: 64, ExcerptSeconds: 5),
        new("excerpt-5s-aac-64k", Codec: "aac", Kbps: 64, ExcerptSeconds: 5),
        new("excerpt-5s-opus-32k", Codec: "libopus", Kbps: 32, ExcerptSeconds: 5),
    ];

    private static bool Selected(string variable, string name)
    {
        string? list = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(list)) return true;
        foreach (var item in list.Split(',')) if (name == item || name.StartsWith(item + ".", StringComparison.Ordinal)) return true;
        return false;
    }

    private static byte[] Decode(string path)
    {
        var info = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-hide_banner", "-v", "error", "-i", path, "-f", "f32le", "pipe:1" }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        return ms.ToArray();
    }
}
