using LabelStamp.Errors;

namespace LabelStamp.Media.Audio;

/// <summary>
/// Maps what a third-party managed decoder throws on bytes it cannot make sense of to our error codes,
/// so a hostile file never surfaces as LS999: the end of the data → truncated, a refused feature →
/// unsupported, anything else the decoder raises while parsing (index and argument errors, invalid data,
/// the codec's own exception types) → corrupt. Cancellation and out-of-memory pass through untouched:
/// they say nothing about the file.
/// </summary>
public static class DecoderFaults
{
    public static bool IsFileFault(Exception e) => e is not (LabelStampException or OperationCanceledException or OutOfMemoryException
        or InsufficientExecutionStackException);

    public static LabelStampException Map(Exception e, string codec, string name) => e switch
    {
        EndOfStreamException => new LabelStampException(ErrorCode.TruncatedInput, $"{name}: the {codec} stream ends inside a packet", e),
        NotSupportedException or NotImplementedException =>
            new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: the {codec} stream uses a feature the in-process decoder does not support ({e.Message})", e),
        _ => new LabelStampException(ErrorCode.CorruptInput, $"{name}: the {codec} stream is damaged ({e.GetType().Name}: {e.Message})", e),
    };
}
