using BenchmarkDotNet.Attributes;
using LabelStamp.Kernels;

namespace LabelStamp.Benchmarks;

/// <summary>The embed (mask, add) and correlate kernels, scalar against each vector width, on one 4K RGB row
/// (11,520 bytes) and one 512-bin spectrum line.</summary>
public class KernelBenchmarks
{
    private readonly byte[] _row = new byte[3840 * 3], _tile = new byte[3840 * 3], _gain = new byte[3840 * 3];
    private readonly float[] _re = new float[512], _im = new float[512], _br = new float[512], _bi = new float[512], _or = new float[512], _oi = new float[512];

    [Params(VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512)]
    public VectorWidth Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        rng.NextBytes(_row); rng.NextBytes(_tile); rng.NextBytes(_gain);
        for (int i = 0; i < 512; i++) { _re[i] = rng.NextSingle(); _im[i] = rng.NextSingle(); _br[i] = rng.NextSingle(); _bi[i] = rng.NextSingle(); }
    }

    [Benchmark]
    public void MarkAddRow() => MarkAdd.Row(_row, _tile, _gain, Width);

    private readonly ulong[] _sums = new ulong[(3839 * 3) / 8];

    /// <summary>The mask kernel over the same 4K row (gradient sums per 8 samples).</summary>
    [Benchmark]
    public void GradientActivityRow() => GradientActivity.Groups(_row, _tile, 3, _sums, ulong.MaxValue, Width);

    [Benchmark]
    public void CrossPowerLine() => CrossPower.Apply(_re, _im, _br, _bi, _or, _oi, Width);
}
