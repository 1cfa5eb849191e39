using LabelStamp.Labels;
using LabelStamp.Pipeline;
using NetVips;

namespace LabelStamp.Tests.Images;

/// <summary>Shared stamping set-up: one catalog (overlays cached across tests), a fixed test key.</summary>
internal static class ImageFixtures
{
    public const string Producer = "001191310000000000000000000";
    public static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    public static readonly MediaCatalog Catalog = new();
    public static readonly Stamper Stamper = Catalog.CreateStamper(Key);

    public static StampResult Stamp(byte[] input, string name, LabelPolicy? policy = null, string id = "test-1") =>
        Stamper.StampAsync(input, name, new StampRequest(id, Producer, policy ?? new LabelPolicy())).GetAwaiter().GetResult();

    /// <summary>A uniform image of the given grey level, encoded in a format ("jpeg", "png", "webp").</summary>
    public static byte[] Uniform(int width, int height, int level, string format, int bands = 3)
    {
        Media.Images.VipsRuntime.EnsureInitialised();
        using var black = Image.Black(width, height, bands);
        using var img = (black + level).Cast(Enums.BandFormat.Uchar);
        using var tagged = img.Copy(interpretation: bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);
        return Encode(tagged, format);
    }

    /// <summary>An RGB image whose every sample is drawn from <see cref="Random"/>(<paramref name="seed"/>), encoded in a format.</summary>
    public static byte[] Noise(int width, int height, int seed, string format)
    {
        Media.Images.VipsRuntime.EnsureInitialised();
        var samples = new byte[width * height * 3];
        new Random(seed).NextBytes(samples);
        using var raw = Image.NewFromMemory(samples, width, height, 3, Enums.BandFormat.Uchar);
        using var tagged = raw.Copy(interpretation: Enums.Interpretation.Srgb);
        return Encode(tagged, format);
    }

    public static byte[] Encode(Image img, string format) => format switch
    {
        "jpeg" => img.JpegsaveBuffer(q: 92),
        "png" => img.PngsaveBuffer(),
        "webp" => img.WebpsaveBuffer(q: 90),
        "webp-lossless" => img.WebpsaveBuffer(lossless: true),
        _ => throw new ArgumentException(format),
    };

    public static Image Load(byte[] data) => Image.NewFromBuffer(data);
}
