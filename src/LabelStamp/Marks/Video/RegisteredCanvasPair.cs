namespace LabelStamp.Marks.Video;

/// <summary>
/// Verify's two registered canvases over the same sampled frames (round 15): <see cref="Chained"/>, each frame registered
/// to the one before, and <see cref="KeyFramed"/>, registered against key frames (<see cref="RegisteredCanvas.KeyFrameSteps"/>,
/// <see cref="RegisteredCanvas.HoldSteps"/>), read only when the chained one does not decode. What the pair shares
/// (issue 18, round 16: the second canvas cost the verify of an unmarked file or a content-locked stamp 0.42-1.16 CPU-s,
/// 9-15 %, and 14-52 MB of peak RSS at 540p-4K; bench/VIDEO.md):
/// - a frame above 1920 × 1088 is halved once for both;
/// - while the two registrations place every frame alike (<see cref="RegisteredCanvas.SamePlacement"/>: the same rounded
///   offset), the key-frame canvas sums nothing: its sums would be the chained canvas's to the bit. At the first frame they
///   place apart it takes a copy of the chained canvas's sums (<see cref="RegisteredCanvas.CopySums"/>) and sums on its own
///   from there. When they never part (a still picture, a copy whose steps are all 0 or whole and alike),
///   <see cref="KeyFramedIsChained"/>: the second canvas is the first, and reading it again could not find what the first
///   did not.
/// The registrations themselves are unchanged: each canvas keeps its own tracker.
/// </summary>
public sealed class RegisteredCanvasPair : IDisposable
{
    private bool _following = true;

    /// <param name="width">the decoded frames' width.</param>
    /// <param name="height">the decoded frames' height.</param>
    /// <param name="keyFramed">also build the key-frame canvas (the benchmarks turn it off to measure its cost).</param>
    public RegisteredCanvasPair(int width, int height, bool keyFramed = true)
    {
        Chained = new RegisteredCanvas(width, height);
        if (keyFramed) KeyFramed = new RegisteredCanvas(width, height, keyFrameSteps: RegisteredCanvas.KeyFrameSteps, holdSteps: RegisteredCanvas.HoldSteps);
    }

    public RegisteredCanvas Chained { get; }

    /// <summary>The canvas registered against key frames; null when not built.</summary>
    public RegisteredCanvas? KeyFramed { get; }

    /// <summary>Every frame so far was placed alike on both canvases, so the key-frame canvas holds no sums of its own
    /// (read <see cref="Chained"/> instead: the same mean).</summary>
    public bool KeyFramedIsChained => KeyFramed is not null && _following;

    /// <summary>Frames placed alike on both canvases before the first they placed apart (all of them when
    /// <see cref="KeyFramedIsChained"/>).</summary>
    public int SharedFrames { get; private set; }

    /// <summary>Registers the luma plane of the next frame (the first width × height bytes) on both canvases and adds it.</summary>
    public void Add(ReadOnlySpan<byte> luma)
    {
        var frame = Chained.Registered(luma);
        var chained = Chained.Register(frame);
        if (KeyFramed is not { } keyFramed)
        {
            Chained.Place(frame, chained);
            return;
        }
        var keyed = keyFramed.Register(frame);
        if (_following && !RegisteredCanvas.SamePlacement(chained, keyed))
        {
            // The sums of every earlier frame, as the key-frame canvas would have placed them itself.
            keyFramed.CopySums(Chained);
            _following = false;
        }
        if (_following) SharedFrames++;
        Chained.Place(frame, chained);
        if (!_following) keyFramed.Place(frame, keyed);
    }

    public void Dispose()
    {
        Chained.Dispose();
        KeyFramed?.Dispose();
    }
}
