namespace LabelStamp.Media.Audio;

/// <summary>
/// An in-process decoder of one audio stream, giving what ffmpeg's <c>-f f32le</c> decode gives for it
/// (interleaved floats at the stream's own rate and channel count, the encoder's delay and padding
/// trimmed), so <see cref="DecodedPcmStream"/> can stand in for a decode process. Any input it cannot
/// decode ends in a typed <see cref="Errors.LabelStampException"/> (corrupt, truncated or unsupported),
/// never another exception type.
/// </summary>
public interface IPcmDecoder
{
    int Channels { get; }

    /// <summary>Decodes the next block into <paramref name="output"/> (interleaved, resized as needed);
    /// returns the frames (samples per channel) it holds, 0 at the end of the stream.</summary>
    int Next(ref float[] output);
}
