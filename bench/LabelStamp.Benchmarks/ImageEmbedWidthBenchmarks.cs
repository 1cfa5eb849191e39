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
/// the embed rate would otherwise carry on every image.</summary>
[Config(typeof(PipelineConfig))]
public class ImageEmbedWidthBenchmarks
{
    private PixelBuffer _work = null!;
    private MarkKey _key = null!;
    private ImageMarkLayout _layout = null!;
    private MarkPayload _payload;

    [Params("storm.jpg", "goldfish.png")]
    public string File { get; set; } = "";

    [Params(VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512)]
    public VectorWidth Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _work = VipsPixels.Load(Path.Combine(RobustnessTable.DefaultSamples(), File));
        _key = BenchKeys.Corpus;
        _layout = new ImageMarkLayout(_key);
        _payload = MarkPayload.For(new MarkId(0x0123456789abcdef), _key);
    }

    /// <summary>Embeds repeatedly into the same buffer: the cost does not depend on the pixel values.</summary>
    [Benchmark]
    public void Embed() => ImageMarkEmbedder.Embed(_work, _layout, _payload, ImageMarkEmbedder.DefaultStrength, Width);
}
