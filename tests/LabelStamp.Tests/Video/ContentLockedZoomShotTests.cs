using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Video;

/// <summary>A slow zoom whose even-rounded height lags its width (the corpus's cartoon zoom, bench/VIDEO.md round 13): the
/// steps where only the width grows zoom along x alone and fit under the per-step hold, yet the shot is a zoom.</summary>
public sealed class ContentLockedZoomShotTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "labelstamp-zoomshot-" + Guid.NewGuid().ToString("N")[..8]);

    public ContentLockedZoomShotTests() => Directory.CreateDirectory(_temp);

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { /* best effort; the OS clears /tmp */ }
    }

    private const int CropsW = 960, CropsH = 540, CropsFrames = 72;

    /// <summary>3 s at 24 fps of a 7:4 picture (a blurred testsrc2 with a 600 × 400 textured middle, as a cartoon's detail
    /// sits among flat fills) zoomed in by 3 % a second about the centre, width in 2-px steps, the height 4/7 of it rounded
    /// to an even number; as 8-bit luma planes.</summary>
    private byte[][] ZoomWithCrops()
    {
        string still = Path.Combine(_temp, "crops-still.png"), raw = Path.Combine(_temp, "crops.gray");
        VideoFixture.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1344x768:rate=1", "-f", "lavfi", "-i", "testsrc2=size=600x400:rate=1",
            "-frames:v", "1", "-filter_complex",
            "[0]gblur=sigma=30[bg];[1]noise=alls=60:allf=0,gblur=sigma=2.5[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2", still);
        VideoFixture.Ffmpeg("-loop", "1", "-framerate", "24", "-i", still, "-frames:v", CropsFrames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-vf", $"scale=w='2*trunc({CropsW}*(1+0.03*t)/2)':h=-2:eval=frame:flags=bicubic,crop={CropsW}:{CropsH},format=gray",
            "-f", "rawvideo", raw);
        byte[] all = File.ReadAllBytes(raw);
        File.Delete(raw);
        File.Delete(still);
        Assert.Equal(CropsFrames * CropsW * CropsH, all.Length);
        var frames = new byte[CropsFrames][];
        for (int k = 0; k < CropsFrames; k++) frames[k] = all.AsSpan(k * CropsW * CropsH, CropsW * CropsH).ToArray();
        return frames;
    }

    [Fact]
    public void A_zoom_with_x_only_steps_is_held_as_a_shot()
    {
        byte[][] frames = ZoomWithCrops();
        // The per-step hold alone (the tracker as the embedder sets it): its held steps never make ZoomedShotSteps of a
        // window, and some steps fit a zoom between the shot's count and the hold, so the clip is the case the shot rule
        // used to miss.
        using var tracker = new ReducedPhaseTracker(CropsW, CropsH)
        {
            MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, HoldOnZoom = true,
        };
        var window = new Queue<int>();
        int heldSum = 0, mostHeld = 0, weak = 0;
        for (int k = 0; k < CropsFrames; k++)
        {
            tracker.Step(frames[k]);
            if (k == 0) continue;
            int held = Math.Sign(tracker.LastZoom);
            window.Enqueue(held);
            heldSum += held;
            if (window.Count > ContentLockedMarkEmbedder.ZoomedShotWindow) heldSum -= window.Dequeue();
            mostHeld = Math.Max(mostHeld, Math.Abs(heldSum));
            if (held == 0 && tracker.LastFit is { } fit && fit.Alpha > 0 && fit.Residual <= ReducedPhaseTracker.ZoomResidual
                && fit.Alpha * fit.Reach >= ContentLockedMarkEmbedder.ZoomShotPixels)
                weak++;
        }
        Assert.True(mostHeld < ContentLockedMarkEmbedder.ZoomedShotSteps, $"held steps alone reach {mostHeld} of a window");
        Assert.True(weak > 0);

        var payload = MarkPayload.For(MarkId.Compute(VideoFixture.Key, VideoFixture.Producer, "zoom-with-crops"), VideoFixture.Key);
        using var embedder = new ContentLockedMarkEmbedder(VideoFixture.Key, payload, CropsW, CropsH);
        int heldAt = -1;
        FrameMap map = FrameMap.Identity;
        for (int k = 0; k < CropsFrames; k++)
        {
            map = embedder.Track(frames[k]);
            if (embedder.HeldForZoom && heldAt < 0) heldAt = k;
        }
        // Taken as a zoom shot within its first second, the map back at the identity: the static grid from there on.
        Assert.True(embedder.HeldForZoom);
        Assert.InRange(heldAt, ContentLockedMarkEmbedder.ZoomedShotSteps, 24);
        Assert.Equal(FrameMap.Identity, map);
    }
}
