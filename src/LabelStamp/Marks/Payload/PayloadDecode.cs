namespace LabelStamp.Marks.Payload;

/// <summary>
/// A payload recovered from soft bits whose CRC-32 matched. <see cref="BitErrorsCorrected"/> counts the
/// coded bits whose hard decision disagreed with the re-encoded payload: a confidence measure
/// (0 = clean channel; the code corrects far more, see docs/watermark.md).
/// </summary>
public sealed record PayloadDecode(MarkPayload Payload, int BitErrorsCorrected, int CodedBits)
{
    /// <summary>Always true: <see cref="PayloadCodec.Decode"/> never returns a payload that failed its CRC.</summary>
    public bool CrcOk => true;
}
