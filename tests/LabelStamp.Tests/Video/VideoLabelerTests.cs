using System.Text.Json;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media.Images;
using LabelStamp.Media.Video;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Video;

/// <summary>The stamped sample keeps its shape, carries every layer where independent readers find it,
/// and shows the opening label in the first 2 s and the corner label afterwards.</summary>
[Collection(VideoCollection.Name)]
public class VideoLabelerTests(VideoFixture fx)
{
    private static JsonElement VideoStream(JsonElement probe) =>
        probe.GetProperty("streams").EnumerateArray().First(s => s.GetProperty("codec_type").GetString() == "video");

    private static string Tag(JsonElement probe, string name) =>
        probe.GetProperty("format").TryGetProperty("tags", out var t) && t.TryGetProperty(name, out var v) ? v.GetString()! : "";

    [Theory]
    [InlineData("mp4")]
    [InlineData("webm")]
    public void Frame_count_duration_resolution_and_codec_are_kept(string kind)
    {
        var (input, output) = kind == "mp4" ? (fx.Sample, fx.Labeled) : (fx.InputWebM, fx.LabeledWebM);
        var before = VideoFixture.Probe(input, countFrames: true);
        var after = VideoFixture.Probe(output, countFrames: true);
        var (vb, va) = (VideoStream(before), VideoStream(after));
        Assert.Equal(vb.GetProperty("codec_name").GetString(), va.GetProperty("codec_name").GetString());
        Assert.Equal(vb.GetProperty("width").GetInt32(), va.GetProperty("width").GetInt32());
        Assert.Equal(vb.GetProperty("height").GetInt32(), va.GetProperty("height").GetInt32());
        Assert.Equal(vb.GetProperty("r_frame_rate").GetString(), va.GetProperty("r_frame_rate").GetString());
        Assert.Equal(vb.GetProperty("nb_read_frames").GetString(), va.GetProperty("nb_read_frames").GetString());
        double db = double.Parse(before.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        double da = double.Parse(after.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(da, db - 0.05, db + 0.05);
        Assert.Equal(2, after.GetProperty("streams").GetArrayLength()); // video + the labeled audio track
    }

    [Fact]
    public void Mp4_aigc_tag_is_read_back_by_ffprobe_and_existing_tags_are_kept()
    {
        var probe = VideoFixture.Probe(fx.Labeled);
        Assert.Equal(fx.Result.Aigc.ToJson(), Tag(probe, "AIGC"));
        Assert.Equal("LabelStamp sample: storm and ladybird", Tag(probe, "title"));
        // GB 45438 Annex E placement: an mdta key named AIGC inside moov/udta/meta/keys.
        byte[] bytes = File.ReadAllBytes(fx.Labeled);
        int moov = bytes.AsSpan().IndexOf("moov"u8), keys = bytes.AsSpan().IndexOf("keys"u8), mdta = bytes.AsSpan().IndexOf("mdtaAIGC"u8);
        Assert.True(moov > 0 && keys > moov && mdta > keys, "AIGC mdta key inside moov/udta/meta/keys");
        Assert.True(bytes.AsSpan().IndexOf("mdat"u8) > moov, "output is faststart (moov before mdat)");
    }

    [Fact]
    public void Webm_aigc_simple_tag_is_read_back_by_ffprobe_and_existing_tags_are_kept()
    {
        var probe = VideoFixture.Probe(fx.LabeledWebM);
        Assert.Equal(fx.ResultWebM.Aigc.ToJson(), Tag(probe, "AIGC"));
        Assert.Equal("webm sample", Tag(probe, "title"));
        Assert.Contains("webm", VideoFixture.Probe(fx.LabeledWebM).ToString()); // still a webm (vp9)
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, fx.ResultWebM.Applied);
    }

    [Fact]
    public void Opening_label_is_in_the_first_two_seconds_and_the_corner_label_later()
    {
        const int w = 960, h = 540;
        var detector = new ExplicitLabelDetector(fx.Catalog.Renderer);
        var policy = new LabelPolicy();
        foreach (double t in new[] { 0.0, 1.0, 2.0, 2.4 })
        {
            var frame = new PixelBuffer(VideoFixture.LumaAt(fx.Labeled, t, w, h), w, h, 1);
            var match = detector.Detect(frame, LabelWording.Known, policy);
            Assert.True(match is not null, $"opening label missing at {t} s");
            Assert.Equal(LabelCorner.BottomRight, match.Corner);
        }
        Assert.True(LabelGeometry.TextHeight(w, h, policy) >= 0.05 * h);

        var inspector = new VideoInspector(detector, VideoFixture.Options, renderer: fx.Catalog.Renderer);
        // Measured ink heights (the renderer's ink slightly exceeds the height asked for): the opening
        // label's at the rule's size, against which the corner label must be the smaller one.
        int openingInk = fx.Catalog.Renderer.Render(LabelWording.Default, policy.Font, LabelGeometry.TextHeight(w, h, policy), policy.PlateOpacity).TextHeight;
        foreach (double t in new[] { 3.5, 5.5 })
        {
            var frame = new PixelBuffer(VideoFixture.LumaAt(fx.Labeled, t, w, h), w, h, 1);
            Assert.Null(detector.Detect(frame, LabelWording.Known, policy, smaller: false)); // the big label is gone …
            // … and the image detector's search below the rule's size finds the corner label as a smaller one.
            Assert.True(detector.Detect(frame, LabelWording.Known, policy)?.Overlay?.TextHeight < openingInk, $"no smaller label at {t} s");
            var corner = inspector.FindCornerLabel(frame, new VerifyOptions());
            Assert.True(corner is not null, $"corner label missing at {t} s"); // … the small one stays
            Assert.Equal(LabelCorner.BottomRight, corner.Corner);
        }
        // Pixel check of the plate itself: the corner label darkens the plate and the text is near white.
        var before = VideoFixture.LumaAt(fx.Sample, 5.5, w, h);
        var after = VideoFixture.LumaAt(fx.Labeled, 5.5, w, h);
        var at = inspector.FindCornerLabel(new PixelBuffer(after, w, h, 1), new VerifyOptions())!;
        var overlay = fx.Catalog.Renderer.Render(LabelWording.Default, policy.Font, VideoLabeler.CornerTextHeight(w, h, VideoFixture.Options), policy.PlateOpacity);
        int textMax = 0, unchangedOutside = 0, samples = 0;
        for (int y = 0; y < overlay.Height; y++)
            for (int x = 0; x < overlay.Width; x++)
                if (overlay.TextMask[y * overlay.Width + x] == 255) textMax = Math.Max(textMax, after[(at.Y + y) * w + at.X + x]);
        Assert.True(textMax >= 200, $"text luma {textMax}");
        for (int x = 0; x < 200; x++, samples++)
            if (Math.Abs(after[10 * w + x] - before[10 * w + x]) <= 12) unchangedOutside++;
        Assert.True(unchangedOutside > samples * 9 / 10, "pixels far from the label stay close to the input");
        Assert.True(overlay.TextHeight < openingInk, "the corner label is smaller than the opening label");
        Assert.True(overlay.TextHeight >= 0.05 * h, $"corner ink {overlay.TextHeight} px: spec §3 asks ≥ 5 % of the shorter side throughout");
    }

    [Theory]
    [InlineData("mp4")]
    [InlineData("webm")]
    public void Verify_reports_every_layer_and_the_mark_id(string kind)
    {
        var (path, result) = kind == "mp4" ? (fx.Labeled, fx.Result) : (fx.LabeledWebM, fx.ResultWebM);
        var report = fx.Verify(path, VideoFixture.Key);
        Assert.Null(report.Error);
        Assert.Equal(LayerState.Found, report.Explicit.State);
        Assert.Contains("opening label", report.Explicit.Summary);
        Assert.Equal(LayerState.Found, report.Metadata.State);
        Assert.Equal("valid", report.Metadata.Details!["signature"]);
        Assert.Equal(LayerState.Found, report.Watermark.State);
        Assert.Equal(result.MarkId.ToString(), report.Watermark.Details!["markId"]);
        Assert.Equal("found", report.Watermark.Details["video"]); // read from the frames, not only the audio track
        if (kind == "mp4")
        {
            Assert.Equal(LayerState.Found, report.Provenance.State);
            Assert.Equal("true", report.Provenance.Details!["valid"]);
            Assert.Equal("c2pa.hash.bmff.v3", report.Provenance.Details["hardBinding"]);
        }
        else Assert.Equal(LayerState.NotChecked, report.Provenance.State);
    }

    [Fact]
    public void The_stamped_mp4_c2pa_manifest_is_valid_for_an_independent_reader()
    {
        var ts = Provenance.C2paTsResult.Read(fx.Labeled);
        Assert.True(ts.Valid, ts.Raw);
        Assert.Contains("assertion.bmffHash.match", ts.Statuses);
    }

    [Fact]
    public void The_audio_track_carries_the_rhythm_prompt_and_the_same_mark_as_the_frames()
    {
        var report = fx.Verify(fx.Labeled, VideoFixture.Key);
        Assert.True(report.Explicit.Details!.ContainsKey("audioPrompt"), report.Explicit.Summary);
        Assert.InRange(double.Parse(report.Explicit.Details["audioPrompt"], System.Globalization.CultureInfo.InvariantCulture), 0, 0.2);
        // The 6 s track alone decodes the 64-bit mark ID: a clip cut from the video keeps it even without frames.
        Assert.Equal("found " + fx.Result.MarkId, report.Watermark.Details!["audio"]);
    }

    [Fact]
    public void Nothing_is_detected_on_the_original_or_with_a_wrong_key()
    {
        var original = fx.Verify(fx.Sample, VideoFixture.Key);
        Assert.Equal(LayerState.NotFound, original.Explicit.State);
        Assert.Equal(LayerState.NotFound, original.Metadata.State);
        Assert.Equal(LayerState.NotFound, original.Watermark.State);
        Assert.False(original.AiLabelFound);

        var wrongKey = MarkKey.FromBytes(Enumerable.Range(200, 32).Select(i => (byte)i).ToArray());
        var report = fx.Verify(fx.Labeled, wrongKey);
        Assert.Equal(LayerState.NotFound, report.Watermark.State);
        Assert.NotEqual("valid", report.Metadata.Details!["signature"]); // the AIGC signature is not ours under that key either
    }

    [Fact]
    public void The_sample_is_an_ordinary_moov_last_mp4()
    {
        byte[] bytes = File.ReadAllBytes(fx.Sample);
        Assert.True(bytes.AsSpan().IndexOf("moov"u8) > bytes.AsSpan().IndexOf("mdat"u8), "the sample must have its moov after mdat");
        Assert.Equal(LayerState.Found, fx.Verify(fx.Labeled, VideoFixture.Key).Watermark.State); // and stamping it worked
    }
}
