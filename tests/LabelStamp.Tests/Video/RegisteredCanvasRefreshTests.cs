using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Video;

/// <summary>The registered read on a copy that shows a pan late and block by block, as an x264 veryfast CRF 30 copy of a
/// smooth or dark pan does when it codes blocks as skipped and refreshes them a few frames later (bench/VIDEO.md, issue 18
/// round 15: the dark pan's and the photo crossfade's combined copies were lost by the chained reader). In memory, fixed
/// seeds: a content-locked pan is marked through its embedder's maps, then each 16 × 16 block of the copy's frame k shows
/// the marked frame of the block's last refresh, every <see cref="Refresh"/> frames at a per-block phase.</summary>
public class RegisteredCanvasRefreshTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    internal const int W = 640, H = 360, Frames = 48, Block = 16, Refresh = 3;

    /// <summary>The marked pan (content moving (−3, −1) px a frame) and the embedder's map of its last frame.</summary>
    internal static (List<byte[]> Marked, FrameMap Last) MarkedPan(MarkPayload payload)
    {
        int pw = W + 3 * Frames, ph = H + Frames;
        byte[] picture = ContentLockedMarkCodecTests.Picture(pw, ph, seed: 31);
        using var embedder = new ContentLockedMarkEmbedder(Key, payload, W, H);
        var marked = new List<byte[]>();
        var map = FrameMap.Identity;
        for (int k = 0; k < Frames; k++)
        {
            byte[] f = new byte[W * H];
            for (int y = 0; y < H; y++) Array.Copy(picture, (y + k) * pw + 3 * k, f, y * W, W);
            map = embedder.Track(f);
            embedder.Embed(f, map);
            marked.Add(f);
        }
        return (marked, map);
    }

    /// <summary>Frame k of the copy: block b shows marked frame k − ((k + phase_b) mod Refresh), at least 0.</summary>
    internal static List<byte[]> RefreshedLate(List<byte[]> marked)
    {
        var rng = new Random(5);
        int bx = W / Block, by = H / Block;
        int[] phase = new int[bx * by];
        for (int i = 0; i < phase.Length; i++) phase[i] = rng.Next(Refresh);
        var copy = new List<byte[]>();
        for (int k = 0; k < marked.Count; k++)
        {
            byte[] f = new byte[W * H];
            for (int j = 0; j < by; j++)
            for (int i = 0; i < bx; i++)
            {
                byte[] src = marked[Math.Max(0, k - (k + phase[j * bx + i]) % Refresh)];
                for (int y = j * Block; y < (j + 1) * Block; y++) Array.Copy(src, y * W + i * Block, f, y * W + i * Block, Block);
            }
            copy.Add(f);
        }
        return copy;
    }

    /// <summary>Verify's second canvas: against key frames, a step of 0 held.</summary>
    private static RegisteredCanvas KeyFramed() =>
        new(W, H, keyFrameSteps: RegisteredCanvas.KeyFrameSteps, holdSteps: RegisteredCanvas.HoldSteps);

    private static (FrameMap Last, RegisteredMarkReading? Reading, int Held) Read(List<byte[]> frames, RegisteredCanvas canvas)
    {
        using (canvas)
        {
            foreach (var f in frames) canvas.Add(f);
            var (mean, valid) = canvas.Mean();
            return (canvas.LastMap, RegisteredMarkSearch.Detect(mean, valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, Key), canvas.Held);
        }
    }

    [Fact]
    public void A_copy_refreshed_block_by_block_is_registered_against_a_key_frame()
    {
        var id = MarkId.Compute(Key, "producer", "refresh");
        var (marked, last) = MarkedPan(MarkPayload.For(id, Key));
        Assert.InRange(last.OffsetX, -142, -140);
        var copy = RefreshedLate(marked);
        // A block is on average one frame late, so the copy's picture ends ≈ 3 px behind the embedder's map.
        double expectedX = last.OffsetX + 3, expectedY = last.OffsetY + 1;

        // Each frame against the one before: three in four blocks stand still in every step, the peak stays at 0 and the
        // chain loses most of the pan.
        var (chained, _, _) = Read(copy, new RegisteredCanvas(W, H));
        Assert.True(Math.Abs(chained.OffsetX - expectedX) > 40, $"the chained reader ended at {chained.OffsetX:0.0} px, expected far from {expectedX:0.0}");

        // Against a reference up to KeyFrameSteps frames back every block has been refreshed: the map follows the pan
        // to within the blocks' spread of ages (0-2 frames, 6 px). The mark itself is not asserted here: at 10-px cells the
        // blocks' ages smear it by up to 6 px in every frame, whatever the registration.
        var (keyed, _, _) = Read(copy, KeyFramed());
        Assert.InRange(keyed.OffsetX, expectedX - 3, expectedX + 3);
        Assert.InRange(keyed.OffsetY, expectedY - 3, expectedY + 3);
    }

    [Fact]
    public void A_copy_with_repeated_frames_is_followed()
    {
        var id = MarkId.Compute(Key, "producer", "repeat");
        var (marked, last) = MarkedPan(MarkPayload.For(id, Key));
        // Every fifth frame repeats the one before (a frame-rate conversion): a step of 0 in the middle of the pan, placed
        // where its reference is, and the next step, twice as long, measured from the same reference.
        var copy = new List<byte[]>();
        for (int k = 0; k < Frames; k++) copy.Add(marked[k % 5 == 4 ? k - 1 : k]);
        var (map, reading, _) = Read(copy, KeyFramed());
        Assert.InRange(map.OffsetX, last.OffsetX - 1, last.OffsetX + 1);
        Assert.InRange(map.OffsetY, last.OffsetY - 1, last.OffsetY + 1);
        Assert.NotNull(reading);
        Assert.Equal(id, reading.MarkId);
    }

    [Fact]
    public void A_still_picture_keeps_the_identity_map()
    {
        byte[] picture = ContentLockedMarkCodecTests.Picture(W, H, seed: 32);
        using var canvas = KeyFramed();
        for (int k = 0; k < 40; k++) canvas.Add(picture);
        canvas.Mean();
        Assert.Equal(FrameMap.Identity, canvas.LastMap);
        Assert.Equal(0, canvas.Moved);
        Assert.Equal(40, canvas.Frames);
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegisteredCanvas(W, H, keyFrameSteps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegisteredCanvas(W, H, holdSteps: -1));
    }
}
