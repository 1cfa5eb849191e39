using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Video;

/// <summary>Verify's two registered canvases built together (<see cref="RegisteredCanvasPair"/>, issue 18 round 16): each
/// must hold exactly what a canvas of its own, fed the same frames, holds; the key-frame canvas sums nothing while the two
/// place every frame alike; a mean taken in place equals the mean; the search's cell statistic, one phase or a row of six
/// in one pass, equals a plain recomputation.
/// In memory, fixed seeds.</summary>
public class RegisteredCanvasPairTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(60, 32).Select(i => (byte)i).ToArray());

    /// <summary>A marked pan: content moving (dx, −1) px a frame (dx may be fractional: the picture interpolated between
    /// whole columns), the content-locked mark drawn through its embedder's maps; every <paramref name="freezeEvery"/>-th
    /// frame repeats the one before (0: none).</summary>
    private static List<byte[]> Pan(int w, int h, int frames, double dx, int freezeEvery, int seed)
    {
        int pw = w + (int)Math.Ceiling(dx * frames) + 1, ph = h + frames;
        byte[] picture = ContentLockedMarkCodecTests.Picture(pw, ph, seed);
        var id = MarkId.Compute(Key, "producer", "pair" + seed);
        using var embedder = new ContentLockedMarkEmbedder(Key, MarkPayload.For(id, Key), w, h);
        var marked = new List<byte[]>();
        for (int k = 0; k < frames; k++)
        {
            int ox = (int)Math.Floor(dx * k);
            double a = dx * k - ox;
            byte[] f = new byte[w * h];
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int p = (y + k) * pw + ox + x;
                f[y * w + x] = (byte)Math.Round((1 - a) * picture[p] + a * picture[p + 1]);
            }
            embedder.Embed(f, embedder.Track(f));
            marked.Add(f);
        }
        if (freezeEvery > 0)
            for (int k = freezeEvery - 1; k < frames; k += freezeEvery) marked[k] = marked[k - 1];
        return marked;
    }

    private static (float[] Mean, bool[] Valid, int Width, int Height, FrameMap Last, int Moved, int Held) Alone(List<byte[]> frames, RegisteredCanvas canvas)
    {
        using (canvas)
        {
            foreach (var f in frames) canvas.Add(f);
            var (mean, valid) = canvas.Mean();
            return (mean, valid, canvas.Width, canvas.Height, canvas.LastMap, canvas.Moved, canvas.Held);
        }
    }

    private static void AssertSame((float[] Mean, bool[] Valid, int Width, int Height, FrameMap Last, int Moved, int Held) alone, RegisteredCanvas paired)
    {
        Assert.Equal((alone.Width, alone.Height), (paired.Width, paired.Height));
        Assert.Equal(alone.Last, paired.LastMap);
        Assert.Equal((alone.Moved, alone.Held), (paired.Moved, paired.Held));
        var (mean, valid) = paired.MeanInPlace();
        int n = alone.Width * alone.Height;
        Assert.Equal(alone.Valid, valid.AsSpan(0, n).ToArray());
        // To the bit: the same frames summed in the same order at the same pixels.
        for (int p = 0; p < n; p++)
            if (BitConverter.SingleToInt32Bits(alone.Mean[p]) != BitConverter.SingleToInt32Bits(mean[p]))
                Assert.Fail($"pixel {p}: {mean[p]} in the pair, {alone.Mean[p]} alone");
    }

    [Theory]
    [InlineData(640, 360, 2.5, 0)]   // a plain pan at half-pixel steps
    [InlineData(640, 360, 2.5, 4)]   // every 4th frame repeated
    [InlineData(2048, 1152, 5.5, 5)] // above 1920 × 1088: halved once for both canvases
    public void Each_canvas_holds_what_it_would_hold_alone(int w, int h, double dx, int freezeEvery)
    {
        var frames = Pan(w, h, w > 1920 ? 14 : 36, dx, freezeEvery, seed: 41 + freezeEvery);
        AssertPairMatches(frames, w, h);
    }

    [Fact]
    public void A_copy_refreshed_late_parts_the_canvases_and_each_holds_its_own_sums()
    {
        // The copy where the chain loses the pan and the key-frame registration follows it (RegisteredCanvasRefreshTests):
        // the two must place frames apart, and the key-frame canvas, summing from a copy of the chain's, must still hold
        // its own registration's sums to the bit.
        int w = RegisteredCanvasRefreshTests.W, h = RegisteredCanvasRefreshTests.H;
        var (marked, _) = RegisteredCanvasRefreshTests.MarkedPan(MarkPayload.For(MarkId.Compute(Key, "producer", "late"), Key));
        var pair = AssertPairMatches(RegisteredCanvasRefreshTests.RefreshedLate(marked), w, h);
        Assert.False(pair.KeyFramedIsChained);
    }

    /// <summary>Feeds the frames to a pair and to one canvas of each kind alone, and compares them.</summary>
    private static RegisteredCanvasPair AssertPairMatches(List<byte[]> frames, int w, int h)
    {
        var chained = Alone(frames, new RegisteredCanvas(w, h));
        var keyed = Alone(frames, new RegisteredCanvas(w, h, keyFrameSteps: RegisteredCanvas.KeyFrameSteps, holdSteps: RegisteredCanvas.HoldSteps));
        var pair = new RegisteredCanvasPair(w, h);
        using (pair)
        {
            foreach (var f in frames) pair.Add(f);
            Assert.Equal(frames.Count, pair.Chained.Frames);
            Assert.Equal(frames.Count, pair.KeyFramed!.Frames);
            AssertSame(chained, pair.Chained);
            if (pair.KeyFramedIsChained)
            {
                // Never placed apart: the key-frame canvas alone is the chained one.
                Assert.Equal(frames.Count, pair.SharedFrames);
                Assert.Equal((chained.Width, chained.Height), (keyed.Width, keyed.Height));
                Assert.Equal(chained.Mean.AsSpan(0, chained.Width * chained.Height).ToArray(), keyed.Mean.AsSpan(0, keyed.Width * keyed.Height).ToArray());
            }
            else
            {
                Assert.InRange(pair.SharedFrames, 1, frames.Count - 1);
                AssertSame(keyed, pair.KeyFramed);
            }
        }
        return pair;
    }

    [Fact]
    public void A_still_picture_builds_one_canvas()
    {
        byte[] picture = ContentLockedMarkCodecTests.Picture(640, 360, seed: 43);
        using var pair = new RegisteredCanvasPair(640, 360);
        for (int k = 0; k < 30; k++) pair.Add(picture);
        Assert.True(pair.KeyFramedIsChained);
        Assert.Equal(30, pair.SharedFrames);
        Assert.Equal(30, pair.KeyFramed!.Frames);
        // The key-frame canvas never summed: it has no extent of its own.
        Assert.Equal(0, pair.KeyFramed.Width * pair.KeyFramed.Height);
    }

    [Fact]
    public void Without_the_key_frame_canvas_only_the_chain_is_built()
    {
        var frames = Pan(640, 360, 12, 3, 0, seed: 44);
        var chained = Alone(frames, new RegisteredCanvas(640, 360));
        using var pair = new RegisteredCanvasPair(640, 360, keyFramed: false);
        foreach (var f in frames) pair.Add(f);
        Assert.Null(pair.KeyFramed);
        Assert.False(pair.KeyFramedIsChained);
        AssertSame(chained, pair.Chained);
    }

    [Fact]
    public void A_mean_taken_in_place_ends_the_canvas()
    {
        using var canvas = new RegisteredCanvas(640, 360);
        canvas.Add(ContentLockedMarkCodecTests.Picture(640, 360, seed: 45));
        canvas.MeanInPlace();
        Assert.Throws<InvalidOperationException>(() => canvas.Add(new byte[640 * 360]));
        Assert.Throws<InvalidOperationException>(() => canvas.MeanInPlace());
        Assert.Throws<InvalidOperationException>(() => canvas.Mean());
    }

    [Fact]
    public void The_cell_statistic_is_the_plain_computation()
    {
        // A canvas with uncovered pixels (a border and a hole), values with fractions, as a registered mean has.
        int w = 301, h = 177;
        var rng = new Random(46);
        float[] mean = new float[w * h];
        bool[] valid = new bool[w * h];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            valid[y * w + x] = x >= 7 && y >= 3 && !(x > 100 && x < 140 && y > 60 && y < 90);
            if (valid[y * w + x]) mean[y * w + x] = (float)(rng.NextDouble() * 255);
        }
        foreach (var (cx, cy, px, py) in new[] { (10.0, 10.0, 0.0, 0.0), (10.25, 9.8, 3.4, 1.7), (11.9, 12.1, 9.5, 11.0) })
        {
            float[]? got = RegisteredMarkSearch.CellValues(mean, valid, w, h, cx, cy, px, py, out int nx, out int ny);
            float[] want = PlainCellValues(mean, valid, w, h, cx, cy, px, py, out int wx, out int wy);
            Assert.Equal((wx, wy), (nx, ny));
            Assert.NotNull(got);
            Assert.Equal(want, got);
            // The search's pass: six column phases within a cell at once, each equal to its own plain computation.
            double[] pxs = new double[6];
            for (int f = 0; f < 6; f++) pxs[f] = f * cx / 6 + px / 8;
            var nxs = new int[6];
            var row = RegisteredMarkSearch.CellValues(mean, valid, w, h, cx, cy, pxs, py, nxs, out int rowNy);
            for (int f = 0; f < 6; f++)
            {
                float[] one = PlainCellValues(mean, valid, w, h, cx, cy, pxs[f], py, out int fx, out int fy);
                Assert.Equal((fx, fy), (nxs[f], rowNy));
                Assert.Equal(one, row[f]);
            }
        }
    }

    /// <summary>The cell statistic written out directly (per cell: sin²-weighted mean − mean, over median texture + texture;
    /// NaN under 90 % coverage), with the sums in row-major pixel order.</summary>
    private static float[] PlainCellValues(float[] m, bool[] ok, int w, int h, double cellX, double cellY, double phaseX, double phaseY, out int nx, out int ny)
    {
        nx = (int)Math.Ceiling((w - phaseX) / cellX) + 1;
        ny = (int)Math.Ceiling((h - phaseY) / cellY) + 1;
        int n = nx * ny;
        double[] wsum = new double[n], ws = new double[n], plain = new double[n], tex = new double[n];
        int[] cnt = new int[n];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            if (!ok[y * w + x]) continue;
            double qx = (x + 0.5 - phaseX) / cellX + 1, qy = (y + 0.5 - phaseY) / cellY + 1;
            int ix = (int)Math.Floor(qx), iy = (int)Math.Floor(qy);
            double sx = Math.Sin(Math.PI * (qx - ix)), sy = Math.Sin(Math.PI * (qy - iy));
            float wxy = (float)(sy * sy) * (float)(sx * sx);
            int c = iy * nx + ix;
            float v = m[y * w + x];
            wsum[c] += wxy * v;
            ws[c] += wxy;
            plain[c] += v;
            cnt[c]++;
            if (x + 1 < w && y + 1 < h && ok[y * w + x + 1] && ok[(y + 1) * w + x])
                tex[c] += Math.Abs(m[y * w + x + 1] - v) + Math.Abs(m[(y + 1) * w + x] - v);
        }
        float[] stat = new float[n], t = new float[n];
        var kept = new List<float>();
        for (int c = 0; c < n; c++)
        {
            if (cnt[c] < 0.9 * cellX * cellY || ws[c] <= 0) { stat[c] = float.NaN; continue; }
            stat[c] = (float)(wsum[c] / ws[c] - plain[c] / cnt[c]);
            t[c] = (float)(tex[c] / cnt[c]);
            kept.Add(t[c]);
        }
        kept.Sort();
        float floor = Math.Max(kept[kept.Count / 2], 0.05f);
        for (int c = 0; c < n; c++) if (!float.IsNaN(stat[c])) stat[c] /= floor + t[c];
        return stat;
    }
}
