using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The samples of a plain WAV file, read and written in process so WAV in → WAV out needs no ffmpeg
/// (two process start-ups cost more than the whole mark on a short file). Handles integer PCM of 16, 24
/// and 32 bits and IEEE float of 32 and 64 bits (plain or WAVE_FORMAT_EXTENSIBLE); anything else (8-bit,
/// ADPCM, A-law, streaming size placeholders) is left to the ffmpeg path (<see cref="TryOpen"/> returns
/// null). The conversions are ffmpeg's: int → float divides by 2^(bits−1); float → int multiplies back,
/// rounds to nearest and clips, so a sample the processor did not change comes back bit for bit.
/// Every other chunk is kept as it was, byte for byte.
/// </summary>
public sealed class WavPcm
{
    private const ushort Pcm = 1, IeeeFloat = 3, Extensible = 0xFFFE;
    private readonly RiffFile _riff;
    private readonly int _dataIndex;

    private WavPcm(RiffFile riff, int dataIndex, int sampleRate, int channels, int bits, bool isFloat)
    {
        _riff = riff;
        _dataIndex = dataIndex;
        SampleRate = sampleRate;
        Channels = channels;
        BitsPerSample = bits;
        IsFloat = isFloat;
    }

    public int SampleRate { get; }
    public int Channels { get; }
    public int BitsPerSample { get; }
    public bool IsFloat { get; }
    public int BlockAlign => Channels * BitsPerSample / 8;
    public long Frames => _riff.Chunks[_dataIndex].Data.Length / BlockAlign;
    public TimeSpan Duration => TimeSpan.FromSeconds(Frames / (double)SampleRate);

    /// <summary>The ffmpeg codec name of these samples (what the probe would report).</summary>
    public string Codec => IsFloat ? (BitsPerSample == 32 ? "pcm_f32le" : "pcm_f64le") : $"pcm_s{BitsPerSample}le";

    /// <summary>
    /// Opens a WAV whose header <see cref="WavHeaderCheck"/> has accepted. Null when the sample format is
    /// not one this reader handles or the data size is a streaming placeholder (the ffmpeg path reads those).
    /// A 'fmt ' or 'data' chunk that contradicts itself throws <see cref="ErrorCode.CorruptInput"/>.
    /// </summary>
    public static WavPcm? TryOpen(ReadOnlyMemory<byte> wav, string name)
    {
        var span = wav.Span;
        if (span.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) is 0 or 0xFFFFFFFF) return null;
        var riff = RiffFile.Parse(wav, name);
        if (riff.Form != "WAVE") throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: RIFF form is '{riff.Form}', not WAVE");
        int fmtIndex = riff.IndexOf("fmt "), dataIndex = riff.IndexOf("data");
        if (fmtIndex < 0 || dataIndex < 0 || dataIndex < fmtIndex)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV file needs a 'fmt ' chunk before its 'data' chunk");
        var fmt = riff.Chunks[fmtIndex].Data.Span;
        if (fmt.Length < 16)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV 'fmt ' chunk is {fmt.Length} bytes, shorter than 16");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        int rate = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]));
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == Extensible)
        {
            if (fmt.Length < 40)
                throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {fmt.Length} bytes, shorter than 40");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        bool supported = (tag == Pcm && bits is 16 or 24 or 32) || (tag == IeeeFloat && bits is 32 or 64);
        if (!supported || channels < 1 || rate < 1) return null;
        if (blockAlign != channels * bits / 8)
            throw new LabelStampException(ErrorCode.CorruptInput,
                $"{name}: WAV header gives a block of {blockAlign} bytes, but {channels} channels of {bits}-bit samples take {channels * bits / 8}");
        return new WavPcm(riff, dataIndex, rate, channels, bits, tag == IeeeFloat);
    }

    /// <summary>Runs <paramref name="processor"/> over the samples in chunks of <paramref name="chunkFrames"/>
    /// frames exactly as <see cref="PcmPipeline"/> feeds it (interleaved float, each chunk with the one
    /// before it held back for the processor's look-ahead, the end marked by a short or empty chunk), and
    /// returns the file with the new samples. A trailing partial frame is kept as it was. Call once.</summary>
    public RiffFile Process(PcmPipeline.ChunkProcessor processor, int chunkFrames, CancellationToken cancellationToken = default)
    {
        var output = _riff.Chunks[_dataIndex].Data.ToArray();
        var current = new float[chunkFrames * Channels];
        var held = new float[chunkFrames * Channels];
        long frames = Frames, first = 0, heldFirst = 0;
        int heldFrames = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = (int)Math.Min(chunkFrames, frames - first);
            bool last = n < chunkFrames;
            Decode(output, first, n, current);
            processor(current.AsSpan(0, n * Channels), held.AsSpan(0, heldFrames * Channels), first, last);
            Encode(output, heldFirst, heldFrames, held);
            if (last)
            {
                Encode(output, first, n, current);
                break;
            }
            (current, held) = (held, current);
            heldFirst = first;
            heldFrames = n;
            first += n;
        }
        _riff.Chunks[_dataIndex] = new RiffChunk("data", output); // this instance parsed its own copy of the chunk list
        return _riff;
    }

    // 16-bit PCM, the common case, has loops of its own over the samples as shorts: the per-sample
    // format switch and byte slicing of the general loops were a tenth of a 44.1 kHz stereo stamp
    // (bench/AUDIO.md). The arithmetic is the general loops', so the samples are the same bit for bit.
    private bool Short16 => !IsFloat && BitsPerSample == 16 && BitConverter.IsLittleEndian;

    private void Decode(byte[] data, long firstFrame, int frameCount, float[] samples)
    {
        int size = BitsPerSample / 8, count = frameCount * Channels;
        var bytes = data.AsSpan((int)(firstFrame * BlockAlign), frameCount * BlockAlign);
        if (Short16)
        {
            var pcm = MemoryMarshal.Cast<byte, short>(bytes)[..count];
            var dst = samples.AsSpan(0, count);
            for (int i = 0; i < pcm.Length; i++) dst[i] = pcm[i] / 32768f;
            return;
        }
        for (int i = 0; i < count; i++) samples[i] = Read(bytes.Slice(i * size, size));
    }

    private void Encode(byte[] data, long firstFrame, int frameCount, float[] samples)
    {
        int size = BitsPerSample / 8, count = frameCount * Channels;
        var bytes = data.AsSpan((int)(firstFrame * BlockAlign), frameCount * BlockAlign);
        if (Short16)
        {
            var pcm = MemoryMarshal.Cast<byte, short>(bytes)[..count];
            var src = samples.AsSpan(0, count);
            for (int i = 0; i < pcm.Length; i++) pcm[i] = ToShort(src[i]);
            return;
        }
        for (int i = 0; i < count; i++) Write(bytes.Slice(i * size, size), samples[i]);
    }

    private static short ToShort(float v) => (short)Math.Clamp(MathF.Round(v * 32768f), -32768f, 32767f);

    /// <summary>The file as it was (metadata-only labeling changes no sample).</summary>
    public RiffFile Unchanged() => _riff;

    private float Read(ReadOnlySpan<byte> s) => (IsFloat, BitsPerSample) switch
    {
        (true, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
        (true, _) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
        (false, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
        (false, 24) => ((s[0] << 8 | s[1] << 16 | s[2] << 24) >> 8) / 8388608f,
        _ => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
    };

    private void Write(Span<byte> s, float v)
    {
        switch (IsFloat, BitsPerSample)
        {
            case (true, 32): BinaryPrimitives.WriteSingleLittleEndian(s, v); break;
            case (true, _): BinaryPrimitives.WriteDoubleLittleEndian(s, v); break;
            case (false, 16): BinaryPrimitives.WriteInt16LittleEndian(s, ToShort(v)); break;
            case (false, 24):
                int x = (int)Math.Clamp(Math.Round(v * 8388608.0), -8388608.0, 8388607.0);
                s[0] = (byte)x; s[1] = (byte)(x >> 8); s[2] = (byte)(x >> 16);
                break;
            default: BinaryPrimitives.WriteInt32LittleEndian(s, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue)); break;
        }
    }
}
