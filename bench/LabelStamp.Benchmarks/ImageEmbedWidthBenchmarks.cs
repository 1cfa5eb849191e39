using BenchmarkDotNet.Attributes;
using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>The whole embed (mask pass + MarkAdd pass) pinned to each kernel width in one process, on
/// storm.jpg (1920 × 1280 RGB = 2.46 MP) and goldfish.png (3640 × 2400 RGBA = 8.74 MP), one core.
/// MP/s = megapixels / mean seconds. The key's layout is made once, as <see cref="ImageWatermark"/> keeps it for
/// every image stamped under one key: made per call (the public <c>Embed(…, MarkKey, …)</c>) it is a per-key cost
/// the embed rate would otherwise carry on every image. With <c>LS_EMBED_CORPUS</c> set to the development corpus
/// (bench/corpus/make-image-corpus.sh) the table adds one photo per size band, 256² to 7680 × 4320, so the rate is
/// also measured on images the mark was not tuned on.</summary>
[Config(typeof(PipelineConfig))]
public class ImageEmbedWidthBenchmarks
{
    private PixelBuffer _work = null!;
    private MarkKey _key = null!;
    private ImageMarkLayout _layout = null!;
    private MarkPayload _payload;

    [ParamsSource(nameof(Files))]
    public string File { get; set; } = "";

    /// <summary>The corpus photos, one per size band: a JPEG where the corpus has one at that size (the mark's cost
    /// does not depend on the container, only on the pixels and their channels).</summary>
    private static readonly string[] CorpusPhotos =
    [
        "photo/photo-00-256x256.jpg", "photo/photo-25-512x512.jpg", "photo/photo-30-1024x1024.jpg",
        "photo/photo-08-1920x1080.jpg", "photo/photo-10-3840x2160.jpg", "photo/photo-11-7680x4320.webp",
    ];

    public static IEnumerable<string> Files()
    {
        yield return "storm.jpg";
        yield return "goldfish.png";
        if (Environment.GetEnvironmentVariable("LS_EMBED_CORPUS") is { Length: > 0 } corpus)
            foreach (string photo in CorpusPhotos)
                yield return Path.Combine(corpus, photo);
    }

    [Params(VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512)]
    public VectorWidth Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _work = VipsPixels.Load(Path.IsPathRooted(File) ? File : Path.Combine(RobustnessTable.DefaultSamples(), File));
        _key = BenchKeys.Corpus;
        _layout = new ImageMarkLayout(_key);
        _payload = MarkPayload.For(new MarkId(0x0123456789abcdef), _key);
    }

    /// <summary>Embeds repeatedly into the same buffer: the cost does not depend on the pixel values.</summary>
    [Benchmark]
    public void Embed() => ImageMarkEmbedder.Embed(_work, _layout, _payload, ImageMarkEmbedder.DefaultStrength, Width);
}
