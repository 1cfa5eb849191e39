namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 4 of issue 18, variant "c": when the estimator cannot fit a frame (flat content, a zoom's
/// vectors too small to agree) but the picture is not still, keep applying the last motion that did
/// fit, for at most <see cref="MaxFrames"/> calls. On the cartoon zoom without it, the pattern followed
/// the zoom in 94 of 144 frames and stood still in the rest, which is neither a static nor a glued
/// pattern. Used alike by the embedder (per frame) and the registered reader (per kept frame), so both
/// coast the same way as long as their estimates agree.
/// </summary>
public sealed class MotionCoast(int maxFrames)
{
    private TranslationEstimator.Motion _last;
    private bool _has;
    private int _left;

    public int MaxFrames { get; } = maxFrames;

    /// <summary>The motion to apply for this estimate, or null for none.</summary>
    public TranslationEstimator.Motion? Apply(TranslationEstimator.Motion m)
    {
        if (m.Global)
        {
            _last = m;
            _has = true;
            _left = MaxFrames;
            return m;
        }
        if (m.Still) _has = false;
        if (!_has || _left <= 0) return null;
        _left--;
        return _last;
    }
}
