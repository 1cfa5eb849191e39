using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Tests.Video;

/// <summary>The content-locked mark in memory, no codec: frames cut from a larger smooth random picture at a moving
/// offset (a pan), marked through the tracker's maps, registered and read back; fixed seeds.</summary>
public class ContentLockedMarkCodecTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private static readonly MarkKey OtherKey = MarkKey.FromBytes(Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());
    private const int W = 640, H = 360, Frames = 48;

    /// <summary>A smooth random picture (box-blurred noise, three passes) of w × h, values about 40–215.</summary>
    internal static byte[] Picture(int w, int h, int seed)
    {
        var rng = new Random(seed);
        float[] a = new float[w * h], b = new float[w * h];
        for (int i = 0; i < a.Length; i++) a[i] = rng.Next(256);
        for (int pass = 0; pass < 3; pass++)
        {
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                int n = 0;
                for (int d = -3; d <= 3; d++)
                {
                    int xx = x + d;
                    if ((uint)xx < (uint)w) { s += a[y * w + xx]; n++; }
                }
                b[y * w + x] = s / n;
            }
            for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float s = 0;
                int n = 0;
                for (int d = -3; d <= 3; d++)
                {
                    int yy = y + d;
                    if ((uint)yy < (uint)h) { s += b[yy * w + x]; n++; }
                }
                a[y * w + x] = s / n;
            }
        }
        // Stretch the blurred noise's narrow range back to a picture's contrast.
        float lo = float.MaxValue, hi = float.MinValue;
        foreach (float v in a) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.Length; i++) p[i] = (byte)(40 + 175 * (a[i] - lo) / (hi - lo));
        return p;
    }

    /// <summary>Frame k of a pan: the W × H window of the picture at (3k, k) px, i.e. content moving (−3, −1) px a frame.</summary>
    private static byte[] Window(byte[] picture, int pw, int k)
    {
        byte[] f = new byte[W * H];
        for (int y = 0; y < H; y++) Array.Copy(picture, (y + k) * pw + 3 * k, f, y * W, W);
        return f;
    }

    private static (List<byte[]> Marked, List<FrameMap> Maps) MarkedPan(MarkPayload payload)
    {
        int pw = W + 3 * Frames, ph = H + Frames;
        byte[] picture = Picture(pw, ph, seed: 11);
        using var embedder = new ContentLockedMarkEmbedder(Key, payload, W, H);
        var marked = new List<byte[]>();
        var maps = new List<FrameMap>();
        for (int k = 0; k < Frames; k++)
        {
            byte[] f = Window(picture, pw, k);
            var map = embedder.Track(f);
            embedder.Embed(f, map);
            marked.Add(f);
            maps.Add(map);
        }
        return (marked, maps);
    }

    [Fact]
    public void The_tracker_follows_the_pan_and_the_registered_canvas_reads_the_mark()
    {
        var id = MarkId.Compute(Key, "producer", "pan");
        var payload = MarkPayload.For(id, Key);
        var (marked, maps) = MarkedPan(payload);
        // The content moves (−3, −1) px a frame: the map after 47 steps is within a pixel of (−141, −47).
        Assert.InRange(maps[^1].OffsetX, -142, -140);
        Assert.InRange(maps[^1].OffsetY, -48, -46);
        Assert.Equal(1.0, maps[^1].Scale);

        using var canvas = new RegisteredCanvas(W, H);
        foreach (var f in marked) canvas.Add(f);
        Assert.Equal(Frames, canvas.Frames);
        Assert.True(canvas.Width > W && canvas.Height > H, "the canvas grew with the pan");
        var (mean, valid) = canvas.Mean();
        var reading = RegisteredMarkSearch.Detect(mean, valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, Key);
        Assert.NotNull(reading);
        Assert.Equal(id, reading.MarkId);
        Assert.Equal(FalsePositiveBound.ComputeWithKeyNibble(RegisteredMarkSearch.Candidates), reading.FalsePositiveProbability);
        Assert.Null(RegisteredMarkSearch.Detect(mean, valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, OtherKey));
    }

    [Fact]
    public void Unmarked_frames_read_nothing()
    {
        int pw = W + 3 * Frames, ph = H + Frames;
        byte[] picture = Picture(pw, ph, seed: 12);
        using var canvas = new RegisteredCanvas(W, H);
        for (int k = 0; k < Frames; k++) canvas.Add(Window(picture, pw, k));
        var (mean, valid) = canvas.Mean();
        Assert.Null(RegisteredMarkSearch.Detect(mean, valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, Key));
    }

    [Fact]
    public void Still_frames_keep_the_identity_map_and_the_static_grid()
    {
        var payload = MarkPayload.For(MarkId.Compute(Key, "producer", "still"), Key);
        byte[] picture = Picture(W, H, seed: 13);
        using var embedder = new ContentLockedMarkEmbedder(Key, payload, W, H);
        for (int k = 0; k < 5; k++) Assert.Equal(FrameMap.Identity, embedder.Track(picture));
        Assert.Equal(0, embedder.MovedFrames);
        // Drawn through the identity, the pattern is the static mark's grid: the static detector reads a flat plane so marked.
        byte[] plane = new byte[W * H];
        Array.Fill(plane, (byte)128);
        embedder.Embed(plane, FrameMap.Identity);
        float[] mean = Array.ConvertAll(plane, v => (float)v);
        Assert.Equal(payload.MarkId, VideoMarkDetector.Detect(mean, W, H, Key)?.MarkId);
    }

    /// <summary>Frame k of a zoom in by 0.4 % a frame about the top-left corner (as the corpus's zooms do): pixel (x, y)
    /// shows the picture at (x, y) / 1.004^k, bilinear.</summary>
    private static byte[] Zoomed(byte[] picture, int pw, int k)
    {
        double inv = Math.Pow(1.004, -k);
        byte[] f = new byte[W * H];
        for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
        {
            double sx = x * inv, sy = y * inv;
            int x0 = (int)sx, y0 = (int)sy;
            double fx = sx - x0, fy = sy - y0;
            int i = y0 * pw + x0;
            double v = (1 - fy) * ((1 - fx) * picture[i] + fx * picture[i + 1]) + fy * ((1 - fx) * picture[i + pw] + fx * picture[i + pw + 1]);
            f[y * W + x] = (byte)Math.Round(v);
        }
        return f;
    }

    [Fact]
    public void A_zoom_is_followed_with_its_scale_or_held_for_the_shot()
    {
        const int frames = 24;
        int pw = W + 2, ph = H + 2;
        byte[] picture = Picture(pw, ph, seed: 23);
        var payload = MarkPayload.For(MarkId.Compute(Key, "producer", "zoom"), Key);
        using var following = new ContentLockedMarkEmbedder(Key, payload, W, H, followZoom: true);
        using var holding = new ContentLockedMarkEmbedder(Key, payload, W, H);
        FrameMap last = FrameMap.Identity, held = FrameMap.Identity;
        for (int k = 0; k < frames; k++)
        {
            byte[] f = Zoomed(picture, pw, k);
            last = following.Track(f);
            held = holding.Track(f);
        }
        // Zoomed() scales the picture by 1.004 a frame about its top-left pixel: after 23 steps the content's scale is
        // 1.004^23 ≈ 1.096, and a point at the frame's centre has moved away from the corner by (scale − 1) times its
        // distance from it.
        double scale = Math.Pow(1.004, frames - 1);
        Assert.InRange(last.Scale, scale - 0.01, scale + 0.01);
        Assert.InRange(last.OffsetX, (scale - 1) * (W / 2.0) - 3, (scale - 1) * (W / 2.0) + 3);
        Assert.InRange(last.OffsetY, (scale - 1) * (H / 2.0) - 3, (scale - 1) * (H / 2.0) + 3);
        // The product's setting: the shot is taken as a zoom and the map holds at the identity (the static grid).
        Assert.True(holding.HeldForZoom);
        Assert.Equal(FrameMap.Identity, held);
    }

    [Fact]
    public void A_map_composes_steps_in_order()
    {
        var m = FrameMap.Identity.Then(1, 2, -1).Then(1.5, 1, 0);
        Assert.Equal(new FrameMap(1.5, 4, -1.5), m);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var payload = MarkPayload.For(MarkId.Compute(Key, "p", "x"), Key);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentLockedMarkEmbedder(Key, payload, 200, 120));
        using var embedder = new ContentLockedMarkEmbedder(Key, payload, W, H);
        Assert.Throws<ArgumentException>(() => embedder.Track(new byte[W * H - 1]));
        Assert.Throws<ArgumentException>(() => embedder.Embed(new byte[10], FrameMap.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.Embed(new byte[W * H], new FrameMap(0, 0, 0)));
        using var canvas = new RegisteredCanvas(W, H);
        Assert.Throws<ArgumentException>(() => canvas.Add(new byte[5]));
    }
}
