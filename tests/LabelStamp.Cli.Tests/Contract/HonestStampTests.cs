using System.Text.Json;
using LabelStamp.TestSupport;
using NetVips;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Spec §5: `stamp` never claims a layer it could not apply readably. An image below the
/// watermark's 256 px minimum side is stamped with every other layer; its line says the watermark was
/// not applied and why, and neither the layer list nor the C2PA manifest (soft binding) names it.</summary>
public sealed class HonestStampTests
{
    [Fact]
    public void Too_small_for_the_watermark_says_so_and_the_manifest_does_not_claim_it()
    {
        string dir = RepoPaths.NewTempDir();
        string small = Path.Combine(dir, "thumb.png");
        string big = Path.Combine(dir, "photo.jpg");
        using (var photo = Image.NewFromFile(Path.Combine(RepoPaths.Root, "tests", "fixtures", "images", "photo-01-384x384.webp")))
        {
            using var thumb = photo.Resize(200.0 / 384);
            thumb.WriteToFile(small);
            photo.WriteToFile(big);
        }
        string output = Path.Combine(dir, "out");
        var stamp = CliRun.Run("stamp", small, big, "-o", output);
        Assert.True(stamp.Code == 0, stamp.Err);
        string smallLine = stamp.Out.Split('\n').Single(l => l.Contains("thumb.png", StringComparison.Ordinal));
        string bigLine = stamp.Out.Split('\n').Single(l => l.Contains("photo.jpg", StringComparison.Ordinal));
        Assert.Contains("[explicit,metadata,c2pa]", smallLine);
        Assert.Contains("watermark not applied: 200x200 is below the 256 px minimum side", smallLine);
        Assert.Contains("[explicit,metadata,watermark,c2pa]", bigLine);
        Assert.DoesNotContain("not applied", bigLine);

        var verify = CliRun.Run("verify", "--json", Path.Combine(output, "thumb.png"), Path.Combine(output, "photo.jpg"));
        using var doc = JsonDocument.Parse(verify.Out);
        var thumbReport = doc.RootElement[0];
        Assert.Equal("not-found", thumbReport.GetProperty("watermark").GetProperty("state").GetString());
        var c2pa = thumbReport.GetProperty("provenance");
        Assert.Equal("found", c2pa.GetProperty("state").GetString());
        Assert.False(c2pa.GetProperty("details").TryGetProperty("softBindingMarkId", out _), "soft binding written for a file without a watermark");
        var photoReport = doc.RootElement[1];
        Assert.Equal("found", photoReport.GetProperty("watermark").GetProperty("state").GetString());
        Assert.True(photoReport.GetProperty("provenance").GetProperty("details").GetProperty("softBindingMatchesWatermark").GetBoolean());
    }
}
