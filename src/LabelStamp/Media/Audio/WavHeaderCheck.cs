using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Media.Audio;

/// <summary>
/// Checks a WAV header against its bytes before ffmpeg sees it (spec §10: absurd durations, headers
/// that disagree with the bytes). ffmpeg silently clamps a data chunk to the file size, so a header
/// claiming hours of audio in a small file would otherwise pass; we refuse it with the claimed
/// duration. The streaming placeholders 0 and 0xFFFFFFFF (size unknown when written) are allowed.
/// </summary>
public static class WavHeaderCheck
{
    public static void Check(ReadOnlySpan<byte> wav, MediaLimits limits, string name)
    {
        if (wav.Length < 12 || !wav.StartsWith("RIFF"u8))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: not a RIFF/WAVE file");
        long byteRate = 0;
        int p = 12;
        while (p + 8 <= wav.Length)
        {
            var id = wav.Slice(p, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(wav[(p + 4)..]);
            if (id.SequenceEqual("fmt "u8) && p + 16 <= wav.Length - 8)
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(wav[(p + 16)..]);
            if (id.SequenceEqual("data"u8))
            {
                if (size is 0 or 0xFFFFFFFF) return;
                if (byteRate > 0) limits.CheckDuration(TimeSpan.FromSeconds((double)size / byteRate), name);
                if (p + 8 + (long)size > wav.Length)
                    throw new LabelStampException(ErrorCode.TruncatedInput,
                        $"{name}: WAV header declares {size} bytes of samples but the file holds {wav.Length - p - 8}");
                return;
            }
            p += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - p - 8);
        }
        throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: WAV file has no data chunk");
    }
}
