using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Video;

/// <summary>The tracker's vector kernels (the reduced planes' mean and window, the patches' column loop, the packed cross
/// power, the whitening) change its cost, not its maps: a synthetic pan, a zoom and a brightening run through the
/// tracker twice, once on the scalar loops they replaced, and every step's map and state must agree to the bit, at the
/// three reductions of the product's frame sizes (coarse d 8 / 15 / 30, patches d 1 / 2 / 3), with the embedder's,
/// the registered reader's and the zoom-following settings.</summary>
public class ReducedPhaseTrackerExactnessTests
{
    public static TheoryData<int, int> Sizes => new() { { 960, 540 }, { 1920, 1080 }, { 3840, 2160 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Vector_kernels_track_as_the_scalar_loops_to_the_bit(int w, int h)
    {
        var frames = Frames(w, h, seed: 18);
        foreach (var make in Settings)
        {
            using ReducedPhaseTracker vector = make(w, h, false), scalar = make(w, h, true);
            int moved = 0;
            foreach (byte[] frame in frames)
            {
                var a = vector.Step(frame);
                var b = scalar.Step(frame);
                Assert.Equal(State(scalar, b), State(vector, a));
                if (a.Tx != 0 || a.Ty != 0) moved++;
            }
            // The pan is followed, so the comparison covered measured steps, not only the first frame's identity.
            Assert.True(moved >= frames.Length / 3, $"{moved} of {frames.Length} steps moved at {w}×{h}");
        }
    }

    private static readonly Func<int, int, bool, ReducedPhaseTracker>[] Settings =
    [
        (w, h, r) => new(w, h) { MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels, DropOnePatch = true, HoldOnZoom = true, ReferenceLoops = r },
        (w, h, r) => new(w, h)
        {
            DropOnePatch = true, AvoidCorners = true, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels,
            KeyFrameSteps = RegisteredCanvas.KeyFrameSteps, ReferenceHoldSteps = RegisteredCanvas.HoldSteps, ReferenceLoops = r,
        },
        (w, h, r) => new(w, h) { FollowZoom = true, DropOnePatch = true, ReferenceLoops = r },
    ];

    private static long[] State(ReducedPhaseTracker t, (double S, double Tx, double Ty) m)
    {
        var fit = t.LastFit ?? (0, 0, 0, 0, 0);
        return [.. new[] { m.S, m.Tx, m.Ty, t.LastCoarseSnr, t.LastZoom, fit.Alpha, fit.Residual, fit.Reach, fit.MeanX, fit.MeanY }
            .Select(BitConverter.DoubleToInt64Bits), t.LastSharpPatches, (long)t.LastKind, t.LastReferenceKept ? 1 : 0];
    }

    /// <summary>16 frames of a textured picture (bilinear random grid of 24-px cells plus fine noise, seeded): 9 frames
    /// panning by (5, −3) px a frame, 4 zooming in by 1.5 % a frame about the centre, 3 of the pan again with the picture
    /// brightened towards white (a bright 4K coarse plane sums past its exact bound, so the mean's fallback runs too);
    /// each frame with its own ±2 noise.</summary>
    private static byte[][] Frames(int w, int h, int seed)
    {
        var rng = new Random(seed);
        int sw = w + 200, sh = h + 200, cell = 24, gw = sw / cell + 2, gh = sh / cell + 2;
        var grid = new double[gw * gh];
        for (int i = 0; i < grid.Length; i++) grid[i] = rng.NextDouble() * 200 + 20;
        var src = new byte[sw * sh];
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++)
            {
                int gx = x / cell, gy = y / cell;
                double fx = (x % cell) / (double)cell, fy = (y % cell) / (double)cell;
                double v = (1 - fy) * ((1 - fx) * grid[gy * gw + gx] + fx * grid[gy * gw + gx + 1])
                    + fy * ((1 - fx) * grid[(gy + 1) * gw + gx] + fx * grid[(gy + 1) * gw + gx + 1]);
                src[y * sw + x] = (byte)Math.Clamp(v + rng.Next(-12, 13), 0, 255);
            }
        var frames = new byte[16][];
        int ox = 20, oy = 150;
        for (int k = 0; k < frames.Length; k++)
        {
            var f = new byte[w * h];
            bool zoom = k is >= 9 and < 13, bright = k >= 13;
            if (!zoom) { ox += 5; oy -= 3; }
            double s = zoom ? 1 + 0.015 * (k - 8) : 1, cx = ox + w / 2.0, cy = oy + h / 2.0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int sx = (int)Math.Clamp(cx + (x - w / 2.0) / s, 0, sw - 1), sy = (int)Math.Clamp(cy + (y - h / 2.0) / s, 0, sh - 1);
                    int v = src[sy * sw + sx] + rng.Next(-2, 3);
                    if (bright) v = 255 - (255 - v) / 4;
                    f[y * w + x] = (byte)Math.Clamp(v, 0, 255);
                }
            frames[k] = f;
        }
        return frames;
    }
}
