using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// One corpus clip as the audio cost harnesses (<see cref="AudioCost"/>, <see cref="AudioEncoderCost"/>) measure it: its
/// bytes, format and probed stream, the plain ffmpeg decode + encode with the stamp's encoder arguments and muxer (into a
/// temp file of its own, deleted by <see cref="Dispose"/>), and a fresh stamp context per run under the harnesses' key.
/// </summary>
internal sealed class AudioCostClip : IDisposable
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private AudioCostClip(string[] row, byte[] bytes, MediaFormat format, AudioStreamInfo info, string outPath)
    {
        Row = row;
        Bytes = bytes;
        Format = format;
        Info = info;
        OutPath = outPath;
    }

    /// <summary>The manifest row (file, …, format at 4, seconds at 5).</summary>
    public string[] Row { get; }
    public string File => Row[0];
    public byte[] Bytes { get; }
    public MediaFormat Format { get; }
    public AudioStreamInfo Info { get; }
    /// <summary>Where the plain transcode (and the harness's own encodes) write.</summary>
    public string OutPath { get; }

    /// <summary>The manifest rows of clips of <paramref name="minSeconds"/>-<paramref name="maxSeconds"/> s, of the
    /// given manifest formats (all when null).</summary>
    public static List<string[]> Rows(string root, double minSeconds, double maxSeconds, string[]? formats = null) =>
        System.IO.File.ReadAllLines(Path.Combine(root, "manifest.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Where(f => double.Parse(f[5], CultureInfo.InvariantCulture) is var d && d >= minSeconds && d <= maxSeconds)
            .Where(f => formats is null || formats.Contains(f[4])).ToList();

    public static AudioCostClip Open(string root, string[] row, ToolRunner tools)
    {
        string file = row[0];
        byte[] bytes = System.IO.File.ReadAllBytes(Path.Combine(root, file));
        var format = MediaSniffer.Sniff(bytes, file);
        AudioStreamInfo info;
        using (var ws = MediaWorkspace.CreateAsync(bytes, format.Extension, default).GetAwaiter().GetResult())
            info = new AudioProbe(tools).ProbeAsync(ws, format, file, TimeSpan.FromMinutes(1), default).GetAwaiter().GetResult();
        string outPath = Path.Combine(Path.GetTempPath(), "ls-cost-" + Guid.NewGuid().ToString("N") + Path.GetExtension(file));
        return new AudioCostClip(row, bytes, format, info, outPath);
    }

    /// <summary>The plain transcode's ffmpeg arguments: the input decoded and encoded as the stamp encodes it.</summary>
    public string[] PlainArguments(string root) =>
        ["-nostdin", "-hide_banner", "-v", "error", "-i", Path.Combine(root, File), "-map", "0:a", .. AudioCodecs.EncoderArguments(Info, File),
            "-f", AudioCodecs.Muxer(Format), "-y", OutPath];

    /// <summary>A fresh stamp context (every run gets its own timings and notices).</summary>
    public StampContext Context() => new(File, Format, new StampRequest(File, "labelstamp-cost", new LabelPolicy()), Key,
        MarkId.Compute(Key, "labelstamp-cost", File), new AigcLabel("1", "labelstamp-cost", File), new MediaLimits(), new StageTimings());

    public void Dispose() => System.IO.File.Delete(OutPath);
}
