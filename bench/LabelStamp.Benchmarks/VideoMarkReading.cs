using LabelStamp.Labels;
using LabelStamp.Verification;

namespace LabelStamp.Benchmarks;

/// <summary>How the video figure commands read a verify report: from the frames only.</summary>
public static class VideoMarkReading
{
    /// <summary>The bits corrected when the frames gave the expected mark, "WRONG" for another ID, "miss"
    /// otherwise. verify falls back to the audio track's mark when the frames give none (its "video"
    /// detail is then "not found"); that reading must not count for the video mark.</summary>
    public static string FramesCell(VerifyReport report, MarkId expected)
    {
        if (report.Watermark.State != LayerState.Found || report.Watermark.Details is not { } details
            || details.GetValueOrDefault("video") != "found")
            return "miss";
        return details["markId"] == expected.ToString() ? details["bitErrorsCorrected"] : "WRONG";
    }
}
