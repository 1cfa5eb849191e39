using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The content-locked video mark (opt-in, <c>VideoMarkVersion.ContentLocked</c>): the static mark's cells and bumps
/// (<see cref="VideoMarkLayout"/>), tiled, drawn through the content's accumulated global motion and never snapped
/// back (a zoom's scale included). A static pattern on a pan is what the encoder's motion compensation cannot predict: each block carries the
/// pattern minus the shifted pattern, which cost 2.06–3.58× a plain transcode's bytes on the corpus's H.264 pans; a
/// pattern glued to the content is predicted with it (0.88–0.97×, bench/VIDEO.md round 10). Where the tracker sees no
/// global motion (a still shot, local change) the map stays put and the mark is the static one.
/// Two calls per frame: <see cref="Track"/> in frame order on the unmarked, unlabelled luma (causal: it keeps the
/// previous frame), then <see cref="Embed"/> with the map it returned, which touches no shared state and may run on
/// frames in parallel. Read by the registered search after the frames are registered with the same tracker.
/// </summary>
public sealed class ContentLockedMarkEmbedder : IDisposable
{
    private readonly ReducedPhaseTracker _tracker;
    private FrameMap _map = FrameMap.Identity;
    private bool _started;

    /// <param name="followZoom">also follow a zoom (the tracker's similarity fit, a step whose zoom moves the patches apart
    /// by at least <see cref="ReducedPhaseTracker.ZoomHoldPixels"/>), the product's setting since round 12: the map carries
    /// the scale and the pattern is drawn through it, so a zoom is predicted by the encoder as a pan is. Off: the map
    /// holds through such a step (<see cref="ReducedPhaseTracker.HoldOnZoom"/>, round 11), and a zoom is stamped with the
    /// static pattern's bytes (1.23-1.75× a plain transcode on the corpus's zooms).</param>
    public ContentLockedMarkEmbedder(MarkKey key, MarkPayload payload, int width, int height,
        double amplitude = VideoMarkEmbedder.DefaultAmplitude, bool followZoom = true)
    {
        Pattern = new ContentLockedPattern(key, payload, width, height, amplitude);
        _tracker = new ReducedPhaseTracker(width, height)
        {
            FollowZoom = followZoom, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, AvoidCorners = true, HoldOnZoom = !followZoom,
        };
    }

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
        if (_started && (s != 1 || tx != 0 || ty != 0))
        {
            _map = _map.Then(s, tx, ty);
            MovedFrames++;
        }
        _started = true;
        return _map;
    }

    /// <summary>Marks the first width × height bytes of <paramref name="plane"/> in place with the tile drawn through
    /// <paramref name="map"/> (<see cref="ContentLockedPattern.Draw"/>); safe to call on several frames at once.</summary>
    public void Embed(Span<byte> plane, FrameMap map) => Pattern.Draw(plane, map);

    public void Dispose() => _tracker.Dispose();
}
