using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The self-check's planes kept per thread (<see cref="SelfCheckScratch"/>): one check after another, of other
/// sizes (inside and above the kept region size) and other outcomes, answers as a check on fresh planes does —
/// a mark reads after a failed check, a wrong payload fails after a passed one — and a repeated small check
/// allocates less than one P² plane. Synthetic RGB images: a diagonal gradient with seeded noise (seeds 71-75).
/// </summary>
public sealed class SelfCheckScratchTests
{
    private static readonly MarkKey Key = MarkedSamples.TestKey(61);

    private static PixelBuffer Image(int width, int height, int seed)
    {
        var rng = new Random(seed);
        byte[] data = new byte[width * height * 3];
        for (int y = 0, i = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++, i++)
                    data[i] = (byte)Math.Clamp(60 + (x + y) * 120 / (width + height) + 30 * c + rng.Next(-12, 13), 0, 255);
        return new PixelBuffer(data, width, height, 3);
    }

    [Fact]
    public void Checks_in_a_row_of_other_sizes_and_outcomes_answer_as_on_fresh_planes()
    {
        var payload = MarkPayload.For(new MarkId(0x5eed_0000_5c4a_7c01), Key);
        var other = MarkPayload.For(new MarkId(0x5eed_0000_5c4a_7c02), Key);
        var small = Image(300, 260, 71);
        var large = Image(700, 620, 72);   // 700 × 620 > 512²: its region planes are allocated per call
        var unmarked = Image(280, 280, 73);
        var square = Image(256, 256, 74);
        foreach (var image in new[] { small, large, square }) ImageMarkEmbedder.Embed(image, Key, payload);

        Assert.True(ImageMarkDetector.ReadsBack(small, Key, payload));
        Assert.False(ImageMarkDetector.ReadsBack(small, Key, other));        // the same planes, another payload
        Assert.False(ImageMarkDetector.ReadsBack(unmarked, Key, payload));
        Assert.True(ImageMarkDetector.ReadsBack(large, Key, payload));       // after a failed check, a larger region
        Assert.True(ImageMarkDetector.ReadsBack(square, Key, payload));      // then a smaller one in the kept planes
        Assert.False(ImageMarkDetector.ReadsBack(unmarked, Key, payload));
        Assert.True(ImageMarkDetector.ReadsBack(small, Key, payload));

        // The same answers on a thread whose planes are new for each image.
        foreach ((PixelBuffer image, MarkPayload expected, bool reads) in new[] { (small, payload, true), (small, other, false),
                     (unmarked, payload, false), (large, payload, true), (square, payload, true) })
        {
            bool answer = false;
            var thread = new Thread(() => answer = ImageMarkDetector.ReadsBack(image, Key, expected));
            thread.Start();
            thread.Join();
            Assert.Equal(reads, answer);
        }
    }

    [Fact]
    public void A_repeated_small_check_allocates_less_than_one_fold_plane()
    {
        var payload = MarkPayload.For(new MarkId(0x5eed_0000_5c4a_7c03), Key);
        var image = Image(320, 288, 75);
        ImageMarkEmbedder.Embed(image, Key, payload);
        var keyMaterial = ImageMarkKeyMaterial.For(Key);
        Assert.True(ImageMarkDetector.ReadsBack(image, keyMaterial, payload));   // this thread's planes made here
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(ImageMarkDetector.ReadsBack(image, keyMaterial, payload));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Allocated per call, the planes were 3.3 MB here (eleven 256 KB planes and two region planes of 360 KB).
        Assert.True(allocated < ImageMarkLayout.Period * ImageMarkLayout.Period * sizeof(float), $"{allocated} bytes allocated");
    }
}
