using LabelStamp.Labels;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Video;

/// <summary><see cref="VideoLabelOptions.FollowZoom"/>: opt-in; off, the zoom shot is held as before (bench/VIDEO.md, round 13).</summary>
public partial class ContentLockedVideoTests
{
    private static byte[] StampZoom(VideoLabelOptions options, string input) =>
        new MediaCatalog(video: options).CreateStamper(VideoFixture.Key)
            .StampAsync(File.ReadAllBytes(input), Path.GetFileName(input), new StampRequest("locked-zoom-540", VideoFixture.Producer, new LabelPolicy()))
            .GetAwaiter().GetResult().Output;

    [Fact]
    public void Following_the_zoom_changes_a_zoom_shots_stamp_and_the_default_still_holds_it()
    {
        byte[] held = File.ReadAllBytes(fx.LockedZoom540);
        // The default (FollowZoom off) gives the fixture's stamp again, byte for byte: the option changes nothing unless set.
        Assert.Equal(held, StampZoom(ContentLockedVideoFixture.Locked, fx.Zoom540));
        // Set, the map carries the zoom's scale instead of returning to the identity once the shot is taken as a zoom.
        byte[] followed = StampZoom(ContentLockedVideoFixture.Locked with { FollowZoom = true }, fx.Zoom540);
        Assert.NotEqual(held, followed);
    }
}
