using BenchmarkDotNet.Attributes;
using LabelStamp.Kernels;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Verify's registered read places each sampled frame of a file on its canvas (<see cref="Marks.Video.RegisteredCanvas"/>):
/// a frame's rows added onto the canvas's float sums and ushort counts. One 1080p and one 540p luma plane placed by the
/// scalar loop the canvas used before (<see cref="CanvasSums.AddScalarReference"/>) and by <see cref="CanvasSums.Add"/> at
/// every width, and a 4K frame halved for registration (<see cref="BoxHalve"/>, against its scalar loop). Frames of random
/// bytes, seed 5; the canvas 1.25 × the frame's width, the frame placed at column 100.
/// </summary>
public class CanvasSumsBenchmarks
{
    private byte[] _frame = [];
    private float[] _sums = [];
    private ushort[] _counts = [];
    private int _cw;
    private byte[] _frame4K = [], _half = [];

    [Params(960, 1920)]
    public int Width { get; set; }

    [Params(VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512)]
    public VectorWidth Lanes { get; set; }

    private int Height => Width * 9 / 16;

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[Width * Height];
        new Random(5).NextBytes(_frame);
        _cw = Width * 5 / 4;
        _sums = new float[_cw * Height];
        _counts = new ushort[_cw * Height];
        _frame4K = new byte[3840 * 2160];
        new Random(5).NextBytes(_frame4K);
        _half = new byte[1920 * 1080];
    }

    [Benchmark(Baseline = true, Description = "scalar loop (before)")]
    public float Reference()
    {
        for (int y = 0; y < Height; y++)
            CanvasSums.AddScalarReference(_frame.AsSpan(y * Width, Width), _sums.AsSpan(y * _cw + 100, Width), _counts.AsSpan(y * _cw + 100, Width));
        return _sums[_cw + 100];
    }

    [Benchmark(Description = "CanvasSums.Add")]
    public float Vector()
    {
        for (int y = 0; y < Height; y++)
            CanvasSums.Add(_frame.AsSpan(y * Width, Width), _sums.AsSpan(y * _cw + 100, Width), _counts.AsSpan(y * _cw + 100, Width), Lanes);
        return _sums[_cw + 100];
    }

    [Benchmark(Description = "4K halved, scalar loop (before)")]
    public byte HalveReference()
    {
        for (int y = 0; y < 1080; y++)
            BoxHalve.RowScalarReference(_frame4K.AsSpan(2 * y * 3840, 3840), _frame4K.AsSpan((2 * y + 1) * 3840, 3840), _half.AsSpan(y * 1920, 1920));
        return _half[1920];
    }

    [Benchmark(Description = "4K halved, BoxHalve.Row")]
    public byte Halve()
    {
        for (int y = 0; y < 1080; y++)
            BoxHalve.Row(_frame4K.AsSpan(2 * y * 3840, 3840), _frame4K.AsSpan((2 * y + 1) * 3840, 3840), _half.AsSpan(y * 1920, 1920), Lanes);
        return _half[1920];
    }
}
