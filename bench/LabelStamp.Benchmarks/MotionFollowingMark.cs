using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Exploration variant of the video mark (issue 18, design "a"): the same cells and bumps as
/// <see cref="VideoMarkEmbedder"/>, but the pattern is carried along by the content's global motion
/// (translation + zoom, estimated between consecutive unmarked frames), so that an encoder's motion
/// compensation predicts the pattern together with the content instead of dragging a static pattern
/// across it. When the accumulated displacement exceeds <c>driftCells</c> of a cell anywhere in the frame
/// the pattern snaps back to its anchor: the mean of many frames then still holds the anchored pattern,
/// smeared by at most that drift, and the detector is unchanged. Sequential by nature (each frame needs
/// the previous one), so it is called in display order.
/// </summary>
public sealed class MotionFollowingMark
{
    private const int StepsPerLevel = 16;
    private readonly VideoMarkLayout _l;
    private readonly sbyte[] _chip;
    private readonly double _amp, _maxDrift;
    private readonly GlobalMotionEstimator _motion;
    private readonly int[] _colCell, _rowCell;
    private readonly float[] _colW, _rowW;
    private readonly byte[] _row, _gain;
    private double _scale = 1, _tx, _ty;
    private bool _havePrevious;

    private readonly bool _flatOnly;
    private readonly double[] _tex;
    private readonly int[] _texCount;
    private readonly double[] _cellGain;

    /// <param name="flatOnly">also leave out, per frame, the cells whose content is more textured than the
    /// median cell (design "b" on top of "a").</param>
    public MotionFollowingMark(MarkKey key, MarkPayload payload, int width, int height, double amplitude, double driftCells, bool flatOnly = false)
    {
        _flatOnly = flatOnly;
        _tex = new double[VideoMarkLayout.For(key, width, height).Cells];
        _texCount = new int[_tex.Length];
        _cellGain = new double[_tex.Length];
        _l = VideoMarkLayout.For(key, width, height);
        _chip = _l.Chips(payload);
        _amp = amplitude;
        _maxDrift = driftCells * Math.Min(width, height) / VideoMarkLayout.ShortSideCells;
        _motion = new GlobalMotionEstimator(width, height);
        _colCell = new int[width];
        _colW = new float[width];
        _rowCell = new int[height];
        _rowW = new float[height];
        _row = new byte[width];
        _gain = new byte[width];
        Array.Fill(_gain, (byte)StepsPerLevel);
    }

    /// <summary>Re-anchorings so far, and frames whose motion was estimated (for the report).</summary>
    public int Resets { get; private set; }
    public int Frames { get; private set; }

    public void Embed(byte[] frame)
    {
        int w = _l.Width, h = _l.Height;
        var luma = frame.AsSpan(0, w * h);
        if (_havePrevious)
        {
            var (a, tx, ty) = _motion.Estimate(luma);
            // x_t = c + (1 + a)(x_{t-1} − c) + t: compose with the accumulated anchor → frame map.
            _scale *= 1 + a;
            _tx = (1 + a) * _tx + tx;
            _ty = (1 + a) * _ty + ty;
            double hw = w / 2.0, hh = h / 2.0;
            double drift = Math.Max(Math.Max(Math.Abs((_scale - 1) * hw + _tx), Math.Abs(-(_scale - 1) * hw + _tx)),
                Math.Max(Math.Abs((_scale - 1) * hh + _ty), Math.Abs(-(_scale - 1) * hh + _ty)));
            if (drift > _maxDrift)
            {
                _scale = 1;
                _tx = _ty = 0;
                Resets++;
            }
        }
        else
        {
            _motion.Remember(luma);
            _havePrevious = true;
        }
        Frames++;
        Axis(w, _l.Cols, _scale, _tx, _colCell, _colW);
        Axis(h, _l.Rows, _scale, _ty, _rowCell, _rowW);
        double k = _amp * StepsPerLevel;
        int cols = _l.Cols;
        for (int c = 0; c < _cellGain.Length; c++) _cellGain[c] = _chip[c];
        if (_flatOnly)
        {
            Array.Clear(_tex);
            Array.Clear(_texCount);
            for (int y = 0; y + 1 < h; y++)
            {
                int rb = _rowCell[y] * cols, r = y * w;
                for (int x = 0; x + 1 < w; x++)
                {
                    int c = rb + _colCell[x];
                    _tex[c] += Math.Abs(luma[r + x + 1] - luma[r + x]) + Math.Abs(luma[r + x + w] - luma[r + x]);
                    _texCount[c]++;
                }
            }
            for (int c = 0; c < _tex.Length; c++) _tex[c] /= Math.Max(1, _texCount[c]);
            double[] sorted = (double[])_tex.Clone();
            Array.Sort(sorted);
            double median = Math.Max(sorted[sorted.Length / 2], 0.5);
            for (int c = 0; c < _cellGain.Length; c++) if (_tex[c] >= median) _cellGain[c] = 0;
        }
        for (int y = 0; y < h; y++)
        {
            double wy = _rowW[y] * k;
            if (wy == 0) continue;
            int rb = _rowCell[y] * cols;
            for (int x = 0; x < w; x++)
                _row[x] = (byte)(sbyte)Math.Round(_cellGain[rb + _colCell[x]] * wy * _colW[x]);
            MarkAdd.Row(luma.Slice(y * w, w), _row, _gain);
        }
    }

    /// <summary>Frame pixel p shows pattern coordinate u = c + (p − c − t) / s; its cell and sin² weight
    /// (0 outside the anchored grid).</summary>
    private static void Axis(int pixels, int cells, double s, double t, int[] cell, float[] weight)
    {
        double c0 = pixels / 2.0;
        for (int p = 0; p < pixels; p++)
        {
            double u = c0 + (p + 0.5 - c0 - t) / s;
            double q = u * cells / pixels;
            int c = (int)Math.Floor(q);
            if (c < 0 || c >= cells)
            {
                cell[p] = 0;
                weight[p] = 0;
                continue;
            }
            double sn = Math.Sin(Math.PI * (q - c));
            cell[p] = c;
            weight[p] = (float)(sn * sn);
        }
    }
}
