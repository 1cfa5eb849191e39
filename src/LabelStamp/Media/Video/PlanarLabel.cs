using LabelStamp.Explicit;
using LabelStamp.Kernels;

namespace LabelStamp.Media.Video;

/// <summary>
/// A rendered label converted once to yuv420p planes at a fixed place in the frame, so each frame costs
/// only SIMD <see cref="AlphaBlend"/> rows over the label's rectangle. The label is grey (white text,
/// black plate), so a blend in Y′CbCr equals the image path's blend in R′G′B′: luma gets the grey level
/// mapped to the stream's range, chroma is blended toward neutral (128) with the 2 × 2 mean alpha.
/// The luma position is rounded to even coordinates so the chroma rectangle lines up exactly.
/// </summary>
public sealed class PlanarLabel
{
    private readonly byte[] _yColour, _yAlpha, _cColour, _cAlpha;
    private readonly int _frameWidth, _frameHeight, _cw, _ch;

    public PlanarLabel(LabelOverlay overlay, int x, int y, int frameWidth, int frameHeight, bool fullRange)
    {
        X = x & ~1;
        Y = y & ~1;
        Width = overlay.Width;
        Height = overlay.Height;
        _frameWidth = frameWidth;
        _frameHeight = frameHeight;
        if (X + Width > frameWidth || Y + Height > frameHeight)
            throw new ArgumentOutOfRangeException(nameof(x), "label does not fit the frame");

        int n = Width * Height;
        _yColour = new byte[n];
        _yAlpha = overlay.Alpha;
        for (int i = 0; i < n; i++)
            _yColour[i] = fullRange ? overlay.Grey[i] : (byte)(16 + (219 * overlay.Grey[i] + 127) / 255);

        _cw = (Width + 1) / 2;
        _ch = (Height + 1) / 2;
        _cColour = new byte[_cw * _ch];
        _cAlpha = new byte[_cw * _ch];
        Array.Fill(_cColour, (byte)128);
        for (int cy = 0; cy < _ch; cy++)
            for (int cx = 0; cx < _cw; cx++)
            {
                int sum = 0, count = 0;
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int px = 2 * cx + dx, py = 2 * cy + dy;
                        if (px < Width && py < Height) { sum += overlay.Alpha[py * Width + px]; count++; }
                    }
                _cAlpha[cy * _cw + cx] = (byte)((sum + count / 2) / count);
            }
    }

    /// <summary>Top-left of the label in luma pixels (even).</summary>
    public int X { get; }
    public int Y { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Blends the label into one yuv420p frame (Y, then U, then V planes, no padding).</summary>
    public void Apply(Span<byte> frame, VectorWidth width = VectorWidth.Auto)
    {
        int fw = _frameWidth, fh = _frameHeight;
        for (int r = 0; r < Height; r++)
            AlphaBlend.Row(frame.Slice((Y + r) * fw + X, Width), _yColour.AsSpan(r * Width, Width), _yAlpha.AsSpan(r * Width, Width), width);
        int cfw = fw / 2, planeU = fw * fh, planeV = planeU + cfw * (fh / 2);
        int cx0 = X / 2, cy0 = Y / 2;
        for (int r = 0; r < _ch; r++)
        {
            var colour = _cColour.AsSpan(r * _cw, _cw);
            var alpha = _cAlpha.AsSpan(r * _cw, _cw);
            AlphaBlend.Row(frame.Slice(planeU + (cy0 + r) * cfw + cx0, _cw), colour, alpha, width);
            AlphaBlend.Row(frame.Slice(planeV + (cy0 + r) * cfw + cx0, _cw), colour, alpha, width);
        }
    }
}
