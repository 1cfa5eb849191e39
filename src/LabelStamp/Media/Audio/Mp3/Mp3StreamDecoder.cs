using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LabelStamp.Errors;
using NLayer;

namespace LabelStamp.Media.Audio.Mp3;

/// <summary>
/// MP3 decoded in process (NLayer, a managed MPEG-1/2 Layer III decoder) with the gapless trimming
/// ffmpeg's demuxer applies, so the samples line up with ffmpeg's decode sample for sample: the LAME /
/// Lavf / Lavc tag in the Info/Xing frame gives the encoder delay and padding; the first delay + 529
/// samples (the decoder's own delay, as ffmpeg counts it) are dropped and the stream ends padding − 529
/// samples before the last frame's end. NLayer's floats differ from ffmpeg's in their last bits (a
/// different synthesis filter rounding; measured ≥ 68 dB SNR, bench/AUDIO.md), so the stamp's output
/// differs from the ffmpeg-decoded one in those bits too; it is deterministic per input. Bound: never
/// more frames than the Info/Xing frame count declares (the stamp checked that duration against its
/// limits before decoding).
/// </summary>
public sealed class Mp3StreamDecoder : IPcmDecoder
{
    /// <summary>The MPEG decoder's own delay in samples, which ffmpeg adds to the encoder's (mp3dec.c).</summary>
    private const int DecoderDelay = 529;
    private const int BlockFrames = 4096;

    private readonly MpegFile _file;
    private readonly string _name;
    private readonly long _start;
    private readonly long _end;
    private long _position;

    public Mp3StreamDecoder(ReadOnlyMemory<byte> file, AudioStreamInfo info, string name)
    {
        _name = name;
        var gapless = Gapless(file.Span) ?? throw new LabelStampException(ErrorCode.UnsupportedFormat,
            $"{name}: no Info/Xing frame count, so the in-process MP3 decoder cannot trim the stream as ffmpeg does");
        (_start, _end) = gapless.Delay is int delay ? (delay + DecoderDelay, gapless.TotalSamples - gapless.Padding + DecoderDelay) : (0, gapless.TotalSamples);
        _end = Math.Min(_end, gapless.TotalSamples);
        Stream stream = MemoryMarshal.TryGetArray(file, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(file.ToArray(), writable: false);
        try
        {
            _file = new MpegFile(stream);
            if (_file.Channels != info.Channels || _file.SampleRate != info.SampleRate)
                throw new LabelStampException(ErrorCode.CorruptInput,
                    $"{name}: the first MP3 frame says {_file.SampleRate} Hz, {_file.Channels} channels; the header read {info.SampleRate} Hz, {info.Channels}");
        }
        catch (Exception e) when (DecoderFaults.IsFileFault(e))
        {
            throw DecoderFaults.Map(e, "MP3", name);
        }
        Channels = info.Channels;
    }

    public int Channels { get; }

    public int Next(ref float[] output)
    {
        while (_position < _end)
        {
            if (output.Length < BlockFrames * Channels) output = new float[BlockFrames * Channels];
            int frames;
            try
            {
                frames = _file.ReadSamples(output.AsSpan(0, BlockFrames * Channels)) / Channels;
            }
            catch (Exception e) when (DecoderFaults.IsFileFault(e))
            {
                throw DecoderFaults.Map(e, "MP3", _name);
            }
            if (frames <= 0) return 0;
            long from = _position, to = _position + frames;
            _position = to;
            long keepFrom = Math.Max(from, _start), keepTo = Math.Min(to, _end);
            if (keepTo <= keepFrom) continue;
            int skip = (int)(keepFrom - from), keep = (int)(keepTo - keepFrom);
            if (skip > 0) output.AsSpan(skip * Channels, keep * Channels).CopyTo(output);
            return keep;
        }
        return 0;
    }

    /// <summary>
    /// The first frame's Info/Xing header (after an ID3v2 tag): frames × samples per frame, and the
    /// encoder delay and padding from a LAME-style tag (the 12 + 12 bits 21 bytes after its version
    /// string, read only when that string starts "LAME", "Lavf" or "Lavc", as ffmpeg does). Null when
    /// there is no frame count.
    /// </summary>
    internal static (long TotalSamples, int? Delay, int Padding)? Gapless(ReadOnlySpan<byte> file)
    {
        int at = 0;
        if (file.Length >= 10 && file.StartsWith("ID3"u8))
            at = 10 + (file[6] << 21 | file[7] << 14 | file[8] << 7 | file[9]) + ((file[5] & 0x10) != 0 ? 10 : 0);
        if (at < 0 || at + 4 > file.Length) return null;
        var h = file[at..];
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return null;
        int versionBits = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3;
        if (versionBits == 1 || layer != 1) return null;
        bool mpeg1 = versionBits == 3, mono = (h[3] >> 6) == 3;
        int side = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int x = 4 + side;
        if (h.Length < x + 8 || !(h[x..].StartsWith("Xing"u8) || h[x..].StartsWith("Info"u8))) return null;
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(h[(x + 4)..]);
        int p = x + 8;
        if ((flags & 1) == 0 || h.Length < p + 4) return null;
        long frames = BinaryPrimitives.ReadUInt32BigEndian(h[p..]);
        p += 4;
        if ((flags & 2) != 0) p += 4;
        if ((flags & 4) != 0) p += 100;
        if ((flags & 8) != 0) p += 4;
        long total = frames * (mpeg1 ? 1152 : 576);
        if (frames <= 0) return null;
        if (h.Length < p + 24) return (total, null, 0);
        var version = h.Slice(p, 4);
        if (!(version.SequenceEqual("LAME"u8) || version.SequenceEqual("Lavf"u8) || version.SequenceEqual("Lavc"u8))) return (total, null, 0);
        int v = h[p + 21] << 16 | h[p + 22] << 8 | h[p + 23];
        return (total, v >> 12, v & 0xFFF);
    }
}
