using BenchmarkDotNet.Attributes;
using LabelStamp.Kernels;

namespace LabelStamp.Benchmarks;

/// <summary>The label blend kernel over one 4K RGB row band (a 1000×200 px label region), per ISA.</summary>
[Config(typeof(HwIntrinsicsConfig))]
public class AlphaBlendBenchmarks
{
    private byte[] _dest = [], _colour = [], _alpha = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _dest = new byte[1000 * 200 * 3];
        _colour = new byte[_dest.Length];
        _alpha = new byte[_dest.Length];
        random.NextBytes(_dest); random.NextBytes(_colour); random.NextBytes(_alpha);
    }

    [Benchmark]
    public void Blend() => AlphaBlend.Row(_dest, _colour, _alpha);
}
