using System.Runtime.InteropServices;
using LabelStamp.Errors;
using NVorbis;

namespace LabelStamp.Media.Audio.Ogg;

/// <summary>
/// Ogg Vorbis decoded in process (NVorbis, a managed Vorbis I decoder), unclipped as ffmpeg's float
/// decode is (NVorbis clips to ±1 unless told not to: measured 18 dB SNR against ffmpeg on a loud clip
/// when it did), ending at the last page's granule position as ffmpeg does. The floats agree with
/// ffmpeg's to within float rounding (≥ 120 dB SNR measured, bench/AUDIO.md); the output is deterministic
/// per input. A chained or multiplexed file (more than one logical stream) is refused, so ffmpeg reads it.
/// Bound: never more samples than the last granule position declares.
/// </summary>
public sealed class VorbisStreamDecoder : IPcmDecoder
{
    private const int BlockFrames = 4096;

    private readonly VorbisReader _reader;
    private readonly string _name;
    private long _left;

    public VorbisStreamDecoder(ReadOnlyMemory<byte> file, AudioStreamInfo info, string name)
    {
        _name = name;
        Stream stream = MemoryMarshal.TryGetArray(file, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(file.ToArray(), writable: false);
        try
        {
            _reader = new VorbisReader(stream, closeOnDispose: true) { ClipSamples = false };
            if (_reader.Streams.Count != 1)
                throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {_reader.Streams.Count} logical Ogg streams");
            if (_reader.Channels != info.Channels || _reader.SampleRate != info.SampleRate)
                throw new LabelStampException(ErrorCode.CorruptInput,
                    $"{name}: the Vorbis header says {_reader.SampleRate} Hz, {_reader.Channels} channels; the stream was read as {info.SampleRate} Hz, {info.Channels}");
        }
        catch (Exception e) when (DecoderFaults.IsFileFault(e))
        {
            throw DecoderFaults.Map(e, "Vorbis", name);
        }
        Channels = info.Channels;
        _left = (long)Math.Round(info.Duration.Ticks * (double)info.SampleRate / TimeSpan.TicksPerSecond);
    }

    public int Channels { get; }

    public int Next(ref float[] output)
    {
        if (_left <= 0) return 0;
        if (output.Length < BlockFrames * Channels) output = new float[BlockFrames * Channels];
        int want = (int)Math.Min(BlockFrames, _left);
        int frames;
        try
        {
            frames = _reader.ReadSamples(output.AsSpan(0, want * Channels)) / Channels;
            if (_reader.Streams.Count != 1) throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{_name}: a chained Ogg file");
        }
        catch (Exception e) when (DecoderFaults.IsFileFault(e))
        {
            throw DecoderFaults.Map(e, "Vorbis", _name);
        }
        if (frames <= 0) return 0;
        _left -= frames;
        return frames;
    }
}
