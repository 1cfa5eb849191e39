using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 4 of issue 18: the video mark's cells and bumps, glued to the content. The pattern is tiled
/// (cell column c carries the chip of column c mod cols, rows likewise), and it is moved by the global
/// translation that <see cref="TranslationEstimator"/> finds between consecutive unmarked frames; it is
/// never snapped back. On a pan the encoder's motion compensation then predicts the pattern together
/// with the content, and content entering the frame arrives with the tile's continuation. Where the
/// estimator finds no global motion (a zoom, local change, a still shot) the pattern stays where it is,
/// i.e. the mark is today's static one. The mean of the raw frames is smeared on a pan, so it is read by
/// <see cref="RegisteredMarkReader"/>, which registers the frames first. Called in display order.
/// </summary>
public sealed class GluedMark
{
    private const int StepsPerLevel = 16;
    private readonly VideoMarkLayout _l;
    private readonly sbyte[] _chip;
    private readonly double _amp;
    private readonly TranslationEstimator _motion;
    private readonly int[] _colCell, _rowCell;
    private readonly float[] _colW, _rowW;
    private readonly byte[] _row, _gain;
    private readonly ContentLockedPattern _pattern;
    // Content at anchor position u (centred) is at frame position _scale · u + (_ox, _oy).
    private double _ox, _oy, _scale = 1;
    private readonly MotionCoast _coast;
    private readonly KeyFrameRegistration? _keyed;

    /// <param name="followZoom">also follow a zoom about the centre (the estimator's similarity model).</param>
    /// <param name="coastFrames">keep the last fitted motion through up to this many unfitted frames (<see cref="MotionCoast"/>; 0: off).</param>
    /// <param name="keyInterval">measure each frame against a key frame this many frames back (<see cref="KeyFrameRegistration"/>; 0: round 4's frame-to-frame chain).</param>
    /// <param name="dense">the key-frame estimator's 16 × 9 patch grid.</param>
    /// <param name="strict">round 6: key frames only from fitted frames, patches searched around the expected zoom (<see cref="KeyFrameRegistration.Strict"/>).</param>
    /// <param name="robust">round 6: the embedder's estimator keeps only patches that survive a CRF 30 copy (<see cref="TranslationEstimator.Robust"/>).</param>
    /// <param name="gate">round 6: stay static until a second estimator on <see cref="TranslationEstimator.Robust"/> thresholds
    /// fits half of <see cref="GateWindow"/> consecutive frames (motion a CRF 30 copy is likely to show), then follow.</param>
    /// <param name="gluedFromStart">the gate was judged open on a lookahead of the first frames: glued from frame 0.</param>
    public GluedMark(MarkKey key, MarkPayload payload, int width, int height, double amplitude, bool followZoom = false, int coastFrames = 0, int keyInterval = 0, bool dense = false, bool strict = false, bool robust = false, bool gate = false, bool gluedFromStart = false)
    {
        if (keyInterval > 0) _keyed = new KeyFrameRegistration(width, height, keyInterval, maxShiftPerFrame: 64, similarity: followZoom, dense, robust: robust) { Strict = strict };
        if (gluedFromStart) (_glued, GluedFrom) = (true, 0);
        if (keyInterval > 0 && gate) _gate = new KeyFrameRegistration(width, height, keyInterval, maxShiftPerFrame: 64, similarity: followZoom, dense, robust: true) { Strict = strict };
        _coast = new MotionCoast(coastFrames);
        _l = VideoMarkLayout.For(key, width, height);
        _chip = _l.Chips(payload);
        _amp = amplitude;
        _motion = new TranslationEstimator(width, height, maxShift: 64) { Similarity = followZoom };
        _colCell = new int[width];
        _colW = new float[width];
        _rowCell = new int[height];
        _rowW = new float[height];
        _row = new byte[width];
        _gain = new byte[width];
        _pattern = new ContentLockedPattern(key, payload, width, height, amplitude);
        Array.Fill(_gain, (byte)StepsPerLevel);
    }

    /// <summary>Frames, frames moved with the content, and the wall time of the estimator and of the whole mark (for the report).</summary>
    public int Frames { get; private set; }
    public int Followed { get; private set; }

    /// <summary>With the gate: the first frame drawn glued (−1: static throughout).</summary>
    public int GluedFrom { get; private set; } = -1;

    /// <summary>Round 6 (variant "v"): frames over which the stricter estimator's fits are counted.</summary>
    public const int GateWindow = 24;
    private readonly KeyFrameRegistration? _gate;
    private readonly Queue<bool> _recent = new();
    private int _recentFitted;
    private bool _glued;
    private double _s0 = 1, _x0, _y0;
    public TimeSpan EstimatorTime { get; private set; }
    public TimeSpan TotalTime { get; private set; }

    public void Embed(byte[] frame)
    {
        int w = _l.Width, h = _l.Height;
        var luma = frame.AsSpan(0, w * h);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (Oracle is not null)
        {
            // Round 9: the map measured beforehand on the clean source (OracleMotion), no estimator here.
            (_scale, _ox, _oy) = Oracle[Math.Min(Frames, Oracle.Count - 1)];
            if (_scale != 1 || _ox != 0 || _oy != 0) Followed++;
        }
        else if (_keyed is not null)
        {
            bool moved = _keyed.Advance(luma);
            if (_gate is not null && !_glued)
            {
                // Round 6: the pattern stays static until the stricter estimator has fitted at least half of
                // the last GateWindow frames; from then on it follows the content, anchored where it stands.
                _gate.Advance(luma);
                _recent.Enqueue(_gate.LastFitted);
                if (_gate.LastFitted) _recentFitted++;
                if (_recent.Count > GateWindow && _recent.Dequeue()) _recentFitted--;
                if (_recent.Count == GateWindow && 2 * _recentFitted >= GateWindow)
                {
                    _glued = true;
                    (_s0, _x0, _y0) = (_keyed.Scale, _keyed.OffsetX, _keyed.OffsetY);
                    GluedFrom = Frames;
                }
            }
            if (_gate is null || _glued)
            {
                if (moved) Followed++;
                // Relative to the map at the switch: x = (S/S0)·X' + T − (S/S0)·T0.
                double r = _keyed.Scale / _s0;
                (_scale, _ox, _oy) = (r, _keyed.OffsetX - r * _x0, _keyed.OffsetY - r * _y0);
            }
            EstimatorTime += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
        }
        else if (_coast.Apply(Timed(_motion.Estimate(luma), t0)) is { } m)
        {
            // x_t = (1 + a) x_{t−1} + t composed with the anchor → frame map.
            _scale *= 1 + m.Zoom;
            _ox = (1 + m.Zoom) * _ox + m.Tx;
            _oy = (1 + m.Zoom) * _oy + m.Ty;
            Followed++;
        }
        Frames++;
        if (Separable)
        {
            _pattern.Draw(luma, new FrameMap(_scale, _ox, _oy));
            TotalTime += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
            return;
        }
        ContentLockedPattern.Axis(w, _l.Cols, _ox, _scale, _colCell, _colW);
        ContentLockedPattern.Axis(h, _l.Rows, _oy, _scale, _rowCell, _rowW);
        int cols = _l.Cols;
        double k = _amp * StepsPerLevel;
        for (int y = 0; y < h; y++)
        {
            double wy = _rowW[y] * k;
            int rb = _rowCell[y] * cols;
            for (int x = 0; x < w; x++)
                _row[x] = (byte)(sbyte)Math.Round(_chip[rb + _colCell[x]] * wy * _colW[x]);
            MarkAdd.Row(luma.Slice(y * w, w), _row, _gain);
        }
        TotalTime += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
    }

    /// <summary>Round 5: draw with SIMD kernels instead of a double multiply and round per pixel (7–40 ms
    /// per frame at 540p–1080p): the product's drawing, <see cref="ContentLockedPattern.Draw"/> — the same
    /// arithmetic as the per-pixel loop, in float. (A first version put the row weight in MarkAdd's 8-bit
    /// gain: 1/32 and 1/48 quantisation cost 2 % more bytes on the cartoon zoom.)</summary>
    public bool Separable { get; init; }

    /// <summary>Round 9: each frame's map (scale, offset) given in display order by <see cref="OracleMotion"/>, in place of any estimator.</summary>
    public IReadOnlyList<(double Scale, double Ox, double Oy)>? Oracle { get; init; }

    private TranslationEstimator.Motion Timed(TranslationEstimator.Motion m, long t0)
    {
        EstimatorTime += System.Diagnostics.Stopwatch.GetElapsedTime(t0);
        return m;
    }
}
