using System.Buffers.Binary;
using System.Text;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media.Images;
using LabelStamp.Tests.Audio;
using LabelStamp.Tests.Images;
using LabelStamp.TestSupport;
using LabelStamp.Verification;
using LabelStamp.Verification.Conformance;
using NetVips;

namespace LabelStamp.Tests.Verification;

/// <summary>
/// The conformance checklist judged on hand-made files, each built to break one rule: a label in the middle
/// of the picture, one drawn at 3 % of the shorter side, one on a plate too light to read, an opening label
/// that leaves after 1.5 s, a WAV without a prompt, and AIGC records each with one defect. Every file goes
/// through the real verifier (decoders, detectors, metadata readers), so the rows are judged on what verify
/// measured. A fully stamped image is the control: nothing fails and nothing is left unmeasured.
/// </summary>
public class ConformanceRulesTests : IClassFixture<Provenance.C2paFixture>
{
    private readonly Provenance.C2paFixture _c2pa;

    public ConformanceRulesTests(Provenance.C2paFixture c2pa) => _c2pa = c2pa;

    private static readonly MarkKey Key = ImageFixtures.Key;
    private static readonly LabelPolicy Policy = new();
    private const string Producer = ImageFixtures.Producer;

    private static ConformanceReport Check(byte[] file, string name, bool withKey = true)
    {
        var report = Verify(file, name, withKey);
        Assert.True(report.ErrorCode is null, report.Error);
        return ConformanceRules.Evaluate(report);
    }

    private static VerifyReport Verify(byte[] file, string name, bool withKey = true) =>
        ImageFixtures.Catalog.CreateVerifier().VerifyAsync(file, name, new VerifyOptions { Key = withKey ? Key : null }).GetAwaiter().GetResult();

    private static void AssertStatus(ConformanceReport r, string id, ConformanceStatus status) =>
        Assert.True(r[id].Status == status, $"{id}: {ConformanceRules.Word(r[id].Status)} ({r[id].Evidence}), expected {ConformanceRules.Word(status)}");

    [Fact]
    public async Task A_fully_stamped_image_passes_every_check_it_applies_to()
    {
        var stamper = ImageFixtures.Catalog.CreateStamper(Key, provenance: _c2pa.Writer);
        var stamped = await stamper.StampAsync(ImageFixtures.Uniform(800, 600, 150, "jpeg"), "grey.jpg", new Pipeline.StampRequest("c-1", Producer, Policy));
        var r = Check(stamped.Output, "grey.jpg");
        Assert.DoesNotContain(r.Checks, c => c.Status is ConformanceStatus.Fail or ConformanceStatus.NotMeasured);
        Assert.Equal(new HashSet<string> { "explicit.audio-prompt", "explicit.opening-duration", "aigc.reserved-code2" },
            r.Checks.Where(c => c.Status == ConformanceStatus.NotApplicable).Select(c => c.Id).ToHashSet());
        Assert.Contains("% (needs ≥ 5 %)", r["explicit.ink-height"].Evidence);
    }

    [Fact]
    public void A_label_in_the_middle_of_the_picture_fails_position()
    {
        var (pixels, overlay) = Canvas(800, 600, 128, Policy.PlateOpacity, LabelGeometry.TextHeight(800, 600, Policy));
        Blend(pixels, overlay, (800 - overlay.Width) / 2, (600 - overlay.Height) / 2);
        var r = Check(Png(pixels), "middle.png");
        AssertStatus(r, "explicit.position", ConformanceStatus.Fail);
        // Nothing was found, so nothing was measured: not a pass.
        AssertStatus(r, "explicit.ink-height", ConformanceStatus.NotMeasured);
        AssertStatus(r, "explicit.contrast", ConformanceStatus.NotMeasured);
        AssertStatus(r, "eu.free-detector", ConformanceStatus.Fail);
    }

    [Fact]
    public void A_label_at_3_percent_of_the_shorter_side_is_found_and_fails_ink_height()
    {
        int small = (int)Math.Ceiling(600 * 0.03);
        var (pixels, overlay) = Canvas(800, 600, 128, Policy.PlateOpacity, small);
        LabelCompositor.Apply(pixels, overlay, LabelCorner.BottomRight, LabelGeometry.Inset(800, 600, Policy), "small.png");
        var r = Check(Png(pixels), "small.png");
        AssertStatus(r, "explicit.position", ConformanceStatus.Pass);
        AssertStatus(r, "explicit.ink-height", ConformanceStatus.Fail);
        AssertStatus(r, "explicit.contrast", ConformanceStatus.Pass);
        Assert.Contains("of a 600 px shorter side = 3.", r["explicit.ink-height"].Evidence);
    }

    [Fact]
    public void A_label_on_a_plate_too_light_for_a_white_background_fails_contrast()
    {
        var (pixels, overlay) = Canvas(800, 600, 255, 0.15, LabelGeometry.TextHeight(800, 600, Policy));
        LabelCompositor.Apply(pixels, overlay, LabelCorner.BottomRight, LabelGeometry.Inset(800, 600, Policy), "light.png");
        var r = Check(Png(pixels), "light.png");
        AssertStatus(r, "explicit.position", ConformanceStatus.Pass);
        AssertStatus(r, "explicit.ink-height", ConformanceStatus.Pass);
        AssertStatus(r, "explicit.contrast", ConformanceStatus.Fail);
        // White over 85 % white: (1 + 0.05) / (L(217) + 0.05) ≈ 1.4.
        Assert.Matches(@"= 1\.[0-9]+:1", r["explicit.contrast"].Evidence);
    }

    [Theory]
    [InlineData(1.5, ConformanceStatus.Fail)]
    [InlineData(2.5, ConformanceStatus.Pass)]
    public void An_opening_label_shown_for_less_than_2_s_fails_opening_duration(double seconds, ConformanceStatus expected)
    {
        const int w = 640, h = 360;
        int textHeight = LabelGeometry.TextHeight(w, h, Policy), inset = LabelGeometry.Inset(w, h, Policy);
        var overlay = ImageFixtures.Catalog.Renderer.Render(LabelWording.Default, Policy.Font, textHeight, Policy.PlateOpacity);
        var (x, y) = LabelGeometry.Place(w, h, overlay.Width, overlay.Height, LabelCorner.BottomRight, inset, "");
        string dir = RepoPaths.NewTempDir();
        string label = Path.Combine(dir, "label.png"), video = Path.Combine(dir, "opening.mp4");
        File.WriteAllBytes(label, GreyAlphaPng(overlay));
        string enable = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AudioFixtures.Run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", $"color=c=0x707070:s={w}x{h}:r=25:d=3", "-i", label,
            "-filter_complex", $"[0][1]overlay=x={x}:y={y}:enable='lt(t,{enable})',format=yuv420p", "-c:v", "libx264", "-crf", "16", "-t", "3", video]);
        var r = Check(File.ReadAllBytes(video), "opening.mp4");
        Assert.Equal("video", r.Kind);
        AssertStatus(r, "explicit.position", ConformanceStatus.Pass);
        AssertStatus(r, "explicit.ink-height", ConformanceStatus.Pass);
        AssertStatus(r, "explicit.opening-duration", expected);
        Assert.Contains(expected == ConformanceStatus.Fail ? "gone at 1.52 s" : "for ≥ 2.0", r["explicit.opening-duration"].Evidence);
    }

    [Fact]
    public void A_wav_with_a_valid_record_but_no_prompt_watermark_or_manifest_fails_the_prompt_and_the_eu_layers()
    {
        var r = Check(Wav(SignedRecord().ToJson()), "plain.wav");
        Assert.Equal("audio", r.Kind);
        foreach (var id in new[] { "aigc.record", "aigc.fields", "aigc.label", "aigc.producer", "aigc.produce-id", "aigc.characters", "aigc.reserved-code1" })
            AssertStatus(r, id, ConformanceStatus.Pass);
        AssertStatus(r, "explicit.audio-prompt", ConformanceStatus.Fail);
        AssertStatus(r, "explicit.ink-height", ConformanceStatus.NotApplicable);
        AssertStatus(r, "digital-source-type", ConformanceStatus.Fail);
        AssertStatus(r, "eu.signed-metadata", ConformanceStatus.Fail);
        AssertStatus(r, "eu.watermark", ConformanceStatus.Fail);
        AssertStatus(r, "eu.two-layers", ConformanceStatus.Fail);
        AssertStatus(r, "eu.free-detector", ConformanceStatus.Pass);

        // Without a key the watermark is not measured, and neither is the rule that needs it.
        var unkeyed = Check(Wav(SignedRecord().ToJson()), "plain.wav", withKey: false);
        AssertStatus(unkeyed, "eu.watermark", ConformanceStatus.NotMeasured);
        AssertStatus(unkeyed, "aigc.reserved-code1", ConformanceStatus.NotMeasured);
    }

    [Theory]
    [InlineData("none", "aigc.record")]
    [InlineData("fields", "aigc.fields")]
    [InlineData("label", "aigc.label")]
    [InlineData("producer", "aigc.producer")]
    [InlineData("produce-id", "aigc.produce-id")]
    [InlineData("characters", "aigc.characters")]
    [InlineData("edited", "aigc.reserved-code1")]
    [InlineData("platform-edited", "aigc.reserved-code2")]
    public void An_aigc_record_with_one_defect_fails_that_check(string defect, string failing)
    {
        var valid = SignedRecord();
        string? json = defect switch
        {
            "none" => null,
            "fields" => """{"Label":"1","ContentProducer":"001191310000000000000000000","ProduceID":"c-1","ReservedCode1":"","ContentPropagator":"","PropagateID":"","Extra":"x"}""",
            "label" => """{"Label":"4","ContentProducer":"001191310000000000000000000","ProduceID":"c-1","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}""",
            "producer" => """{"Label":"1","ContentProducer":"","ProduceID":"c-1","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}""",
            "produce-id" => """{"Label":"1","ContentProducer":"001191310000000000000000000","ProduceID":"","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}""",
            "characters" => """{"Label":"1","ContentProducer":"001191310000000000000000000","ProduceID":"my clip","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}""",
            // Signed, then the ID changed: the token no longer matches.
            "edited" => valid.ToJson().Replace("\"ProduceID\":\"c-1\"", "\"ProduceID\":\"c-2\"", StringComparison.Ordinal),
            // A platform signed its fields, then PropagateID was changed.
            "platform-edited" => PlatformRecord(valid).ToJson().Replace("\"PropagateID\":\"p-9\"", "\"PropagateID\":\"p-8\"", StringComparison.Ordinal),
            _ => throw new ArgumentException(defect),
        };
        var r = Check(Wav(json), defect + ".wav");
        AssertStatus(r, failing, ConformanceStatus.Fail);
        // Exactly that check of the record fails (the others pass, or cannot be judged on a record that is not there).
        var otherRecordFailures = r.Checks.Where(c => c.Id.StartsWith("aigc.", StringComparison.Ordinal) && c.Id != failing && c.Status == ConformanceStatus.Fail).ToList();
        Assert.True(otherRecordFailures.Count == 0, string.Join("; ", otherRecordFailures.Select(c => c.Id + ": " + c.Evidence)));
    }

    [Fact]
    public void A_file_verify_could_not_read_is_not_measured_on_every_row()
    {
        var r = ConformanceRules.Evaluate(Verify([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], "cut.jpg"));
        Assert.NotNull(r.ErrorCode);
        Assert.All(r.Checks, c => Assert.Equal(ConformanceStatus.NotMeasured, c.Status));
        Assert.Equal(ConformanceRules.Ids.Count, r.Checks.Count);
    }

    [Fact]
    public void Html_and_json_reports_carry_every_row_and_encode_file_text()
    {
        var r = Check(Wav("""{"Label":"<b>","ContentProducer":"001191310000000000000000000","ProduceID":"c-1","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}"""), "<x>.wav");
        string html = ConformanceHtml.Render([r]);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;x&gt;.wav", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ConformanceRules.Ids.Count, html.Split("<tr><td><code>").Length - 1);
        using var json = System.Text.Json.JsonDocument.Parse(ConformanceJson.Serialize([r]));
        var file = json.RootElement.GetProperty("files")[0];
        Assert.Equal(ConformanceRules.Ids.Count, file.GetProperty("checks").GetArrayLength());
        Assert.Equal("fail", file.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("id").GetString() == "aigc.label").GetProperty("status").GetString());
        Assert.Equal(r.Count(ConformanceStatus.Fail), file.GetProperty("counts").GetProperty("fail").GetInt32());
    }

    // ---- hand-made files ----

    private static AigcLabel SignedRecord()
    {
        var label = new AigcLabel(AigcLabel.Generated, Producer, "c-1");
        return new AigcLabel(AigcLabel.Generated, Producer, "c-1", AigcSignature.Create(Key, label, MarkId.Compute(Key, Producer, "c-1")));
    }

    private static AigcLabel PlatformRecord(AigcLabel provider)
    {
        var published = provider with { ContentPropagator = "001191310000000000000000099", PropagateID = "p-9" };
        return published with { ReservedCode2 = PropagationSignature.Create(Key, published) };
    }

    /// <summary>A 2 s, 16 kHz mono WAV of seeded synthetic music (seed 7) with <paramref name="aigc"/> as its
    /// RIFF AIGC chunk (spec §4), or without one.</summary>
    private static byte[] Wav(string? aigc)
    {
        const int rate = 16_000;
        float[] samples = SyntheticAudio.Music(rate, 1, 2.0, seed: 7);
        var data = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), (short)Math.Clamp(samples[i] * 32767f, -32768f, 32767f));
        var body = new MemoryStream();
        void Chunk(string id, byte[] payload)
        {
            body.Write(Encoding.ASCII.GetBytes(id));
            body.Write(BitConverter.GetBytes(payload.Length));
            body.Write(payload);
            if (payload.Length % 2 == 1) body.WriteByte(0);
        }
        var fmt = new byte[16];
        BinaryPrimitives.WriteInt16LittleEndian(fmt.AsSpan(0), 1);
        BinaryPrimitives.WriteInt16LittleEndian(fmt.AsSpan(2), 1);
        BinaryPrimitives.WriteInt32LittleEndian(fmt.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(fmt.AsSpan(8), rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(fmt.AsSpan(12), 2);
        BinaryPrimitives.WriteInt16LittleEndian(fmt.AsSpan(14), 16);
        Chunk("fmt ", fmt);
        if (aigc is not null) Chunk("AIGC", Encoding.UTF8.GetBytes(aigc));
        Chunk("data", data);
        var file = new MemoryStream();
        file.Write("RIFF"u8);
        file.Write(BitConverter.GetBytes((int)body.Length + 4));
        file.Write("WAVE"u8);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    /// <summary>A uniform RGB picture and the default wording rendered at <paramref name="textHeight"/> on a plate of <paramref name="opacity"/>.</summary>
    private static (PixelBuffer Pixels, LabelOverlay Overlay) Canvas(int w, int h, byte level, double opacity, int textHeight)
    {
        var data = new byte[w * h * 3];
        Array.Fill(data, level);
        var overlay = ImageFixtures.Catalog.Renderer.Render(LabelWording.Default, Policy.Font, textHeight, opacity);
        return (new PixelBuffer(data, w, h, 3), overlay);
    }

    /// <summary>Straight alpha over an opaque picture, at any place (the compositor only places at corners).</summary>
    private static void Blend(PixelBuffer image, LabelOverlay overlay, int x0, int y0)
    {
        for (int y = 0; y < overlay.Height; y++)
        {
            var row = image.Row(y0 + y);
            for (int x = 0; x < overlay.Width; x++)
            {
                int i = y * overlay.Width + x;
                double a = overlay.Alpha[i] / 255.0;
                for (int b = 0; b < 3; b++)
                {
                    int p = (x0 + x) * 3 + b;
                    row[p] = (byte)Math.Round(overlay.Grey[i] * a + row[p] * (1 - a));
                }
            }
        }
    }

    private static byte[] Png(PixelBuffer pixels)
    {
        VipsRuntime.EnsureInitialised();
        using var image = Image.NewFromMemory(pixels.Data, pixels.Width, pixels.Height, 3, Enums.BandFormat.Uchar);
        using var tagged = image.Copy(interpretation: Enums.Interpretation.Srgb);
        return tagged.PngsaveBuffer();
    }

    private static byte[] GreyAlphaPng(LabelOverlay overlay)
    {
        VipsRuntime.EnsureInitialised();
        var ya = new byte[overlay.Width * overlay.Height * 2];
        for (int i = 0; i < overlay.Grey.Length; i++)
        {
            ya[2 * i] = overlay.Grey[i];
            ya[2 * i + 1] = overlay.Alpha[i];
        }
        using var image = Image.NewFromMemory(ya, overlay.Width, overlay.Height, 2, Enums.BandFormat.Uchar);
        using var tagged = image.Copy(interpretation: Enums.Interpretation.Bw);
        return tagged.PngsaveBuffer();
    }
}
