using LabelStamp.Marks.Video;

namespace LabelStamp.Media.Video;

/// <summary>What the stamp's checks of its video mark read: the marked frames (<see cref="MarkedFramesCheck"/>), and the
/// encoded file when it was read too (<see cref="EncodedMarkCheck"/>; <paramref name="File"/> null there means it did not decode).</summary>
internal sealed record MarkCheckReadings(MarkedFramesVerdict Verdict, VideoMarkDetection? Frames, bool FileChecked, VideoMarkDetection? File);
