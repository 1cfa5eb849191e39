using LabelStamp.Errors;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media.Images;
using LabelStamp.Tests.Images;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Tests.Explicit;

/// <summary>The visible label measured in the output pixels, not in our own geometry numbers.</summary>
public class VisibleLabelTests
{
    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    [InlineData(1080, 1920)]
    [InlineData(257, 1000)]
    public void Text_ink_is_at_least_5_percent_of_the_shorter_side(int width, int height)
    {
        var result = ImageFixtures.Stamp(ImageFixtures.Uniform(width, height, 128, "png"), "grey.png");
        using var img = Image.NewFromBuffer(result.Output);
        byte[] px = img.WriteToMemory<byte>();
        // On mid grey only the text reaches near-white; count the rows that hold any.
        int first = -1, last = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (px[(y * width + x) * 3] >= 230) { if (first < 0) first = y; last = y; break; }
        Assert.True(first >= 0, "no label text found");
        Assert.True(last - first + 1 >= Math.Ceiling(0.05 * Math.Min(width, height)), $"text height {last - first + 1} px on {width}×{height}");
        Assert.True(first > height / 2, "label is not at the bottom");
    }

    [Theory]
    [InlineData(255)]
    [InlineData(0)]
    [InlineData(200)]
    public void Plate_and_text_contrast_is_at_least_4_5_to_1_on_any_background(int background)
    {
        var result = ImageFixtures.Stamp(ImageFixtures.Uniform(800, 600, background, "png"), "bg.png");
        using var img = Image.NewFromBuffer(result.Output);
        byte[] px = img.WriteToMemory<byte>();
        int textMax = 0, plateMin = 255, plateAtCorner = -1;
        var overlay = ImageFixtures.Catalog.Renderer.Render(LabelWording.Default, new LabelPolicy().Font, LabelGeometry.TextHeight(800, 600, new LabelPolicy()), 0.6);
        int inset = LabelGeometry.Inset(800, 600, new LabelPolicy());
        int x0 = 800 - inset - overlay.Width, y0 = 600 - inset - overlay.Height;
        for (int y = y0; y < y0 + overlay.Height; y++)
            for (int x = x0; x < x0 + overlay.Width; x++)
            {
                int v = px[(y * 800 + x) * 3];
                textMax = Math.Max(textMax, v);
                if (overlay.TextMask[(y - y0) * overlay.Width + (x - x0)] == 0 && overlay.Alpha[(y - y0) * overlay.Width + (x - x0)] > 140) plateMin = Math.Min(plateMin, v);
            }
        plateAtCorner = px[((y0 + overlay.Height / 2) * 800 + x0 + 3) * 3];
        double ratio = LabelContrast.Ratio(LabelContrast.Luminance(textMax), LabelContrast.Luminance(plateAtCorner));
        Assert.True(ratio >= 4.5, $"contrast {ratio:0.00} on background {background}");
        Assert.True(textMax >= 250);
    }

    [Fact]
    public void A_font_without_cjk_glyphs_is_refused_instead_of_drawing_boxes()
    {
        var policy = new LabelPolicy { Font = "DejaVu Sans:style=Bold" };
        var e = Assert.Throws<LabelStampException>(() => ImageFixtures.Stamp(ImageFixtures.Uniform(400, 300, 100, "png"), "x.png", policy));
        Assert.Equal(ErrorCode.FontMissingGlyphs, e.Code);
        Assert.Contains("生成", e.Message);
        // The same font is fine for Latin wording.
        var latin = ImageFixtures.Stamp(ImageFixtures.Uniform(400, 300, 100, "png"), "x.png", policy with { Wording = new LabelWording("AI-generated") });
        Assert.NotEmpty(latin.Output);
        Assert.Equal(ErrorCode.FontNotFound, Assert.Throws<LabelStampException>(() =>
            ImageFixtures.Stamp(ImageFixtures.Uniform(400, 300, 100, "png"), "x.png", new LabelPolicy { Font = "No Such Font Family" })).Code);
    }

    [Fact]
    public void Detector_finds_our_label_after_jpeg_and_resize_and_nothing_on_unlabeled_photos()
    {
        var detector = new ExplicitLabelDetector(ImageFixtures.Catalog.Renderer);
        foreach (string name in new[] { "storm.jpg", "dune.jpg", "ladybird.jpg", "the-mouse.jpg", "goldfish.png", "arc-transparent.png" })
        {
            byte[] original = File.ReadAllBytes(RepoPaths.Samples("images", name));
            using (var plain = Image.NewFromBuffer(original))
                Assert.Null(detector.Detect(ToPixels(plain), LabelWording.Known, new LabelPolicy()));
            if (!name.EndsWith(".jpg", StringComparison.Ordinal)) continue;
            var stamped = ImageFixtures.Stamp(original, name);
            using var img = Image.NewFromBuffer(stamped.Output);
            using var attacked = Image.NewFromBuffer(img.Resize(0.5).JpegsaveBuffer(q: 70));
            var match = detector.Detect(ToPixels(attacked), LabelWording.Known, new LabelPolicy());
            Assert.NotNull(match);
            Assert.Equal("AI生成", match.Wording.Text);
        }
    }

    [Fact]
    public void Label_that_cannot_fit_is_a_typed_error()
    {
        var e = Assert.Throws<LabelStampException>(() => ImageFixtures.Stamp(ImageFixtures.Uniform(40, 400, 90, "png"), "thin.png"));
        Assert.Equal(ErrorCode.LabelDoesNotFit, e.Code);
    }

    private static PixelBuffer ToPixels(Image img) => new(img.WriteToMemory<byte>(), img.Width, img.Height, img.Bands);
}
