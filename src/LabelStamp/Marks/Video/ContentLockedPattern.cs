using System.Buffers;
using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The content-locked mark's drawing: the static mark's cells, chips and sin² bumps (<see cref="VideoMarkLayout"/>)
/// as a tile repeated without end, drawn on a luma plane through a <see cref="FrameMap"/>. Immutable after
/// construction, so frames are drawn in parallel.
/// </summary>
public sealed class ContentLockedPattern
{
    /// <summary>The pattern is scaled at 16 steps per level and added with <see cref="MarkAdd"/>'s gain of 16/256, so
    /// sub-level rounding happens once, in the kernel (the static mark's arithmetic).</summary>
    private const int StepsPerLevel = 16;

    private readonly sbyte[] _chip;
    private readonly byte[] _gain;

    public ContentLockedPattern(MarkKey key, MarkPayload payload, int width, int height, double amplitude = VideoMarkEmbedder.DefaultAmplitude)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!(amplitude > 0 && amplitude <= 7.5)) throw new ArgumentOutOfRangeException(nameof(amplitude), "in (0, 7.5] levels");
        if (Math.Min(width, height) < VideoMarkLayout.MinimumSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"the shorter side must be ≥ {VideoMarkLayout.MinimumSide} px");
        Amplitude = amplitude;
        Layout = VideoMarkLayout.For(key, width, height);
        _chip = Layout.Chips(payload);
        _gain = new byte[width];
        Array.Fill(_gain, (byte)StepsPerLevel);
    }

    public VideoMarkLayout Layout { get; }
    public double Amplitude { get; }

    /// <summary>Marks the first width × height bytes of <paramref name="plane"/> in place with the tile drawn through
    /// <paramref name="map"/>. Pixel p shows anchor position u = (x − offset) / scale (x centred), tile coordinate
    /// q = (u + pixels / 2) · cells / pixels: its cell (mod cells) and sin² weight; with the identity map this is the
    /// static mark's grid. The pattern is separable per cell row, so the float profile chip × column weight
    /// changes only when the row's cell does (≈ 40 times a frame); each pixel row is that profile × row weight ×
    /// amplitude × 16 rounded (<see cref="PatternRow"/>), then added (<see cref="MarkAdd"/>).</summary>
    public void Draw(Span<byte> plane, FrameMap map)
    {
        int w = Layout.Width, h = Layout.Height, cols = Layout.Cols;
        if (plane.Length < w * h) throw new ArgumentException($"need a {w}×{h} luma plane", nameof(plane));
        if (!(map.Scale > 0) || !double.IsFinite(map.OffsetX) || !double.IsFinite(map.OffsetY))
            throw new ArgumentOutOfRangeException(nameof(map), "a finite map with a positive scale");
        int[] colCell = ArrayPool<int>.Shared.Rent(w), rowCell = ArrayPool<int>.Shared.Rent(h);
        float[] colW = ArrayPool<float>.Shared.Rent(w), rowW = ArrayPool<float>.Shared.Rent(h), profile = ArrayPool<float>.Shared.Rent(w);
        byte[] row = ArrayPool<byte>.Shared.Rent(w);
        try
        {
            Axis(w, cols, map.OffsetX, map.Scale, colCell, colW);
            Axis(h, Layout.Rows, map.OffsetY, map.Scale, rowCell, rowW);
            double k = Amplitude * StepsPerLevel;
            int lastRb = -1;
            for (int y = 0; y < h; y++)
            {
                float wy = (float)(rowW[y] * k);
                if (wy < 0.5f) continue; // |profile| ≤ 1: every sample of the row rounds to 0
                int rb = rowCell[y] * cols;
                if (rb != lastRb)
                {
                    for (int x = 0; x < w; x++) profile[x] = _chip[rb + colCell[x]] * colW[x];
                    lastRb = rb;
                }
                PatternRow.Scale(profile.AsSpan(0, w), wy, row.AsSpan(0, w));
                MarkAdd.Row(plane.Slice(y * w, w), row.AsSpan(0, w), _gain);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(colCell);
            ArrayPool<int>.Shared.Return(rowCell);
            ArrayPool<float>.Shared.Return(colW);
            ArrayPool<float>.Shared.Return(rowW);
            ArrayPool<float>.Shared.Return(profile);
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    /// <summary>One axis of the drawing: each pixel's tile cell (mod <paramref name="cells"/>) and sin² weight under a map
    /// with this offset and scale along the axis.</summary>
    public static void Axis(int pixels, int cells, double offset, double scale, Span<int> cell, Span<float> weight)
    {
        for (int p = 0; p < pixels; p++)
        {
            double q = ((p + 0.5 - pixels / 2.0 - offset) / scale + pixels / 2.0) * cells / pixels;
            double f = Math.Floor(q);
            int c = (int)(((long)f % cells + cells) % cells);
            double s = Math.Sin(Math.PI * (q - f));
            cell[p] = c;
            weight[p] = (float)(s * s);
        }
    }
}
