using BenchmarkDotNet.Attributes;
using LabelStamp.Media.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// The luma sums behind the video mark's frame means (the stamp's check of its marked frames, and verify): the 120
/// sampled frames of a 1080p and a 4K stream added through <see cref="MarkedFramesCheck"/> (its <see cref="Marks.Video.SampledLumaMean"/>: ushort sums, the vector
/// add of <see cref="Kernels.ColumnSums"/>), against the int loop it replaced. Frames of random bytes, seed 3.
/// </summary>
[MemoryDiagnoser]
public class FrameSumBenchmarks
{
    private const int Frames = 120;
    private byte[] _frame = [];
    private int[] _intSums = [];

    [Params(1920, 3840)]
    public int Width { get; set; }

    private int Height => Width * 9 / 16;

    [GlobalSetup]
    public void Setup()
    {
        _frame = new byte[Width * Height * 3 / 2];
        new Random(3).NextBytes(_frame);
        _intSums = new int[Width * Height];
    }

    [Benchmark(Baseline = true, Description = "int loop (before)")]
    public int IntLoop()
    {
        Array.Clear(_intSums);
        int plane = Width * Height;
        for (int f = 0; f < Frames; f++)
        {
            var sum = _intSums.AsSpan(0, plane);
            var luma = _frame.AsSpan(0, plane);
            for (int p = 0; p < plane; p++) sum[p] += luma[p];
        }
        return _intSums[plane / 2];
    }

    [Benchmark(Description = "MarkedFramesCheck.Add")]
    public int Check()
    {
        using var check = new MarkedFramesCheck(Width, Height, Frames);
        for (int f = 0; f < Frames; f++) check.Add(_frame, f);
        return check.Frames;
    }
}
