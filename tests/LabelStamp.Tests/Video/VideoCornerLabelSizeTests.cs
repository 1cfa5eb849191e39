using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media.Video;

namespace LabelStamp.Tests.Video;

/// <summary>Spec §3: the video's labels keep an ink height of ≥ 5 % of the shorter side throughout, the
/// persistent corner label included (an excerpt cut after the opening shows only that one).</summary>
public sealed class VideoCornerLabelSizeTests
{
    [Theory]
    [InlineData(960, 540)]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    [InlineData(1080, 1920)]
    [InlineData(3840, 2160)]
    public void The_default_corner_label_is_at_least_5_percent_of_the_shorter_side_and_smaller_than_the_opening_label(int width, int height)
    {
        var options = new VideoLabelOptions().Validate();
        int shorter = Math.Min(width, height);
        int corner = VideoLabeler.CornerTextHeight(width, height, options);
        Assert.True(corner >= 0.05 * shorter, $"corner ink {corner} px of a {shorter} px shorter side");
        Assert.True(corner < LabelStamp.Explicit.LabelGeometry.TextHeight(width, height, new LabelPolicy()), "the corner label stays the smaller one");
    }

    [Theory]
    [InlineData(0.03)]
    [InlineData(0.049)]
    public void A_corner_label_below_5_percent_is_refused(double fraction)
    {
        var e = Assert.Throws<LabelStampException>(() => new VideoLabelOptions { CornerTextHeightFraction = fraction }.Validate());
        Assert.Equal(ErrorCode.InvalidPolicy, e.Code);
    }
}
