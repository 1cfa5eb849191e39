using LabelStamp.Cli.Composition;
using LabelStamp.Errors;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Tests;

/// <summary>The worker's Video and Images sections reach the adapters' options and are validated at start-up.</summary>
public class StamperComposerTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Video_options_bind_from_configuration()
    {
        var video = StamperComposer.Video(Config(("Video:MarkAmplitude", "2.5"), ("Video:OpeningSeconds", "3")));
        Assert.Equal(2.5, video.MarkAmplitude);
        Assert.Equal(3, video.OpeningSeconds);
        Assert.Equal(new LabelStamp.Media.Video.VideoLabelOptions().X264Preset, video.X264Preset); // untouched keys keep defaults
    }

    [Fact]
    public void The_video_mark_version_is_automatic_unless_one_is_chosen()
    {
        Assert.Equal(LabelStamp.Marks.Video.VideoMarkVersion.Auto, StamperComposer.Video(Config()).MarkVersion);
        Assert.Equal(LabelStamp.Marks.Video.VideoMarkVersion.ContentLocked, StamperComposer.Video(Config(("Video:MarkVersion", "ContentLocked"))).MarkVersion);
        Assert.Equal(LabelStamp.Marks.Video.VideoMarkVersion.Static, StamperComposer.Video(Config(("Video:MarkVersion", "Static"))).MarkVersion);
    }

    [Fact]
    public void An_out_of_range_video_option_stops_the_start()
    {
        var e = Assert.Throws<LabelStampException>(() => StamperComposer.Video(Config(("Video:MarkAmplitude", "9"))));
        Assert.Contains("mark amplitude", e.Message);
    }

    [Fact]
    public void Image_encoder_options_bind_from_configuration_and_keep_their_defaults()
    {
        var defaults = new LabelStamp.Media.Images.ImageEncodeOptions();
        Assert.Equal(defaults, StamperComposer.Images(Config()));
        var images = StamperComposer.Images(Config(("Images:PngFilter", "Up"), ("Images:PngCompression", "9"), ("Images:WebpQuality", "82")));
        Assert.Equal(NetVips.Enums.ForeignPngFilter.Up, images.PngFilter);
        Assert.Equal(9, images.PngCompression);
        Assert.Equal(82, images.WebpQuality);
        Assert.Equal(defaults.DefaultJpegQuality, images.DefaultJpegQuality); // untouched keys keep defaults
        Assert.Equal(NetVips.Enums.ForeignPngFilter.Sub | NetVips.Enums.ForeignPngFilter.Paeth,
            StamperComposer.Images(Config(("Images:PngFilter", "Sub, Paeth"))).PngFilter);
    }

    [Fact]
    public async Task The_worker_stamper_encodes_with_the_configured_png_filter()
    {
        byte[] input = File.ReadAllBytes(Path.Combine(LabelStamp.TestSupport.RepoPaths.Root, "tests", "fixtures", "images", "text-13-384x384.png"));
        async Task<byte[]> Stamp(params (string Key, string Value)[] extra)
        {
            var stamper = StamperComposer.Create(Config([("Labels:Key", new string('7', 64)), ("C2pa:Enabled", "false"), .. extra]));
            var request = new LabelStamp.Pipeline.StampRequest("png-filter", "TEST001", new LabelStamp.Labels.LabelPolicy());
            return (await stamper.StampAsync(input, "text.png", request)).Output;
        }
        byte[] none = await Stamp(("Images:PngFilter", "None")), up = await Stamp(("Images:PngFilter", "Up"));
        Assert.Equal(none, await Stamp(("Images:PngFilter", "None"))); // the stamp is deterministic, so a difference is the filter's
        Assert.NotEqual(none, up); // the setting reaches the encoder: another filter, other deflate input
        using var a = NetVips.Image.NewFromBuffer(none);
        using var b = NetVips.Image.NewFromBuffer(up);
        Assert.Equal(a.WriteToMemory<byte>(), b.WriteToMemory<byte>()); // and a row filter is lossless: the same pixels, mark and label
    }

    /// <summary>Left open (the default), a marked PNG's row filter is the stamp's choice (<c>PngFilterChoice</c>): a flat
    /// page, whose rows the mark left mostly repeating, is encoded with Up, as with the setting; a busy frame (±40 noise,
    /// seed 43), and the flat page stamped without the watermark, with none, libvips' default.</summary>
    [Fact]
    public async Task Left_open_a_marked_flat_png_takes_up_and_a_busy_or_unmarked_one_none()
    {
        const int w = 512, h = 384;
        byte[] Png(Func<int, int, byte> sample)
        {
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[(y * w + x) * 3] = rgb[(y * w + x) * 3 + 1] = rgb[(y * w + x) * 3 + 2] = sample(x, y);
            using var raw = NetVips.Image.NewFromMemory(rgb, w, h, 3, NetVips.Enums.BandFormat.Uchar);
            using var srgb = raw.Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
            return srgb.PngsaveBuffer();
        }
        var random = new Random(43);
        byte[] flat = Png((x, y) => (byte)(y % 24 < 4 && x % 120 < 90 ? 30 : 245));
        byte[] busy = Png((x, y) => (byte)Math.Clamp(128 + (x + y) % 60 + random.Next(-40, 41), 0, 255));
        async Task<byte[]> Stamp(byte[] input, LabelStamp.Labels.Layers layers, params (string Key, string Value)[] extra)
        {
            var stamper = StamperComposer.Create(Config([("Labels:Key", new string('7', 64)), ("C2pa:Enabled", "false"), .. extra]));
            var request = new LabelStamp.Pipeline.StampRequest("png-choice", "TEST001", new LabelStamp.Labels.LabelPolicy { Layers = layers });
            return (await stamper.StampAsync(input, "page.png", request)).Output;
        }
        var all = LabelStamp.Labels.Layers.All;
        byte[] flatUp = await Stamp(flat, all, ("Images:PngFilter", "Up"));
        Assert.Equal(flatUp, await Stamp(flat, all));
        Assert.NotEqual(await Stamp(flat, all, ("Images:PngFilter", "None")), flatUp);
        Assert.Equal(await Stamp(busy, all, ("Images:PngFilter", "None")), await Stamp(busy, all));
        var unmarked = all & ~LabelStamp.Labels.Layers.Watermark;
        Assert.Equal(await Stamp(flat, unmarked, ("Images:PngFilter", "None")), await Stamp(flat, unmarked));
    }

    [Theory]
    [InlineData("Images:PngCompression", "10", "PNG compression")]
    [InlineData("Images:WebpQuality", "0", "WebP quality")]
    [InlineData("Images:DefaultJpegQuality", "101", "JPEG quality")]
    [InlineData("Images:PngFilter", "3", "PNG filter")]
    [InlineData("Images:LargeImagePixels", "0", "large-image pixels")]
    public void An_out_of_range_image_option_stops_the_start(string key, string value, string message)
    {
        var e = Assert.Throws<LabelStampException>(() => StamperComposer.Images(Config((key, value))));
        Assert.Equal(ErrorCode.InvalidPolicy, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_c2pa_tsa_and_trust_anchor_settings_are_checked_at_start_up()
    {
        var tsa = StamperComposer.TimestampAuthority(Config(("C2pa:TsaUrl", "http://127.0.0.1:9/tsa"), ("C2pa:TsaTimeoutSeconds", "5")).GetSection("C2pa"));
        Assert.Equal("http://127.0.0.1:9/tsa", tsa!.Name);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<LabelStampException>(() =>
            StamperComposer.TimestampAuthority(Config(("C2pa:TsaUrl", "tsa.example")).GetSection("C2pa"))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<LabelStampException>(() =>
            StamperComposer.TimestampAuthority(Config(("C2pa:TsaUrl", "https://127.0.0.1/tsa"), ("C2pa:TsaTimeoutSeconds", "0")).GetSection("C2pa"))).Code);

        string dir = LabelStamp.TestSupport.RepoPaths.NewTempDir();
        using var ca = new LabelStamp.Provenance.CertificateFactory().CreateAuthority();
        string pem = Path.Combine(dir, "anchors.pem");
        File.WriteAllText(pem, ca.ExportCertificatePem());
        Assert.Equal(1, StamperComposer.Anchors(Config(("C2pa:TrustAnchors", pem)).GetSection("C2pa"))!.Count);
        Assert.Equal(ErrorCode.FileNotFound, Assert.Throws<LabelStampException>(() =>
            StamperComposer.Anchors(Config(("C2pa:TrustAnchors", Path.Combine(dir, "none.pem"))).GetSection("C2pa"))).Code);
    }
}
