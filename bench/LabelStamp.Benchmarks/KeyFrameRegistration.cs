namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 5 of issue 18: the map from the first frame's coordinates to each frame's (centred, x = S·X + T),
/// measured against a key frame instead of the previous frame. Round 4 chained frame-to-frame
/// estimates; on the stepped cartoon zoom (≈ 0.2 % per step from few textured patches) each step's
/// error stayed in the map, and the embedder (on the original frames) and the reader (on a CRF 30
/// copy) drifted apart. Here a frame is measured against the last key frame; the key frame's own map
/// is the only thing carried forward, so over a clip the error adds up once per key interval, not once
/// per frame, and a motion too small to fit in one frame is seen once it has grown over several.
/// A frame whose estimate fails (neither a fitted motion nor a still picture) keeps the previous
/// frame's map; it becomes the key frame only when the interval is over. Used alike by the embedder
/// (every frame) and the reader (every kept frame, the interval divided by the decimation step).
/// Exploration code: not product code.
/// </summary>
public sealed class KeyFrameRegistration
{
    private readonly TranslationEstimator _est;
    private readonly int _interval;
    private double _ks = 1, _kx, _ky;
    private int _sinceKey;

    /// <param name="dense">16 × 9 patches instead of 8 × 6 (<see cref="TranslationEstimator.GridColumns"/>).</param>
    /// <param name="robust">round 6, the embedder's stricter texture and clear-minimum thresholds (<see cref="TranslationEstimator.Robust"/>).</param>
    /// <param name="lenient">the reader's lower texture and clear-minimum thresholds (<see cref="TranslationEstimator.Lenient"/>).</param>
    public KeyFrameRegistration(int width, int height, int interval, int maxShiftPerFrame, bool similarity, bool dense = false, bool lenient = false, bool robust = false)
    {
        _interval = Math.Max(1, interval);
        _est = new TranslationEstimator(width, height, Math.Min(Math.Min(width, height) / 2, maxShiftPerFrame * _interval))
        {
            Similarity = similarity,
            GridColumns = dense ? 16 : 8,
            GridRows = dense ? 9 : 6,
            TextureFloor = lenient ? TranslationEstimator.Lenient.Floor : robust ? TranslationEstimator.Robust.Floor : 0.75,
            MinimumContrast = lenient ? TranslationEstimator.Lenient.Contrast : robust ? TranslationEstimator.Robust.Contrast : 1.5,
            MinimumGap = lenient ? TranslationEstimator.Lenient.Gap : robust ? TranslationEstimator.Robust.Gap : 0.3,
        };
    }

    /// <summary>The current frame's map.</summary>
    public double Scale { get; private set; } = 1;
    public double OffsetX { get; private set; }
    public double OffsetY { get; private set; }

    /// <summary>Frames whose map came from a fitted motion (moved or not), and frames judged still.</summary>
    public int Fitted { get; private set; }
    public int Still { get; private set; }

    /// <summary>The last frame's map came from its own estimate (a fitted motion or a still picture), not
    /// from the frame before it.</summary>
    public bool LastFitted { get; private set; }

    /// <summary>Round 6 (variant "s"): a frame becomes the key frame only if its own map was fitted, and the
    /// patches are searched around the zoom extrapolated since the key frame
    /// (<see cref="TranslationEstimator.PriorZoom"/>). Round 5 promoted the interval's last frame whatever
    /// happened to it: an unfitted one carried the previous frame's map, so the zoom it had not measured was
    /// lost for the rest of the clip. The embedder on the original fits almost every frame and barely
    /// notices; the reader on a CRF 30 copy (the photo zoom: 108 of 150 frames fitted) drifted away from the
    /// embedder's maps at every such promotion. An unfitted key candidate is passed over until a fitted frame
    /// arrives, at most <see cref="StrictLimit"/> intervals (then the old rule, so a clip the estimator never
    /// fits still moves its key).</summary>
    public bool Strict { get; init; }

    private const int StrictLimit = 3;
    // Zoom per frame measured over the last fitted distance from the key frame (for the prior).
    private double _zoomRate;

    /// <summary>Measures this frame and returns whether its map differs from the key frame's.</summary>
    public bool Advance(ReadOnlySpan<byte> luma)
    {
        if (!_est.HasReference)
        {
            _est.EstimateFromReference(luma);
            _est.PromoteCurrent();
            return false;
        }
        _sinceKey++;
        if (Strict) _est.PriorZoom = _zoomRate * _sinceKey;
        var m = _est.EstimateFromReference(luma);
        bool fitted = m.Global || m.Still;
        LastFitted = fitted;
        if (m.Global)
        {
            // x_k = (1 + a)·x_key + t, x_key = S_key·X + T_key.
            Scale = (1 + m.Zoom) * _ks;
            OffsetX = (1 + m.Zoom) * _kx + m.Tx;
            OffsetY = (1 + m.Zoom) * _ky + m.Ty;
            Fitted++;
            _zoomRate = m.Zoom / _sinceKey;
        }
        else if (m.Still)
        {
            Scale = _ks;
            OffsetX = _kx;
            OffsetY = _ky;
            Still++;
            _zoomRate = 0;
        }
        if (_sinceKey >= _interval && (!Strict || fitted || _sinceKey >= StrictLimit * _interval))
        {
            _est.PromoteCurrent();
            (_ks, _kx, _ky) = (Scale, OffsetX, OffsetY);
            _sinceKey = 0;
        }
        return fitted && m.Global;
    }
}
