using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Cost of the C2PA layer (L4) per file: sign and embed a manifest (hash the whole file, build the store,
/// COSE ES256, embed twice), and read + validate it back. JPEG = samples-media/images/ladybird.jpg;
/// MP4 = 5 s 640x360 H.264 + AAC made by ffmpeg at setup.
/// </summary>
[MemoryDiagnoser]
public class C2paBenchmarks
{
    private byte[] _jpeg = [];
    private byte[] _mp4 = [];
    private byte[] _jpegSigned = [];
    private byte[] _mp4Signed = [];
    private byte[] _jpegStamped = [];
    private C2paProvenanceWriter _tsaWriter = null!;
    private TrustAnchors _anchors = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _tsaCert = null!, _ca = null!;
    private C2paProvenanceWriter _writer = null!;
    private SigningCredentials _signer = null!;
    private StampContext _jpegCtx = null!, _mp4Ctx = null!;
    private string _temp = "";

    [GlobalSetup]
    public void Setup()
    {
        _temp = Path.Combine(Path.GetTempPath(), "ls-c2pa-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_temp);
        _jpeg = File.ReadAllBytes(FindSample("ladybird.jpg"));
        string mp4 = Path.Combine(_temp, "bench.mp4");
        var psi = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25:duration=5",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", mp4]);
        using (var p = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg is required for the MP4 benchmark"))
        {
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed to make the MP4 benchmark input");
        }
        _mp4 = File.ReadAllBytes(mp4);
        var factory = new CertificateFactory();
        _ca = factory.CreateAuthority();
        _signer = factory.CreateSigner(_ca);
        _writer = new C2paProvenanceWriter(new C2paOptions(_signer));
        _tsaCert = factory.CreateTimestampAuthority(_ca);
        _tsaWriter = new C2paProvenanceWriter(new C2paOptions(_signer) { TimestampAuthority = new LabelStamp.TestSupport.TestTimestampAuthority(_tsaCert, _ca) });
        _anchors = new TrustAnchors([_ca]);
        var key = MarkKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        _jpegCtx = Context(MediaFormat.Jpeg, "bench.jpg", key);
        _mp4Ctx = Context(MediaFormat.Mp4, "bench.mp4", key);
        _jpegSigned = _writer.Write(_jpeg, _jpegCtx);
        _mp4Signed = _writer.Write(_mp4, _mp4Ctx);
        _jpegStamped = _tsaWriter.Write(_jpeg, _jpegCtx);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer.Dispose();
        _tsaCert.Dispose();
        _ca.Dispose();
        Directory.Delete(_temp, true);
    }

    [Benchmark(Description = "sign+embed JPEG")]
    public byte[] SignJpeg() => _writer.Write(_jpeg, _jpegCtx);

    [Benchmark(Description = "sign+embed MP4")]
    public byte[] SignMp4() => _writer.Write(_mp4, _mp4Ctx);

    [Benchmark(Description = "read+validate JPEG")]
    public bool ReadJpeg() => C2paReader.Read(_jpegSigned, "bench.jpg").Valid;

    [Benchmark(Description = "sign+embed JPEG, time-stamped (in-process TSA)")]
    public byte[] SignJpegTimestamped() => _tsaWriter.Write(_jpeg, _jpegCtx);

    [Benchmark(Description = "read+validate JPEG, time-stamp + trust anchors")]
    public bool ReadJpegTimestampedTrusted() => C2paReader.Read(_jpegStamped, "bench.jpg", anchors: _anchors).SignerTrust == SignerTrust.Trusted;

    [Benchmark(Description = "read+validate MP4")]
    public bool ReadMp4() => C2paReader.Read(_mp4Signed, "bench.mp4").Valid;

    private static StampContext Context(MediaFormat format, string name, MarkKey key)
    {
        var aigc = new AigcLabel(AigcLabel.Generated, "001191234567890123456700001", "bench-0001");
        return new StampContext(name, format, new StampRequest("bench-0001", aigc.ContentProducer, new LabelPolicy()), key,
            MarkId.Compute(key, aigc.ContentProducer, "bench-0001"), aigc, new MediaLimits(), new StageTimings());
    }

    private static string FindSample(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "samples-media", "images", file))) dir = dir.Parent;
        return dir is null ? throw new FileNotFoundException("samples-media/images/" + file) : Path.Combine(dir.FullName, "samples-media", "images", file);
    }
}
