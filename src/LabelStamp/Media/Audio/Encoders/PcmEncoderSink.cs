using System.Runtime.InteropServices;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// The write end of the PCM pump when the encoder is in process: interleaved f32le bytes, as the pump
/// writes them to an encoder's pipe, handed to <see cref="IPcmEncoder.Encode"/>. The pump writes whole
/// chunks (whole sample frames); a write that is not is refused rather than split, since a float torn in
/// two would be a bug of ours, not the input's. Disposing it does not finish the encoder: the caller does,
/// after the decoder has exited cleanly, so a failed run never produces a stream.
/// </summary>
public sealed class PcmEncoderSink(IPcmEncoder encoder, int channels) : Stream
{
    private readonly int _frameBytes = channels * sizeof(float);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length % _frameBytes != 0)
            throw new InvalidOperationException($"the PCM pump wrote {buffer.Length} bytes, not whole {channels}-channel float frames");
        encoder.Encode(MemoryMarshal.Cast<byte, float>(buffer));
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
