using System.Buffers;
using LabelStamp.Kernels;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The mean of the luma planes a reading of the video mark averages (<see cref="VideoMarkSampling"/>): verify's, and the
/// stamp's check of its marked frames. ≤ <see cref="VideoMarkSampling.MaxAveragedFrames"/> (120) planes of bytes sum to
/// ≤ 30,600 per sample, so the sums are ushort and the add is the widening vector add (<see cref="ColumnSums"/>); planes past
/// the 120th are not added, so the sums cannot wrap. The mean stays in floating point: the mark is ≈ 1 level in it, and
/// rounding would add noise. Not thread-safe (the stamp's check locks around it).
/// </summary>
public sealed class SampledLumaMean : IDisposable
{
    private readonly int _plane;
    private ushort[]? _sum;

    public SampledLumaMean(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "a frame has positive sides");
        _plane = width * height;
        _sum = ArrayPool<ushort>.Shared.Rent(_plane);
        Array.Clear(_sum, 0, _plane);
    }

    /// <summary>The planes added.</summary>
    public int Frames { get; private set; }

    /// <summary>Adds a luma plane (the first width × height bytes of <paramref name="luma"/>); ignored once
    /// <see cref="VideoMarkSampling.MaxAveragedFrames"/> planes are in.</summary>
    public void Add(ReadOnlySpan<byte> luma)
    {
        ObjectDisposedException.ThrowIf(_sum is null, this);
        if (luma.Length < _plane) throw new ArgumentException("shorter than the luma plane", nameof(luma));
        if (Frames >= VideoMarkSampling.MaxAveragedFrames) return;
        ColumnSums.Accumulate(luma[.._plane], _sum.AsSpan(0, _plane));
        Frames++;
    }

    /// <summary>The mean of the planes added; null when none was.</summary>
    public float[]? Mean()
    {
        ObjectDisposedException.ThrowIf(_sum is null, this);
        if (Frames == 0) return null;
        float[] mean = new float[_plane];
        float inv = 1f / Frames;
        for (int p = 0; p < _plane; p++) mean[p] = _sum[p] * inv;
        return mean;
    }

    public void Dispose()
    {
        if (_sum is null) return;
        ArrayPool<ushort>.Shared.Return(_sum);
        _sum = null;
    }
}
