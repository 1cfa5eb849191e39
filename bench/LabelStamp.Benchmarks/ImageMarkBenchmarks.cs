using BenchmarkDotNet.Attributes;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>Embed and detect on a real photo (storm.jpg, 1920 × 1280 = 2.46 MP, one core).
/// MP/s = 2.46 / mean seconds; ms/MP = mean ms / 2.46.</summary>
[MemoryDiagnoser]
[Config(typeof(PipelineConfig))]
public class ImageMarkBenchmarks
{
    private PixelBuffer _original = null!, _work = null!, _marked = null!, _jpeg = null!;
    private MarkKey _key = null!;
    private MarkPayload _payload;

    [GlobalSetup]
    public void Setup()
    {
        _original = VipsPixels.Load(Path.Combine(RobustnessTable.DefaultSamples(), "storm.jpg"));
        _key = BenchKeys.Corpus;
        _payload = MarkPayload.For(new MarkId(0x0123456789abcdef), _key);
        _work = new PixelBuffer((byte[])_original.Data.Clone(), _original.Width, _original.Height, _original.Bands);
        _marked = new PixelBuffer((byte[])_original.Data.Clone(), _original.Width, _original.Height, _original.Bands);
        ImageMarkEmbedder.Embed(_marked, _key, _payload);
        _jpeg = ImageAttackSuite.Jpeg(_marked, 75);
    }

    /// <summary>Embeds repeatedly into the same buffer: the cost does not depend on the pixel values.</summary>
    [Benchmark]
    public void Embed() => ImageMarkEmbedder.Embed(_work, _key, _payload);

    [Benchmark]
    public ImageMarkDetection? DetectMarked() => ImageMarkDetector.Detect(_marked, _key);

    [Benchmark]
    public ImageMarkDetection? DetectJpeg75() => ImageMarkDetector.Detect(_jpeg, _key);

    [Benchmark]
    public ImageMarkDetection? DetectUnmarked() => ImageMarkDetector.Detect(_original, _key);
}
