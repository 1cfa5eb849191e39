using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Audio;

/// <summary>
/// Checks a WAV header against the limits and its own bytes before ffmpeg sees it (spec §10: absurd
/// durations, headers that disagree with the bytes). The 'fmt ' chunk must come before 'data' (ffmpeg's
/// demuxer requires it too) and give a sample rate and channel count the audio path supports: every later
/// stage sizes buffers and divides by them, and rates of a few Hz kept ffmpeg and the prompt detector busy
/// for half a minute before a division by zero. For PCM and float the block size must be channels × bytes
/// per sample, since that is what ffmpeg reads a sample frame as. ffmpeg silently clamps a data chunk to
/// the file size, so a header claiming hours of audio in a small file would otherwise pass; we refuse it
/// with the claimed duration. The streaming placeholders 0 and 0xFFFFFFFF (size unknown when written)
/// are allowed.
/// </summary>
public static class WavHeaderCheck
{
    private const ushort Pcm = 1, IeeeFloat = 3, Extensible = 0xFFFE;

    public static void Check(ReadOnlySpan<byte> wav, MediaLimits limits, string name)
    {
        if (wav.Length < 12 || !wav.StartsWith("RIFF"u8))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a RIFF/WAVE file");
        long byteRate = 0;
        long p = 12;
        while (p + 8 <= wav.Length)
        {
            var id = wav.Slice((int)p, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(wav[((int)p + 4)..]);
            if (id.SequenceEqual("fmt "u8))
                byteRate = CheckFormat(wav.Slice((int)p + 8, (int)Math.Min(size, wav.Length - p - 8)), limits, name);
            if (id.SequenceEqual("data"u8))
            {
                if (byteRate == 0)
                    throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV file has no 'fmt ' chunk before its data");
                if (size is 0 or 0xFFFFFFFF) return;
                limits.CheckDuration(TimeSpan.FromSeconds((double)size / byteRate), name);
                if (p + 8 + (long)size > wav.Length)
                    throw new LabelStampException(ErrorCode.TruncatedInput,
                        $"{name}: WAV header declares {size} bytes of samples but the file holds {wav.Length - p - 8}");
                return;
            }
            p += 8L + size + (size & 1);
        }
        throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV file has no data chunk");
    }

    /// <summary>Checks a WAVEFORMAT(EX/EXTENSIBLE) body; returns the bytes per second the data chunk plays at.</summary>
    private static long CheckFormat(ReadOnlySpan<byte> fmt, MediaLimits limits, string name)
    {
        if (fmt.Length < 16)
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV 'fmt ' chunk is {fmt.Length} bytes, shorter than the 16 every WAV format needs");
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        uint declaredByteRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[8..]);
        ushort blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        limits.CheckAudio(rate, channels, name);
        // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
        if (tag == Extensible && fmt.Length >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        if (tag is Pcm or IeeeFloat)
        {
            if (bits is not (8 or 16 or 24 or 32 or 64) || (tag == IeeeFloat && bits is not (32 or 64)))
                throw new LabelStampException(ErrorCode.AudioParametersOutOfRange,
                    $"{name}: WAV header gives {bits} bits per {(tag == Pcm ? "PCM" : "float")} sample; the audio path reads 8, 16, 24, 32 or 64");
            if (blockAlign != channels * (bits / 8))
                throw new LabelStampException(ErrorCode.AudioParametersOutOfRange,
                    $"{name}: WAV header gives a block of {blockAlign} bytes, but {channels} channels of {bits}-bit samples take {channels * (bits / 8)}");
            return (long)rate * blockAlign;
        }
        // Compressed formats (ADPCM, A-law, …) state their own block size and average rate; ffmpeg decodes them for verify.
        if (blockAlign == 0 || declaredByteRate == 0)
            throw new LabelStampException(ErrorCode.AudioParametersOutOfRange,
                $"{name}: WAV header of format 0x{tag:X4} gives a block of {blockAlign} bytes at {declaredByteRate} bytes/s; neither may be zero");
        return declaredByteRate;
    }
}
