using LabelStamp.Marks;
using LabelStamp.Marks.Video;

namespace LabelStamp.Media.Video;

/// <summary>What the stamp's checks of its video mark read: the marked frames (<see cref="MarkedFramesCheck"/>), and the
/// encoded file when it was read too (<see cref="EncodedMarkCheck"/>; <paramref name="File"/> null there means it did not decode).
/// For a content-locked pattern that moved, <see cref="Placed"/> is the frames' reading (their canvas at the embedder's maps)
/// and <see cref="Verified"/> the file's (verify's reader); <paramref name="Frames"/> and <paramref name="File"/> stay null.</summary>
internal sealed record MarkCheckReadings(MarkedFramesVerdict Verdict, VideoMarkDetection? Frames, bool FileChecked, VideoMarkDetection? File)
{
    /// <summary>The pattern moved: the readings are <see cref="Placed"/> and <see cref="Verified"/>.</summary>
    public bool Moved { get; init; }

    /// <summary>The registered search on the marked frames placed at their maps (<see cref="MarkedFramesCheck.ReadPlaced"/>).</summary>
    public RegisteredMarkReading? Placed { get; init; }

    /// <summary>Verify's reading of the encoded file (<see cref="EncodedMarkCheck.ReadAsVerifyAsync"/>), when read; null
    /// when it found nothing under the key.</summary>
    public MarkReading? Verified { get; init; }
}
