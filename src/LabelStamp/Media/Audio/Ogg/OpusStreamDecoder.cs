using System.Buffers.Binary;
using Concentus;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio.Ogg;

/// <summary>
/// Ogg Opus (RFC 7845) decoded in process: our <see cref="OggPacketReader"/> for the pages, Concentus's
/// managed Opus decoder (a port of libopus, always the managed one: no native library is looked for, so
/// the output does not depend on what the machine has installed) for the packets, at 48 kHz as ffmpeg
/// decodes Opus. As ffmpeg does: the header's pre-skip is dropped from the start, the output gain applied,
/// and the stream ends at the last page's granule position. Channel mapping family 0 only (mono and
/// stereo; surround files are left to ffmpeg). ffmpeg's own Opus decoder rounds differently from libopus
/// (bench/AUDIO.md gives the measured agreement); the output is deterministic per input. Bound: never more
/// samples than the last granule position declares (the stamp checked that duration first).
/// </summary>
public sealed class OpusStreamDecoder : IPcmDecoder
{
    /// <summary>Opus's only output rate here, and its longest packet (120 ms) in samples per channel.</summary>
    private const int Rate = 48_000;
    private const int MaxPacketFrames = 5760;

    private readonly OggPacketReader _packets;
    private readonly IOpusDecoder _decoder;
    private readonly string _name;
    private readonly float _gain;
    private long _skip;
    private long _left;

    public OpusStreamDecoder(ReadOnlyMemory<byte> file, AudioStreamInfo info, string name)
    {
        _name = name;
        _packets = new OggPacketReader(file, name);
        if (!_packets.TryNext(out var head) || head.Length < 19 || !head.Span.StartsWith("OpusHead"u8))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the first Ogg packet is not an Opus identification header");
        var h = head.Span;
        if (h[8] >> 4 != 0) throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: Opus header version {h[8]}");
        int channels = h[9], family = h[18];
        if (family != 0 || channels is < 1 or > 2)
            throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: Opus channel mapping family {family} with {channels} channels");
        if (channels != info.Channels || info.SampleRate != Rate)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the Opus header says {channels} channels; the stream was read as {info.Channels} at {info.SampleRate} Hz");
        _skip = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        // Q7.8 dB, applied to the decoded output as RFC 7845 §5.1 and ffmpeg do.
        _gain = MathF.Pow(10, BinaryPrimitives.ReadInt16LittleEndian(h[16..]) / (20f * 256));
        if (!_packets.TryNext(out var tags) || !tags.Span.StartsWith("OpusTags"u8))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the second Ogg packet is not an OpusTags header");
        long granule = (long)Math.Round(info.Duration.Ticks * (double)Rate / TimeSpan.TicksPerSecond);
        _left = Math.Max(0, granule - _skip);
        Channels = channels;
        try
        {
            // The factory would load a native libopus when it finds one (the machine's, via the
            // Concentus.Native convention), making the samples depend on the host; the managed decoder
            // is chosen on purpose, so the factory's obsoletion note does not apply.
#pragma warning disable CS0618
            _decoder = new Concentus.Structs.OpusDecoder(Rate, channels);
#pragma warning restore CS0618
        }
        catch (Exception e) when (DecoderFaults.IsFileFault(e))
        {
            throw DecoderFaults.Map(e, "Opus", name);
        }
    }

    public int Channels { get; }

    public int Next(ref float[] output)
    {
        if (output.Length < MaxPacketFrames * Channels) output = new float[MaxPacketFrames * Channels];
        while (_left > 0 && _packets.TryNext(out var packet))
        {
            int frames;
            try
            {
                // An empty packet is a lost one (RFC 7845 §3): the decoder conceals it, as ffmpeg's does.
                frames = _decoder.Decode(packet.Span, output.AsSpan(0, MaxPacketFrames * Channels), MaxPacketFrames, false);
            }
            catch (Exception e) when (DecoderFaults.IsFileFault(e))
            {
                throw DecoderFaults.Map(e, "Opus", _name);
            }
            if (frames < 0) throw new LabelStampException(ErrorCode.CorruptInput, $"{_name}: an Opus packet did not decode (error {frames})");
            int skip = (int)Math.Min(_skip, frames);
            _skip -= skip;
            int keep = (int)Math.Min(frames - skip, _left);
            if (keep <= 0) continue;
            _left -= keep;
            var kept = output.AsSpan(skip * Channels, keep * Channels);
            if (_gain != 1f) foreach (ref float v in kept) v *= _gain;
            if (skip > 0) kept.CopyTo(output);
            return keep;
        }
        return 0;
    }
}
