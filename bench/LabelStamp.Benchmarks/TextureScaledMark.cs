using System.Globalization;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Variant "A:qT" of video-mark-shape (round 7): today's static pattern, drawn by the product embedder at a
/// strength set by the content's own texture, in quarter steps that change seldom. Per frame: the median
/// over the grid's cells of the mean |dx| + |dy| (every 2nd row and column), smoothed over ~24 frames; the
/// target strength is that over <c>T</c>, clamped to [floor (1/4 unless "A:qTfF"), 1] and rounded to a quarter; the strength in use
/// moves to it only when the unrounded value is ≥ 0.2 away (hysteresis). Why: on flat content the detector
/// sees the pattern clearly and the codec pays most for it, on busy content the pattern costs little and
/// reads worst; and a strength that moved every frame would change the pattern in every block of every
/// frame, which the codec codes as residual (measured: a per-frame strength, round 7 "eT", saved nothing on
/// the nearly still photo).
/// </summary>
internal sealed class TextureScaledMark(VideoMarkEmbedder embedder, double texturePerFull, double floor = 0.25)
{
    private readonly VideoMarkLayout _l = embedder.Layout;
    private double _smoothed = -1, _strength = -1, _strengthSum;
    private int _frames, _changes;

    public string Summary => _frames == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
        $"mean strength {_strengthSum / _frames:0.00}, {_changes} changes, mean smoothed median texture {_smoothed:0.00} at the end");

    public void Embed(byte[] frame)
    {
        double median = MedianCellTexture(frame);
        _smoothed = _smoothed < 0 ? median : _smoothed + (median - _smoothed) / 24;
        double raw = Math.Clamp(_smoothed / texturePerFull, floor, 1);
        if (_strength < 0 || Math.Abs(raw - _strength) >= 0.2)
        {
            double next = Math.Clamp(Math.Round(raw * 4) / 4, floor, 1);
            if (_strength >= 0 && next != _strength) _changes++;
            _strength = next;
        }
        _strengthSum += _strength;
        _frames++;
        embedder.Embed(frame, _strength);
    }

    private double MedianCellTexture(byte[] f)
    {
        int w = _l.Width, h = _l.Height, cols = _l.Cols, n = _l.Cells;
        var tex = new double[n];
        var cnt = new int[n];
        var rowCell = new int[h];
        for (int y = 0; y < h; y++) rowCell[y] = (int)Math.Min(_l.Rows - 1, (y + 0.5) * _l.Rows / h);
        for (int y = 0; y + 1 < h; y += 2)
        {
            int rb = rowCell[y] * cols, row = y * w;
            for (int x = 0; x + 1 < w; x += 2)
            {
                int i = row + x, c = rb + (int)Math.Min(cols - 1, (x + 0.5) * cols / w);
                tex[c] += Math.Abs(f[i + 1] - f[i]) + Math.Abs(f[i + w] - f[i]);
                cnt[c]++;
            }
        }
        for (int c = 0; c < n; c++) tex[c] /= Math.Max(1, cnt[c]);
        Array.Sort(tex);
        return tex[n / 2];
    }
}
