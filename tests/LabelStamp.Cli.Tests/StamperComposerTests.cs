using LabelStamp.Cli.Composition;
using LabelStamp.Errors;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Tests;

/// <summary>The worker's Video section reaches the video adapter's options and is validated at start-up.</summary>
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
    public void The_video_mark_version_is_static_unless_content_locked_is_chosen()
    {
        Assert.Equal(LabelStamp.Marks.Video.VideoMarkVersion.Static, StamperComposer.Video(Config()).MarkVersion);
        Assert.Equal(LabelStamp.Marks.Video.VideoMarkVersion.ContentLocked, StamperComposer.Video(Config(("Video:MarkVersion", "ContentLocked"))).MarkVersion);
    }

    [Fact]
    public void An_out_of_range_video_option_stops_the_start()
    {
        var e = Assert.Throws<LabelStampException>(() => StamperComposer.Video(Config(("Video:MarkAmplitude", "9"))));
        Assert.Contains("mark amplitude", e.Message);
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
