using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>Three different sample photos, shrunk to about 1.2 MP for test speed, each marked once at
/// the default strength with its own mark ID (shared by every test in the class).</summary>
public sealed class MarkedSamples
{
    public const long Pixels = 1_200_000;
    public static readonly string[] Photos = ["ladybird.jpg", "goldfish.png", "the-mouse.jpg"];

    public MarkedSamples()
    {
        Key = TestKey(1);
        foreach (string name in Photos)
        {
            PixelBuffer original = VipsPixels.Load(Path.Combine(SamplesDirectory(), name), Pixels);
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            var payload = MarkPayload.For(MarkId.Compute(Key, "0011914403000000000000000X00001", name), Key);
            ImageMarkEmbedder.Embed(marked, Key, payload);
            Items.Add(new Sample(name, original, marked, payload));
        }
    }

    public MarkKey Key { get; }
    public List<Sample> Items { get; } = [];

    public sealed record Sample(string Name, PixelBuffer Original, PixelBuffer Marked, MarkPayload Payload);

    public static MarkKey TestKey(int seed)
    {
        var rng = new Random(seed);
        byte[] k = new byte[32];
        rng.NextBytes(k);
        return MarkKey.FromBytes(k);
    }

    public static string SamplesDirectory()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "samples-media"))) dir = Path.GetDirectoryName(dir);
        return Path.Combine(dir ?? throw new DirectoryNotFoundException("samples-media not found above the test binaries"), "samples-media", "images");
    }
}
