namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// An encoder that runs in our process on our own marked samples (interleaved float, the stream's rate
/// and channel count). It never parses input bytes: everything it sees was made by the sample processor,
/// so a codec library can run here without the isolation a decoder of untrusted files needs
/// (docs/security.md). <see cref="Finish"/> flushes the codec and returns the finished stream
/// (container included, tags excluded: the caller adds those).
/// </summary>
public interface IPcmEncoder : IDisposable
{
    /// <summary>Encodes <paramref name="interleaved"/> (whole sample frames).</summary>
    void Encode(ReadOnlySpan<float> interleaved);

    /// <summary>Flushes the codec and returns the encoded stream.</summary>
    byte[] Finish();
}
