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
    public void An_out_of_range_video_option_stops_the_start()
    {
        var e = Assert.Throws<LabelStampException>(() => StamperComposer.Video(Config(("Video:MarkAmplitude", "9"))));
        Assert.Contains("mark amplitude", e.Message);
    }
}
