using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The content-locked video mark (opt-in, <c>VideoMarkVersion.ContentLocked</c>): the static mark's cells and bumps
/// (<see cref="VideoMarkLayout"/>), tiled, drawn through the content's accumulated global motion and never snapped
/// back (a zoom's scale too, when it follows zooms). A static pattern on a pan is what the encoder's motion compensation cannot predict: each block carries the
/// pattern minus the shifted pattern, which cost 2.06–3.58× a plain transcode's bytes on the corpus's H.264 pans; a
/// pattern glued to the content is predicted with it (0.88–0.97×, bench/VIDEO.md round 10). Where the tracker sees no
/// global motion (a still shot, local change, a zoom shot it holds) the map stays put and the mark is the static one.
/// Two calls per frame: <see cref="Track"/> in frame order on the unmarked, unlabelled luma (causal: it keeps the
/// previous frame), then <see cref="Embed"/> with the map it returned, which touches no shared state and may run on
/// frames in parallel. Read by the registered search after the frames are registered with the same tracker.
/// </summary>
public sealed class ContentLockedMarkEmbedder : IDisposable
{
    private readonly ReducedPhaseTracker _tracker;
    private FrameMap _map = FrameMap.Identity;
    private bool _started;

    /// <param name="followZoom">follow a zoom (the tracker's similarity fit, a step whose zoom moves the patches apart by
    /// at least <see cref="ReducedPhaseTracker.ZoomHoldPixels"/>): the map carries the scale and the pattern is drawn
    /// through it, so the encoder predicts a zoom as it does a pan (the render zoom's 6 s stamp at 0.88× the static
    /// one's bytes), but the registered read loses it after CRF 30 (round 12). Off (the product's setting): the shot is
    /// held instead (<see cref="ZoomedShotSteps"/>).</param>
    public ContentLockedMarkEmbedder(MarkKey key, MarkPayload payload, int width, int height,
        double amplitude = VideoMarkEmbedder.DefaultAmplitude, bool followZoom = false)
    {
        Pattern = new ContentLockedPattern(key, payload, width, height, amplitude);
        _followZoom = followZoom;
        _tracker = new ReducedPhaseTracker(width, height)
        {
            FollowZoom = followZoom, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, HoldOnZoom = !followZoom,
        };
    }

    private readonly bool _followZoom;

    /// <summary>Without zoom following, the map holds through every zoom step (<see cref="ReducedPhaseTracker.HoldOnZoom"/>),
    /// and once this many of the last <see cref="ZoomedShotWindow"/> steps were zooms the same way the stream is a zoom
    /// shot: the map goes back to the identity and holds for the rest of the stream, so the whole shot after that point
    /// carries the static pattern, which the static detector reads. Held per step only, the pan-like steps between a
    /// jerky zoom's held ones still moved the map, the pattern was half glued and the zooms read with up to 66 bits
    /// corrected (round 11). The corpus's zooms change their scaled width on ≈ 60 % of frames; a pan's stray zoom fits
    /// (0.3 px steps of either sign, a few per cent of its steps, round 11) do not reach it.</summary>
    public const int ZoomedShotSteps = 8, ZoomedShotWindow = 16;

    private readonly Queue<int> _zoomSigns = new();
    private int _zoomSum;

    /// <summary>The stream was taken as a zoom shot and the map holds at the identity (<see cref="ZoomedShotSteps"/>).</summary>
    public bool HeldForZoom { get; private set; }

    /// <summary>The keyed tile and its drawing.</summary>
    public ContentLockedPattern Pattern { get; }

    /// <summary>Wall milliseconds spent in <see cref="Track"/> so far (the stamp's timings; the benchmarks measure thread CPU).</summary>
    public double TrackerMilliseconds => _trackerTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    private long _trackerTicks;

    /// <summary>Frames whose step from the previous frame was not the identity (for reports).</summary>
    public int MovedFrames { get; private set; }

    /// <summary>The next frame's map: the tracker's step from the previous frame composed onto the map so far (the
    /// identity on the first frame). Call once per frame, in frame order, before the frame is labelled or marked.</summary>
    public FrameMap Track(ReadOnlySpan<byte> luma)
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var (s, tx, ty) = _tracker.Step(luma);
        _trackerTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        if (HeldForZoom) return _map;
        if (!_followZoom && _started && IsZoomShot(ShotZoomSign()))
        {
            HeldForZoom = true;
            _map = FrameMap.Identity;
            return _map;
        }
        if (_started && (s != 1 || tx != 0 || ty != 0))
        {
            _map = _map.Then(s, tx, ty);
            MovedFrames++;
        }
        _started = true;
        return _map;
    }

    /// <summary>RMS px by which a step's fitted zoom must move the patches apart to count towards the zoom shot
    /// (<see cref="ZoomedShotSteps"/>), under the per-step hold's <see cref="ReducedPhaseTracker.ZoomHoldPixels"/>. The cartoon
    /// zoom's picture is 7:4, scaled to an even width and an even height of 4/7 of it, so on ≈ 3 in 7 of the width's 2-px
    /// steps the height stays: the step zooms along x only, the one-α fit sees about half its scale, and with its patches
    /// near the frame's centre (flat fills elsewhere) that moves them apart by 0.07-0.22 px (median 0.13), under the hold.
    /// Those steps were taken as ≈ 1 px translations, only the 45 held steps of its first 143 counted, the shot was first
    /// taken at frame 227 and its content-locked stamp was lost after the 5 s excerpt and the combined attack
    /// (bench/VIDEO.md, round 13). Counted from 0.12 px it is held at frame 14 and 164 of its 239 windows reach the count
    /// (0.15: 117; 0.10: 207); on the pans the window's largest same-sign count stays at 4 of the 8 needed, as with the
    /// hold alone on the cartoon pan (0.10 let the render pan's reach 5).</summary>
    public const double ZoomShotPixels = 0.12;

    /// <summary>The last step's zoom direction for the shot window: the held zoom's, or that of a zoom fit the patches agree
    /// with (within <see cref="ReducedPhaseTracker.ZoomResidual"/>) that moves them apart by ≥ <see cref="ZoomShotPixels"/>;
    /// 0 for anything else.</summary>
    private int ShotZoomSign()
    {
        if (_tracker.LastZoom != 0) return Math.Sign(_tracker.LastZoom);
        return _tracker.LastFit is { } fit && fit.Residual <= ReducedPhaseTracker.ZoomResidual
            && Math.Abs(fit.Alpha) * fit.Reach >= ZoomShotPixels ? Math.Sign(fit.Alpha) : 0;
    }

    /// <summary>Counts this step in the window of the last <see cref="ZoomedShotWindow"/>: true when ≥ <see cref="ZoomedShotSteps"/>
    /// of them zoomed the same way.</summary>
    private bool IsZoomShot(int sign)
    {
        _zoomSigns.Enqueue(sign);
        _zoomSum += sign;
        if (_zoomSigns.Count > ZoomedShotWindow)
        {
            int old = _zoomSigns.Dequeue();
            _zoomSum -= old;
        }
        return Math.Abs(_zoomSum) >= ZoomedShotSteps;
    }

    /// <summary>Marks the first width × height bytes of <paramref name="plane"/> in place with the tile drawn through
    /// <paramref name="map"/> (<see cref="ContentLockedPattern.Draw"/>); safe to call on several frames at once.</summary>
    public void Embed(Span<byte> plane, FrameMap map) => Pattern.Draw(plane, map);

    public void Dispose() => _tracker.Dispose();
}
