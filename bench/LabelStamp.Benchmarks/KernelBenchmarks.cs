using BenchmarkDotNet.Attributes;
using LabelStamp.Kernels;

namespace LabelStamp.Benchmarks;

/// <summary>The embed (mask, add, block moments) and detector (correlate, magnitude sum, FFT) kernels, scalar
/// against each vector width, on one 4K RGB row (11,520 bytes), one 512-bin spectrum line and one
/// 1024-point FFT line. Seed 1.</summary>
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
        for (int i = 0; i < _profile.Length; i++) _profile[i] = rng.NextSingle() * 2 - 1;
        for (int i = 0; i < 1024; i++) { _fftRe[i] = rng.NextSingle(); _fftIm[i] = rng.NextSingle(); }
    }

    [Benchmark]
    public void MarkAddRow() => MarkAdd.Row(_row, _tile, _gain, Width);

    private readonly ushort[] _columnSums = new ushort[3840];

    /// <summary>The motion tracker's box-reduction row add (issue 18, round 10) over a 4K luma row. Sums wrap like the
    /// reference; only the speed matters here.</summary>
    [Benchmark]
    public void ColumnSumsRow() => ColumnSums.Accumulate(_row.AsSpan(0, 3840), _columnSums, Width);

    private readonly float[] _profile = new float[3840];

    /// <summary>The glued video mark's pattern row (issue 18, round 5) over a 4K luma row.</summary>
    [Benchmark]
    public void PatternRowScale() => PatternRow.Scale(_profile, 96f, _tile.AsSpan(0, 3840), Width);

    private readonly ulong[] _sums = new ulong[(3839 * 3) / 8];

    /// <summary>The mask kernel over the same 4K row (gradient sums per 8 samples).</summary>
    [Benchmark]
    public void GradientActivityRow() => GradientActivity.Groups(_row, _tile, 3, _sums, ulong.MaxValue, Width);

    [Benchmark]
    public void CrossPowerLine() => CrossPower.Apply(_re, _im, _br, _bi, _or, _oi, Width);

    private readonly ushort[] _momentSums = new ushort[3840 * 3];
    private readonly uint[] _momentSquares = new uint[3840 * 3];

    /// <summary>The embed's block statistics over the 4K row: two rows' moments, then sums along 4 pixels.</summary>
    [Benchmark]
    public void ColumnMomentsRow()
    {
        ColumnMoments.Store(_row, _tile, _momentSums, _momentSquares, Width);
        ColumnMoments.AddRuns(_momentSums, _momentSquares, 3, Width);
    }

    [Benchmark]
    public float MagnitudeSumLine() => MagnitudeSum.Of(_re, Width);

    private readonly LabelStamp.Kernels.Fft.FftPlan _fft = new(1024);
    private readonly float[] _fftRe = new float[1024], _fftIm = new float[1024];

    /// <summary>A forward and an inverse 1024-point transform (the inverse undoes the forward, so the data
    /// stay bounded over iterations).</summary>
    [Benchmark]
    public void FftLine()
    {
        _fft.Forward(_fftRe, _fftIm, Width);
        _fft.Inverse(_fftRe, _fftIm, Width);
    }
}
