using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Media.Audio.Flac;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>
/// FLAC by the system libFLAC (libFLAC.so.12, Debian's libflac12) into our own memory: the stream encoder
/// with write, seek and tell callbacks, so libFLAC rewrites STREAMINFO (MD5, frame sizes, total samples)
/// in our buffer when it finishes. Settings: compression level 5, ffmpeg's <c>flac</c> encoder default
/// (the level the ffmpeg route uses, <see cref="AudioCodecs.EncoderArguments"/>); the streamable subset;
/// 16 bits per sample for sources of ≤ 16 bits, else 24 — the ffmpeg route's <c>-sample_fmt s16/s32</c>,
/// whose flac encoder writes s32 as 24 bits. Floats become integers as ffmpeg's conversion makes them
/// (× 2^15 rounded to nearest-even and clipped to s16; × 2^31 rounded, clipped to s32, then shifted right
/// by 8), so the output decodes to exactly the samples the ffmpeg route encodes (tested). The stream
/// differs from ffmpeg's encoder in its block size (4096 against ffmpeg's 4608 at 44.1 kHz) and predictor
/// search, i.e. in bytes, not in samples.
/// </summary>
public sealed class LibflacEncoder : IPcmEncoder
{
    public const string Library = "libFLAC.so.12";
    /// <summary>ffmpeg's flac encoder default (<c>-compression_level 5</c>).</summary>
    public const int CompressionLevel = 5;
    private const int Block = 4096;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int WriteCallback(IntPtr encoder, IntPtr buffer, nuint bytes, uint samples, uint frame, IntPtr client);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SeekCallback(IntPtr encoder, ulong offset, IntPtr client);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TellCallback(IntPtr encoder, IntPtr offset, IntPtr client);

    private readonly int _channels, _bits;
    private readonly MemoryStream _out = new();
    private readonly int[] _samples;
    // Held for the encoder's lifetime: libFLAC calls them until finish.
    private readonly WriteCallback _write;
    private readonly SeekCallback _seek;
    private readonly TellCallback _tell;
    private byte[] _copy = new byte[1 << 16];
    private IntPtr _flac;

    private LibflacEncoder(IntPtr flac, int channels, int bits)
    {
        _flac = flac;
        _channels = channels;
        _bits = bits;
        _samples = new int[Block * channels];
        _write = Write;
        _seek = Seek;
        _tell = Tell;
    }

    private static readonly Lazy<bool> Loaded = new(() => NativeCodecs.TryLoad(Library));

    /// <summary>Whether libFLAC is on this machine (when not, FLAC stamps encode with ffmpeg as before).</summary>
    public static bool Available => Loaded.Value;

    /// <summary>The vendor string libFLAC writes in the comment block of the streams it encodes.</summary>
    public static string Vendor => VendorString.Value;

    private static readonly Lazy<string> VendorString = new(() =>
    {
        IntPtr text = Marshal.ReadIntPtr(NativeLibrary.GetExport(NativeLibrary.Load(Library), "FLAC__VENDOR_STRING"));
        return Marshal.PtrToStringUTF8(text) ?? "libFLAC";
    });

    /// <summary>The bits per sample of the stamp's output for a source of <paramref name="sourceBits"/>.</summary>
    public static int OutputBits(int sourceBits) => sourceBits > 16 ? 24 : 16;

    /// <summary>An encoder for the stream, or null when libFLAC refuses its settings (the ffmpeg encoder stays).</summary>
    public static LibflacEncoder? TryCreate(int sampleRate, int channels, int sourceBits, long totalSamples, string name)
    {
        if (channels is < 1 or > 8) return null;
        IntPtr flac = FLAC__stream_encoder_new();
        if (flac == IntPtr.Zero) throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libFLAC could not allocate an encoder");
        var encoder = new LibflacEncoder(flac, channels, OutputBits(sourceBits));
        bool ok = FLAC__stream_encoder_set_verify(flac, 0) != 0
            && FLAC__stream_encoder_set_streamable_subset(flac, 1) != 0
            && FLAC__stream_encoder_set_channels(flac, (uint)channels) != 0
            && FLAC__stream_encoder_set_bits_per_sample(flac, (uint)encoder._bits) != 0
            && FLAC__stream_encoder_set_sample_rate(flac, (uint)sampleRate) != 0
            && FLAC__stream_encoder_set_compression_level(flac, CompressionLevel) != 0
            && FLAC__stream_encoder_set_total_samples_estimate(flac, (ulong)Math.Max(0, totalSamples)) != 0
            && FLAC__stream_encoder_init_stream(flac, encoder._write, encoder._seek, encoder._tell, IntPtr.Zero, IntPtr.Zero) == 0;
        if (ok) return encoder;
        encoder.Dispose();
        return null;
    }

    public void Encode(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        for (int start = 0; start < frames; start += Block)
        {
            int n = Math.Min(Block, frames - start);
            var block = interleaved.Slice(start * _channels, n * _channels);
            if (_bits == 16)
                for (int i = 0; i < block.Length; i++)
                    _samples[i] = (int)Math.Clamp(MathF.Round(block[i] * 32768f), -32768f, 32767f);
            else
                for (int i = 0; i < block.Length; i++)
                    _samples[i] = (int)Math.Clamp(Math.Round(block[i] * 2147483648.0), int.MinValue, int.MaxValue) >> 8;
            if (FLAC__stream_encoder_process_interleaved(_flac, _samples, (uint)n) == 0)
                throw new LabelStampException(ErrorCode.ToolFailed, $"libFLAC failed to encode (state {FLAC__stream_encoder_get_state(_flac)})");
        }
    }

    /// <summary>
    /// Finishes the stream (libFLAC seeks back and completes STREAMINFO) and returns the output file:
    /// <paramref name="head"/> — the metadata the stamp composed (<see cref="FlacMetadata.Compose"/>, any
    /// STREAMINFO body) — with the encoder's STREAMINFO in place of its own, then the encoder's frames.
    /// </summary>
    public byte[] Finish(ReadOnlySpan<byte> head, string name)
    {
        if (FLAC__stream_encoder_finish(_flac) == 0)
            throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: libFLAC failed to finish the stream (state {FLAC__stream_encoder_get_state(_flac)})");
        byte[] stream = _out.GetBuffer();
        var ours = FlacMetadata.Read(stream.AsSpan(0, (int)_out.Length), name);
        var frames = stream.AsSpan(ours.FramesOffset, (int)_out.Length - ours.FramesOffset);
        var theirs = FlacMetadata.Read(head, name);
        var output = new byte[theirs.FramesOffset + frames.Length];
        head[..theirs.FramesOffset].CopyTo(output);
        ours.StreamInfoBlock.Body(stream).CopyTo(output.AsSpan(theirs.StreamInfoBlock.Offset));
        frames.CopyTo(output.AsSpan(theirs.FramesOffset));
        return output;
    }

    private int Write(IntPtr encoder, IntPtr buffer, nuint bytes, uint samples, uint frame, IntPtr client)
    {
        int n = (int)bytes;
        if (_copy.Length < n) _copy = new byte[Math.Max(n, _copy.Length * 2)];
        Marshal.Copy(buffer, _copy, 0, n);
        _out.Write(_copy, 0, n);
        return 0; // FLAC__STREAM_ENCODER_WRITE_STATUS_OK
    }

    private int Seek(IntPtr encoder, ulong offset, IntPtr client)
    {
        if (offset > (ulong)_out.Length) return 1; // FLAC__STREAM_ENCODER_SEEK_STATUS_ERROR
        _out.Position = (long)offset;
        return 0;
    }

    private int Tell(IntPtr encoder, IntPtr offset, IntPtr client)
    {
        Marshal.WriteInt64(offset, _out.Position);
        return 0;
    }

    public void Dispose()
    {
        if (_flac == IntPtr.Zero) return;
        // delete finishes a stream abandoned mid-way (a refused input, a cancellation) into our buffer,
        // which is then dropped: the callbacks are still alive here.
        FLAC__stream_encoder_delete(_flac);
        _flac = IntPtr.Zero;
        GC.KeepAlive(_write);
        GC.KeepAlive(_seek);
        GC.KeepAlive(_tell);
    }

    [DllImport(Library)] private static extern IntPtr FLAC__stream_encoder_new();
    [DllImport(Library)] private static extern void FLAC__stream_encoder_delete(IntPtr encoder);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_verify(IntPtr encoder, int value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_streamable_subset(IntPtr encoder, int value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_channels(IntPtr encoder, uint value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_bits_per_sample(IntPtr encoder, uint value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_sample_rate(IntPtr encoder, uint value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_compression_level(IntPtr encoder, uint value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_set_total_samples_estimate(IntPtr encoder, ulong value);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_init_stream(IntPtr encoder, WriteCallback write, SeekCallback seek,
        TellCallback tell, IntPtr metadata, IntPtr client);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_process_interleaved(IntPtr encoder, int[] buffer, uint samples);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_finish(IntPtr encoder);
    [DllImport(Library)] private static extern int FLAC__stream_encoder_get_state(IntPtr encoder);
}
