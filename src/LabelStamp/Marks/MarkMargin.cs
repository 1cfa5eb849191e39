namespace LabelStamp.Marks;

/// <summary>
/// What a self-check's read had to spare: whether the payload read (<see cref="Reads"/>), the normalised sync statistic
/// at the peak it was decoded at (the search's best when nothing decoded), and the coded bits whose hard decision
/// disagreed with the decoded word (<see cref="BitErrors"/> of <see cref="Payload.PayloadCodec.CodedBits"/>; null when no word passed its CRC).
/// The stamp uses it to decide whether a lossy output's file must be checked as well (<c>MarkCheckedEncode</c>): a mark
/// that reads in its pixels with a strong sync peak and few raw errors was measured to read from every such file.
/// </summary>
public sealed record MarkMargin(bool Reads, double SyncStatistic, int? BitErrors);
