using System.Security.Cryptography;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using System.Security.Cryptography.X509Certificates;

namespace LabelStamp.Tests.Provenance;

/// <summary>Shared per test class: a test CA and signer, a temp directory, and the generated audio/video inputs.</summary>
public sealed class C2paFixture : IDisposable
{
    public C2paFixture()
    {
        Directory.CreateDirectory(Temp);
        Authority = Factory.CreateAuthority();
        Signer = Factory.CreateSigner(Authority);
        Writer = new C2paProvenanceWriter(new C2paOptions(Signer));
    }

    public CertificateFactory Factory { get; } = new();
    public X509Certificate2 Authority { get; }
    public SigningCredentials Signer { get; }
    public C2paProvenanceWriter Writer { get; }
    public string Temp { get; } = Path.Combine(Path.GetTempPath(), "labelstamp-c2pa-" + Guid.NewGuid().ToString("N")[..8]);
    public MarkKey Key { get; } = MarkKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    public static string Sample(string file) => Path.Combine(ExternalTools.RepoRoot(), "samples-media", "images", file);

    /// <summary>An input for the format: a sample image, or a short clip made by ffmpeg.</summary>
    public byte[] Input(MediaFormat format) => Input(format.Name);

    /// <summary>An input by format name, or one of the variants "webp-lossless" (VP8L) and "m4a" (audio-only BMFF).</summary>
    public byte[] Input(string variant)
    {
        string path = Path.Combine(Temp, "in." + variant);
        if (File.Exists(path)) return File.ReadAllBytes(path);
        switch (variant)
        {
            case "webp-lossless": ExternalTools.Ffmpeg("-i", Sample("goldfish.png"), "-vf", "scale=320:-2", "-c:v", "libwebp", "-lossless", "1", "-f", "webp", path); break;
            case "m4a": ExternalTools.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "ipod", path); break;
            case "jpeg": File.Copy(Sample("ladybird.jpg"), path); break;
            case "png": File.Copy(Sample("goldfish.png"), path); break;
            case "webp": ExternalTools.Ffmpeg("-i", Sample("goldfish.png"), "-c:v", "libwebp", "-quality", "80", "-f", "webp", path); break;
            case "wav": ExternalTools.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-ac", "1", "-ar", "16000", "-f", "wav", path); break;
            case "mp3": ExternalTools.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", path); break;
            case "mp4": ExternalTools.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4", path); break;
            default: throw new ArgumentException(variant);
        }
        return File.ReadAllBytes(path);
    }

    public StampContext Context(MediaFormat format, string name, string contentId = "content-0001")
    {
        var aigc = new AigcLabel(AigcLabel.Generated, "001191234567890123456700001", contentId);
        var mark = MarkId.Compute(Key, aigc.ContentProducer, contentId);
        return new StampContext(name, format, new StampRequest(contentId, aigc.ContentProducer, new LabelPolicy()), Key, mark, aigc, new MediaLimits(), new StageTimings());
    }

    public string Save(string fileName, byte[] data)
    {
        string path = Path.Combine(Temp, fileName);
        File.WriteAllBytes(path, data);
        return path;
    }

    public static MediaFormat Format(string name) => MediaFormat.All.Single(f => f.Name == name);

    public void Dispose()
    {
        Signer.Dispose();
        Authority.Dispose();
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { /* temp cleanup is best effort; the OS clears /tmp */ }
    }
}
