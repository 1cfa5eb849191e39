namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// An encoder that runs in our process on our own marked samples (interleaved float, the stream's rate
/// and channel count). It never parses input bytes: everything it sees was made by the sample processor,
/// so a codec library can run here without the isolation a decoder of untrusted files needs
/// (docs/security.md). <see cref="Finish"/> flushes the codec and returns the output file: our stream in
/// its container, with the tags ffmpeg's muxer wrote into the head file (see <see cref="InProcessEncoder"/>).
/// </summary>
public interface IPcmEncoder : IDisposable
{
    /// <summary>Encodes <paramref name="interleaved"/> (whole sample frames).</summary>
    void Encode(ReadOnlySpan<float> interleaved);

    /// <summary>Flushes the codec and returns the output file, its tags taken from <paramref name="head"/>: what
    /// ffmpeg's muxer wrote for one copied frame of the input with the stamp's metadata options.</summary>
    byte[] Finish(ReadOnlySpan<byte> head, string name);
}
