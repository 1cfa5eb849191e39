using System.Globalization;
using System.Text.Json;
using LabelStamp.Labels;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using LabelStamp.TestSupport;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>
/// Made once per test class: the 960×540 sample stamped as MP4 (with C2PA), a 1920×1080 upscale of it
/// stamped for the scale attack, and a 3 s 640×360 VP9/Opus WebM stamped. The 540p sample and the WebM
/// use the production options; only the 1080p stamp (used by the scale attacks) runs x264 at
/// "veryfast" to keep test time down. Shared by every video test class (one collection).
/// </summary>
[CollectionDefinition(Name)]
public sealed class VideoCollection : ICollectionFixture<VideoFixture>
{
    public const string Name = "video";
}

public sealed class VideoFixture : IDisposable
{
    public const string Producer = "00119110000MA01234567800001";
    public static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    public static readonly VideoLabelOptions Options = new();
    public static readonly VideoLabelOptions FastOptions = new() { X264Preset = "veryfast" };

    /// <summary>The static mark alone, for tests of its own checks (the default, automatic version may move the pattern).</summary>
    public static readonly VideoLabelOptions FastStatic = FastOptions with { MarkVersion = LabelStamp.Marks.Video.VideoMarkVersion.Static };

    private readonly CertificateFactory _factory = new();
    private readonly Stamper _fast;
    private readonly SigningCredentials _signer;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _authority;

    public VideoFixture()
    {
        Directory.CreateDirectory(Temp);
        _authority = _factory.CreateAuthority();
        _signer = _factory.CreateSigner(_authority);
        Catalog = new MediaCatalog(video: Options);
        Stamper = Catalog.CreateStamper(Key, provenance: new C2paProvenanceWriter(new C2paOptions(_signer)));
        _fast = new MediaCatalog(video: FastOptions).CreateStamper(Key);

        Sample = RepoPaths.Samples("video", "pan-zoom.mp4");
        Input1080 = Path.Combine(Temp, "in-1080.mp4");
        Ffmpeg("-i", Sample, "-vf", "scale=1920:1080:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "copy", Input1080);
        InputWebM = Path.Combine(Temp, "in.webm");
        Ffmpeg("-i", Sample, "-t", "3", "-vf", "scale=640:360", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "33", "-deadline", "realtime", "-cpu-used", "8",
            "-c:a", "libopus", "-b:a", "96k", "-metadata", "title=webm sample", InputWebM);

        (Labeled, Result) = Stamp(Sample, "out.mp4", "video-0001");
        (Labeled1080, _) = Stamp(Input1080, "out-1080.mp4", "video-1080", _fast);
        (LabeledWebM, ResultWebM) = Stamp(InputWebM, "out.webm", "video-webm");
    }

    public string Temp { get; } = Path.Combine(Path.GetTempPath(), "labelstamp-video-" + Guid.NewGuid().ToString("N")[..8]);
    public MediaCatalog Catalog { get; }
    public Stamper Stamper { get; }
    public string Sample { get; }
    public string Input1080 { get; }
    public string InputWebM { get; }
    public string Labeled { get; }
    public StampResult Result { get; }
    public string Labeled1080 { get; }
    public string LabeledWebM { get; }
    public StampResult ResultWebM { get; }

    private (string Path, StampResult Result) Stamp(string input, string outName, string contentId, Stamper? stamper = null)
    {
        var request = new StampRequest(contentId, Producer, new LabelPolicy());
        var result = (stamper ?? Stamper).StampAsync(File.ReadAllBytes(input), Path.GetFileName(input), request).GetAwaiter().GetResult();
        string path = Path.Combine(Temp, outName);
        File.WriteAllBytes(path, result.Output);
        return (path, result);
    }

    public VerifyReport Verify(string path, MarkKey? key) =>
        Catalog.CreateVerifier().VerifyAsync(File.ReadAllBytes(path), Path.GetFileName(path), new VerifyOptions { Key = key }).GetAwaiter().GetResult();

    public static void Ffmpeg(params string[] args)
    {
        var (exit, _, err) = ExternalTool.Run("ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-y", .. args], 300_000);
        if (exit != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }

    /// <summary>ffprobe's JSON for the file (streams with a decoded frame count, format with tags).</summary>
    public static JsonElement Probe(string path, bool countFrames = false)
    {
        var args = new List<string> { "-v", "error" };
        if (countFrames) args.Add("-count_frames");
        args.AddRange(["-show_entries", "stream=codec_name,codec_type,width,height,nb_read_frames,r_frame_rate,duration:format=duration:format_tags", "-of", "json", path]);
        var (exit, stdout, err) = ExternalTool.Run("ffprobe", args);
        if (exit != 0) throw new InvalidOperationException("ffprobe failed: " + err);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>The luma plane of the frame shown at <paramref name="seconds"/>, as grey bytes.</summary>
    public static byte[] LumaAt(string path, double seconds, int width, int height)
    {
        string raw = Path.Combine(Path.GetTempPath(), "ls-luma-" + Guid.NewGuid().ToString("N") + ".gray");
        try
        {
            // extractplanes keeps the stored Y values (no range conversion).
            Ffmpeg("-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1", "-vf", "extractplanes=y",
                "-f", "rawvideo", "-pix_fmt", "gray", raw);
            byte[] y = File.ReadAllBytes(raw);
            Assert.Equal(width * height, y.Length);
            return y;
        }
        finally { File.Delete(raw); }
    }

    public void Dispose()
    {
        _signer.Dispose();
        _authority.Dispose();
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { /* best effort; the OS clears /tmp */ }
    }
}
