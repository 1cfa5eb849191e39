using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// Puts the video mark on luma planes: the payload's 330 coded bits, spread over the
/// <see cref="VideoMarkLayout"/> cells as smooth ±<see cref="Amplitude"/> bumps, the same pattern on
/// every frame. The pattern is computed once per stream (a signed-byte plane); each frame then costs
/// one saturating add per pixel (<see cref="MarkAdd"/>, SIMD). Why this shape: the detector averages
/// ~100 frames, so the per-frame amplitude can be a few levels (a PSNR well above the still-image mark's
/// 40 dB), and a static, low-frequency, edge-free pattern is what an encoder reproduces cheaply — it is
/// coded once in an intra frame and then predicted (skip blocks) in static areas — and what survives its
/// quantiser, which removes fine texture first.
/// </summary>
public sealed class VideoMarkEmbedder
{
    /// <summary>Default peak change in luma levels at a cell's centre (8-bit). Root-mean-square change
    /// ≈ 0.375 × peak (sin² window in both directions).</summary>
    public const double DefaultAmplitude = 6.0;

    /// <summary>The pattern is stored at 16 steps per level, so the kernel's gain of 16/256 gives it back
    /// with sub-level rounding done once, in the kernel.</summary>
    private const int StepsPerLevel = 16;

    private readonly byte[] _pattern;
    private readonly byte[] _gain;

    public VideoMarkEmbedder(MarkKey key, MarkPayload payload, int width, int height, double amplitude = DefaultAmplitude, int shortSideCells = VideoMarkLayout.ShortSideCells)
    {
        if (!(amplitude > 0 && amplitude <= 7.5)) throw new ArgumentOutOfRangeException(nameof(amplitude), "in (0, 7.5] levels");
        if (Math.Min(width, height) < VideoMarkLayout.MinimumSide)
            throw new ArgumentOutOfRangeException(nameof(width), $"the shorter side must be ≥ {VideoMarkLayout.MinimumSide} px");
        Amplitude = amplitude;
        Layout = VideoMarkLayout.For(key, width, height, shortSideCells);
        var l = Layout;
        var chip = l.Chips(payload);
        _pattern = new byte[width * height];
        double scale = amplitude * StepsPerLevel;
        for (int y = 0; y < height; y++)
        {
            int rowBase = l.RowCell[y] * l.Cols;
            double wy = l.RowWeight[y] * scale;
            for (int x = 0; x < width; x++)
            {
                double v = chip[rowBase + l.ColumnCell[x]] * wy * l.ColumnWeight[x];
                _pattern[y * width + x] = (byte)(sbyte)Math.Round(v);
            }
        }
        _gain = new byte[width];
        Array.Fill(_gain, (byte)StepsPerLevel);
        _gainByStep[StepsPerLevel] = _gain;
    }

    public VideoMarkLayout Layout { get; }
    public double Amplitude { get; }

    /// <summary>Marks the first width × height bytes of <paramref name="plane"/> (a luma plane without
    /// padding, e.g. the start of a yuv420p frame) in place.</summary>
    public void Embed(Span<byte> plane)
    {
        int w = Layout.Width, h = Layout.Height;
        if (plane.Length < w * h) throw new ArgumentException($"need a {w}×{h} luma plane", nameof(plane));
        for (int y = 0; y < h; y++)
            MarkAdd.Row(plane.Slice(y * w, w), _pattern.AsSpan(y * w, w), _gain);
    }

    /// <summary>Marks the plane at <paramref name="strength"/> × <see cref="Amplitude"/>, strength in 1/16 steps
    /// (the kernel's gain is an integer; 1 is <see cref="Embed(Span{byte})"/> exactly). The same pattern at a
    /// lower strength: the detector, which normalises its cells, reads either.</summary>
    public void Embed(Span<byte> plane, double strength)
    {
        if (!(strength > 0 && strength <= 1)) throw new ArgumentOutOfRangeException(nameof(strength), "in (0, 1]");
        int w = Layout.Width, h = Layout.Height;
        if (plane.Length < w * h) throw new ArgumentException($"need a {w}×{h} luma plane", nameof(plane));
        int g = Math.Max(1, (int)Math.Round(strength * StepsPerLevel));
        // Frames are marked in parallel: each step's gain row is filled before it is published and never
        // changed after, so concurrent calls at different strengths cannot mix rows.
        byte[]? gain = Volatile.Read(ref _gainByStep[g]);
        if (gain is null)
        {
            gain = new byte[w];
            Array.Fill(gain, (byte)g);
            Volatile.Write(ref _gainByStep[g], gain);
        }
        for (int y = 0; y < h; y++)
            MarkAdd.Row(plane.Slice(y * w, w), _pattern.AsSpan(y * w, w), gain);
    }

    private readonly byte[]?[] _gainByStep = new byte[]?[StepsPerLevel + 1];
}
