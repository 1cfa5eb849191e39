using BenchmarkDotNet.Attributes;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `stamp` on a real photo against a plain NetVips decode + encode of the same file with the same
/// settings (<see cref="Plain"/> is the baseline, so the Ratio column is stamp / plain).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PipelineConfig))]
public class ImageStampBenchmarks
{
    private readonly Stamper _stamper = new MediaCatalog().CreateStamper(MarkKey.FromBytes(new byte[32]));
    private byte[] _input = [];
    private ImageHeader _header = null!;

    [Params("ladybird.jpg", "the-mouse.jpg", "goldfish.png")]
    public string File { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _input = System.IO.File.ReadAllBytes(Samples.Path("images", File));
        _header = ImageHeader.Read(_input, MediaSniffer.Sniff(_input, File), File);
        Stamp(); // warm the label cache: a worker renders each size once
    }

    [Benchmark(Baseline = true)]
    public byte[] Plain()
    {
        using var decoded = ImageCodec.Decode(_input, _header, File);
        return ImageCodec.Encode(decoded, _header, new ImageEncodeOptions(), File);
    }

    [Benchmark]
    public byte[] Stamp() =>
        _stamper.StampAsync(_input, File, new StampRequest("bench-1", "001191310000000000000000000", new LabelPolicy())).GetAwaiter().GetResult().Output;
}
