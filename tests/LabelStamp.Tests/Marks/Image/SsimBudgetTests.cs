using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The embedder's SSIM budget on the content that used to break SSIM ≥ 0.98: a flat image (a smooth
/// sky gradient), a dark one (levels 0-14) and transparent art (an opaque disc on a transparent
/// canvas). Each must keep PSNR ≥ 40 dB and SSIM as displayed ≥ 0.98 and still be read back
/// (self-check) and detected with its ID. The content noise uses fixed seeds (41, 43, 47).
/// </summary>
public class SsimBudgetTests
{
    private static readonly MarkKey Key = MarkedSamples.TestKey(5);

    public static TheoryData<string> Contents => new() { "flat", "dark", "transparent" };

    private static PixelBuffer Make(string content, int size = 512)
    {
        switch (content)
        {
            case "flat":
            {
                var rng = new Random(41);
                var p = new PixelBuffer(new byte[size * size * 3], size, size, 3);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        int o = (y * size + x) * 3, v = 150 + y * 60 / size + (rng.Next(8) == 0 ? 1 : 0);
                        p.Data[o] = (byte)(v - 40); p.Data[o + 1] = (byte)(v - 10); p.Data[o + 2] = (byte)v;
                    }
                return p;
            }
            case "dark":
            {
                var rng = new Random(43);
                var p = new PixelBuffer(new byte[size * size * 3], size, size, 3);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        int o = (y * size + x) * 3, v = Math.Clamp(x * 10 / size + rng.Next(-2, 5), 0, 255);
                        p.Data[o] = p.Data[o + 1] = p.Data[o + 2] = (byte)v;
                    }
                return p;
            }
            default:
            {
                var rng = new Random(47);
                var p = new PixelBuffer(new byte[size * size * 4], size, size, 4);
                double c = size / 2.0, r = size * 0.35;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        int o = (y * size + x) * 4;
                        double d = Math.Sqrt((x - c) * (x - c) + (y - c) * (y - c));
                        if (d > r + 1) continue;   // transparent black, as exported art has it
                        p.Data[o] = (byte)(200 + rng.Next(-20, 21)); p.Data[o + 1] = (byte)(90 + x * 80 / size); p.Data[o + 2] = 40;
                        p.Data[o + 3] = (byte)(d <= r ? 255 : 128);
                    }
                return p;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Contents))]
    public void Keeps_ssim_as_displayed_and_psnr_and_is_still_read(string content)
    {
        PixelBuffer original = Make(content);
        var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
        var id = MarkId.Compute(Key, "ssim-budget", content);
        MarkEmbedding embedding = new ImageWatermark().Embed(marked, Key, id);

        double psnr = ImageQuality.Psnr(original, marked), ssim = ImageQuality.SsimDisplayed(original, marked);
        Assert.True(psnr >= 40, $"{content}: PSNR {psnr:F2} dB");
        Assert.True(ssim >= 0.98, $"{content}: SSIM as displayed {ssim:F4}");
        Assert.True(embedding.Readable, $"{content}: {embedding.Reason}");
        ImageMarkDetection? d = ImageMarkDetector.Detect(marked, Key);
        Assert.NotNull(d);
        Assert.Equal(MarkPayload.For(id, Key), d.Payload);
    }

    /// <summary>On a black image every chip costs more than the budget allows at ±1, yet the whole-level
    /// cap must not drop the mark everywhere: the dither keeps ±1 on a share of the blocks, and the
    /// predicted mean loss stays within the budget.</summary>
    [Fact]
    public void Black_image_keeps_a_dithered_share_of_blocks_within_the_budget()
    {
        var black = new PixelBuffer(new byte[256 * 256 * 3], 256, 256, 3);
        BlockStatistics stats = BlockStatistics.Measure(black, 8, VectorWidth.Auto);
        byte[] gains = Enumerable.Repeat((byte)2, 32 * 32).ToArray();   // amplitude 1 everywhere
        Assert.Equal(1, SsimBudget.AmplitudeOf(2));
        Assert.True(stats.Loss(0, 1) > SsimBudget.MeanLoss, "a black block at ±1 must exceed the budget for this test to mean anything");

        SsimBudget.Apply(stats, gains, 32);

        int marked = gains.Count(g => SsimBudget.AmplitudeOf(g) == 1);
        Assert.InRange(marked, 32 * 32 / 8, 32 * 32 - 1);
        double mean = Enumerable.Range(0, gains.Length).Average(b => stats.Loss(b, SsimBudget.AmplitudeOf(gains[b])));
        Assert.True(mean <= SsimBudget.MeanLoss, $"predicted mean loss {mean:F4}");
    }

    /// <summary>Fully transparent blocks are invisible as displayed, so the budget leaves them their chips
    /// (the detector reads colour regardless of alpha), however flat their hidden colour is.</summary>
    [Fact]
    public void Fully_transparent_blocks_cost_nothing_and_keep_their_amplitude()
    {
        var clear = new PixelBuffer(new byte[64 * 64 * 4], 64, 64, 4);
        BlockStatistics stats = BlockStatistics.Measure(clear, 8, VectorWidth.Auto);
        byte[] gains = Enumerable.Repeat((byte)20, 8 * 8).ToArray();
        SsimBudget.Apply(stats, gains, 8);
        Assert.All(gains, g => Assert.Equal(20, g));
        Assert.Equal(0, stats.Loss(0, 10));
    }

    /// <summary>The budget's lanes (<see cref="SsimCaps"/>) and its scalar formula for blocks outside their domain
    /// give the same gains at every width: on the transparent disc (fully transparent blocks have no chip energy
    /// and take the scalar path) and the dark ramp, with every block planned high so the bisection runs.</summary>
    [Theory]
    [InlineData("transparent")]
    [InlineData("dark")]
    public void Every_width_caps_the_same_blocks_to_the_same_gains(string content)
    {
        PixelBuffer image = Make(content, 200);
        int bw = 25;
        BlockStatistics stats = BlockStatistics.Measure(image, 8, VectorWidth.Auto);
        byte[] planned = new byte[bw * bw];
        new Random(53).NextBytes(planned);
        byte[] scalar = (byte[])planned.Clone();
        SsimBudget.Apply(stats, scalar, bw, SsimBudget.MeanLoss, VectorWidth.Scalar);
        Assert.NotEqual(planned, scalar);   // the budget bound
        foreach (VectorWidth width in new[] { VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
        {
            byte[] gains = (byte[])planned.Clone();
            SsimBudget.Apply(stats, gains, bw, SsimBudget.MeanLoss, width);
            Assert.Equal(scalar, gains);
        }
    }
}
