using System.Collections.Concurrent;
using LabelStamp.Labels;
using NetVips;

namespace LabelStamp.Explicit;

/// <summary>
/// Renders the label once per (wording, font, size, opacity) through Pango (libvips' text operation)
/// and caches it: a provider's images come in a few sizes, so almost every item reuses an overlay.
/// The font size is solved from the measured ink height, not guessed from font metrics, so the text is
/// provably at least as tall as the geometry asked for.
/// </summary>
public sealed class LabelRenderer
{
    private const int MaxCachedOverlays = 256;
    private readonly FontResolver _fonts;
    private readonly ConcurrentDictionary<(string Text, string Font, int Height, int Opacity), LabelOverlay> _cache = new();

    public LabelRenderer(FontResolver? fonts = null) => _fonts = fonts ?? new FontResolver();

    public LabelOverlay Render(LabelWording wording, string fontSpec, int textHeight, double plateOpacity)
    {
        var key = (wording.Text, fontSpec, textHeight, (int)Math.Round(plateOpacity * 1000));
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var overlay = RenderUncached(wording.Text, fontSpec, textHeight, plateOpacity);
        if (_cache.Count >= MaxCachedOverlays) _cache.Clear();
        _cache[key] = overlay;
        return overlay;
    }

    private LabelOverlay RenderUncached(string text, string fontSpec, int textHeight, double plateOpacity)
    {
        Media.Images.VipsRuntime.EnsureInitialised();
        var font = _fonts.Resolve(fontSpec);
        FontCoverage.EnsureCovers(font, text);

        // CJK ink fills ~0.9 em; start there and correct from the measurement (at most a few renders).
        int size = Math.Max(4, (int)Math.Ceiling(textHeight / 0.9));
        Mask mask = RenderMask(font, text, size);
        for (int attempt = 0; attempt < 4 && mask.SolidHeight < textHeight; attempt++)
        {
            size = Math.Max(size + 1, (int)Math.Ceiling(size * (double)textHeight / Math.Max(1, mask.SolidHeight)));
            mask = RenderMask(font, text, size);
        }
        return Compose(mask, textHeight, plateOpacity);
    }

    private static Mask RenderMask(ResolvedFont font, string text, int sizePx)
    {
        // At 72 dpi one point is one pixel, so the Pango size is the em size in pixels.
        using var image = Image.Text(text, font: $"{font.PangoDescription} {sizePx}", fontfile: font.File, dpi: 72);
        byte[] data = image.WriteToMemory<byte>();
        return new Mask(data, image.Width, image.Height);
    }

    private static LabelOverlay Compose(Mask mask, int textHeight, double plateOpacity)
    {
        var (left, top, right, bottom) = mask.InkBox(1);
        int inkW = right - left + 1, inkH = bottom - top + 1;
        int padX = (int)Math.Round(0.45 * textHeight), padY = (int)Math.Round(0.32 * textHeight);
        int w = inkW + 2 * padX, h = inkH + 2 * padY;
        int offX = padX - left, offY = padY - top;
        double radius = 0.3 * textHeight;

        var grey = new byte[w * h];
        var alpha = new byte[w * h];
        var textMask = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int mx = x - offX, my = y - offY;
                double ms = mx >= 0 && my >= 0 && mx < mask.Width && my < mask.Height ? mask.Data[my * mask.Width + mx] / 255.0 : 0;
                double ap = plateOpacity * RoundedRectCoverage(x + 0.5, y + 0.5, w, h, radius);
                double a = ms + ap * (1 - ms);
                int i = y * w + x;
                alpha[i] = (byte)Math.Round(255 * a);
                grey[i] = a > 0 ? (byte)Math.Round(255 * ms / a) : (byte)0;
                textMask[i] = (byte)Math.Round(255 * ms);
            }
        var solid = mask.InkBox(128);
        return new LabelOverlay(w, h, grey, alpha, textMask, solid.Bottom - solid.Top + 1, solid.Top + offY, solid.Left + offX);
    }

    /// <summary>Anti-aliased coverage of a rounded rectangle at a pixel centre, from its signed distance.</summary>
    private static double RoundedRectCoverage(double px, double py, int w, int h, double r)
    {
        double qx = Math.Abs(px - w / 2.0) - (w / 2.0 - r), qy = Math.Abs(py - h / 2.0) - (h / 2.0 - r);
        double outside = Math.Sqrt(Math.Pow(Math.Max(qx, 0), 2) + Math.Pow(Math.Max(qy, 0), 2));
        double signedDistance = outside + Math.Min(Math.Max(qx, qy), 0) - r;
        return Math.Clamp(0.5 - signedDistance, 0, 1);
    }

    private sealed record Mask(byte[] Data, int Width, int Height)
    {
        /// <summary>Height of the rows holding solid ink (≥ 50 % coverage): the measured text height.</summary>
        public int SolidHeight
        {
            get
            {
                var (_, top, _, bottom) = InkBox(128);
                return bottom < top ? 0 : bottom - top + 1;
            }
        }

        public (int Left, int Top, int Right, int Bottom) InkBox(byte threshold)
        {
            int left = Width, top = Height, right = -1, bottom = -1;
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    if (Data[y * Width + x] >= threshold)
                    {
                        if (x < left) left = x;
                        if (x > right) right = x;
                        if (y < top) top = y;
                        bottom = y;
                    }
            return right < 0 ? (0, 0, Width - 1, Height - 1) : (left, top, right, bottom);
        }
    }
}
