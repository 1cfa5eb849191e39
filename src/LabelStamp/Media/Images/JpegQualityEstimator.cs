using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media.Images;

/// <summary>
/// Recovers the IJG quality setting from a JPEG's luminance quantisation table. IJG (libjpeg, and so
/// libvips, Pillow, most generators) scales the Annex K table by S = 5000/q (q &lt; 50) or 200 − 2q,
/// entry = clamp((base·S + 50) / 100, 1, 255). We pick the quality whose table matches best. Re-encoding at the recovered quality keeps the output's size and fidelity close to the
/// input's instead of inflating or degrading it.
/// </summary>
public static class JpegQualityEstimator
{
    // ITU-T T.81 Annex K.1 luminance table, natural (row-major) order.
    private static ReadOnlySpan<byte> Luma =>
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    // Zig-zag position k → natural index, because DQT stores entries in zig-zag order.
    private static ReadOnlySpan<byte> ZigZag =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    public static int? Estimate(JpegFile jpeg)
    {
        foreach (var seg in jpeg.Segments.Where(s => s.Marker == JpegSegment.Dqt))
        {
            var d = seg.Payload.Span;
            int p = 0;
            while (p < d.Length)
            {
                int precision = d[p] >> 4, id = d[p] & 0x0F;
                int size = precision == 0 ? 64 : 128;
                if (p + 1 + size > d.Length) return null;
                if (id == 0) return FromTable(d.Slice(p + 1, size), precision);
                p += 1 + size;
            }
        }
        return null;
    }

    /// <summary>The quality whose IJG table is closest to the file's (exact for IJG encoders).</summary>
    private static int? FromTable(ReadOnlySpan<byte> table, int precision)
    {
        int bestQuality = 0;
        long bestError = long.MaxValue;
        for (int quality = 1; quality <= 100; quality++)
        {
            int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
            long error = 0;
            for (int k = 0; k < 64; k++)
            {
                int actual = precision == 0 ? table[k] : (table[2 * k] << 8) | table[2 * k + 1];
                int expected = Math.Clamp((Luma[ZigZag[k]] * scale + 50) / 100, 1, 255);
                error += (long)(actual - expected) * (actual - expected);
            }
            if (error < bestError) (bestError, bestQuality) = (error, quality);
        }
        // A table far from every IJG table came from another encoder: no meaningful quality number.
        return bestError <= 64 * 4 ? bestQuality : null;
    }
}
