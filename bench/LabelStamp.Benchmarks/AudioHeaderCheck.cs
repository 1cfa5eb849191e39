using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-headers DIR`: for every audio file in DIR (not WAV, which never needed a probe), the stream
/// parameters read in process (<see cref="AudioHeader"/>) next to ffprobe's (<see cref="AudioProbe"/>):
/// codec, rate, channels, duration, bitrate, sample format, bits and the AIGC tag. Prints one line per
/// file that differs or that the reader left to ffprobe, and a count per format; exits 1 on any difference.
/// </summary>
public static class AudioHeaderCheck
{
    public static int Run(string dir)
    {
        var tools = new ToolRunner();
        var counts = new SortedDictionary<string, (int Same, int Fallback, int Different)>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            string file = Path.GetFileName(path);
            byte[] bytes = File.ReadAllBytes(path);
            MediaFormat format;
            try { format = MediaSniffer.Sniff(bytes, file); }
            catch (Errors.LabelStampException) { continue; }
            if (format == MediaFormat.Wav || (format.Kind != MediaKind.Audio && format != MediaFormat.Mp4)) continue;
            AudioStreamInfo probed;
            using (var ws = MediaWorkspace.CreateAsync(bytes, format.Extension, default).GetAwaiter().GetResult())
                probed = new AudioProbe(tools).ProbeAsync(ws, format, file, TimeSpan.FromMinutes(1), default).GetAwaiter().GetResult();
            var read = AudioHeader.TryRead(bytes, format, file);
            string key = Path.GetExtension(file).TrimStart('.') + (probed.Codec == "opus" ? " (opus)" : "");
            var c = counts.GetValueOrDefault(key);
            if (read is null)
            {
                counts[key] = c with { Fallback = c.Fallback + 1 };
                Console.WriteLine($"{file}: left to ffprobe");
                continue;
            }
            string a = Describe(read), b = Describe(probed);
            if (a == b) { counts[key] = c with { Same = c.Same + 1 }; continue; }
            counts[key] = c with { Different = c.Different + 1 };
            Console.WriteLine($"{file}: DIFFERS\n  in process {a}\n  ffprobe    {b}");
        }
        Console.WriteLine("| format | files | same as ffprobe | left to ffprobe | different |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (k, v) in counts) Console.WriteLine($"| {k} | {v.Same + v.Fallback + v.Different} | {v.Same} | {v.Fallback} | {v.Different} |");
        return counts.Values.Any(v => v.Different > 0) ? 1 : 0;
    }

    private static string Describe(AudioStreamInfo i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{i.Codec} {i.SampleRate} Hz {i.Channels} ch {i.Duration.TotalSeconds:F6} s {i.BitRate} bit/s {i.SampleFormat} {i.BitsPerSample} bits video={i.HasVideo} AIGC={i.Tags.GetValueOrDefault("AIGC") ?? "-"}");
}
