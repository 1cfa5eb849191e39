using System.Diagnostics;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Audio;

/// <summary>Sample files, format conversions through ffmpeg (with a timeout), and a stamping context.</summary>
internal static class AudioFixtures
{
    public static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    public const string Producer = "00119110000MA01234567800001";

    public static string SamplesDir
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                string p = Path.Combine(d.FullName, "samples-media", "audio");
                if (Directory.Exists(p)) return p;
            }
            throw new DirectoryNotFoundException("samples-media/audio not found above the test binaries");
        }
    }

    public static string Music => Path.Combine(SamplesDir, "music-pingus-1.flac");
    public static string Speech => Path.Combine(SamplesDir, "speech-espeak.flac");

    /// <summary>Runs ffmpeg with arguments, returns stdout bytes; fails the test on error or after 120 s.</summary>
    public static byte[] Ffmpeg(params string[] args) => Run("/usr/bin/ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", .. args]);

    public static byte[] Run(string tool, string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"{tool} timed out"); }
        copy.Wait();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {err.Result}");
        return ms.ToArray();
    }

    /// <summary>Converts a sample into a format (and optional length) via a temp file, returns the bytes.</summary>
    public static byte[] Convert(string source, string extension, string[] codecArgs, double seconds = 0, double start = 0,
        string[]? inputFormat = null)
    {
        string tmp = Path.Combine(Path.GetTempPath(), "ls-audio-test-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var args = new List<string>();
            if (start > 0) args.AddRange(["-ss", start.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (inputFormat is not null) args.AddRange(inputFormat);
            args.AddRange(["-i", source]);
            if (seconds > 0) args.AddRange(["-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            args.AddRange(codecArgs);
            args.AddRange(["-y", tmp]);
            Ffmpeg([.. args]);
            return File.ReadAllBytes(tmp);
        }
        finally { File.Delete(tmp); }
    }

    public static string WriteTemp(byte[] bytes, string extension)
    {
        string tmp = Path.Combine(Path.GetTempPath(), "ls-audio-test-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllBytes(tmp, bytes);
        return tmp;
    }

    public static StampContext Context(MediaFormat format, string contentId, Layers layers = Layers.All, MediaLimits? limits = null,
        LabelPolicy? basePolicy = null)
    {
        var policy = (basePolicy ?? new LabelPolicy()) with { Layers = layers, ExplicitWaivedByAgreement = (layers & Layers.Explicit) == 0 };
        var request = new StampRequest(contentId, Producer, policy);
        var id = MarkId.Compute(Key, Producer, contentId);
        var aigc = new AigcLabel(AigcLabel.Generated, Producer, contentId);
        return new StampContext("test" + format.Extension, format, request, Key, id, aigc, limits ?? new MediaLimits(), new StageTimings());
    }

    public static readonly (string Ext, string[] Args)[] Formats =
    [
        (".wav", ["-c:a", "pcm_s16le"]),
        (".mp3", ["-c:a", "libmp3lame", "-b:a", "128k"]),
        (".m4a", ["-c:a", "aac", "-b:a", "128k"]),
        (".flac", ["-c:a", "flac"]),
        (".ogg", ["-c:a", "libvorbis", "-b:a", "128k"]),
        (".opus", ["-c:a", "libopus", "-b:a", "96k"]),
    ];
}
