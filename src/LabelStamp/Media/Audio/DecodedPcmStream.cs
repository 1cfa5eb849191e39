using System.Runtime.InteropServices;

namespace LabelStamp.Media.Audio;

/// <summary>An in-process decoder's frames as a read-only stream of interleaved f32le bytes, the same
/// bytes ffmpeg's <c>-f f32le</c> decode writes, so the PCM pump reads it as it reads a decoder's pipe.</summary>
public sealed class DecodedPcmStream(IPcmDecoder decoder) : Stream
{
    private float[] _frame = [];
    private int _bytes, _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        if (_offset == _bytes)
        {
            int frames = decoder.Next(ref _frame);
            if (frames == 0) return 0;
            _bytes = frames * decoder.Channels * sizeof(float);
            _offset = 0;
        }
        int n = Math.Min(buffer.Length, _bytes - _offset);
        MemoryMarshal.AsBytes(_frame.AsSpan()).Slice(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
