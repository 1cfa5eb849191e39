using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Audio.Headers;

namespace LabelStamp.Tests.Audio;

/// <summary>The in-process FLAC decoder gives ffmpeg's decoded floats bit for bit (the stamp's output
/// depends on it) over the encoder's subframe types, stereo modes and sample sizes; a damaged frame is a
/// typed error (the labeler then falls back to ffmpeg's decoder).</summary>
public class FlacDecoderTests
{
    public static TheoryData<string, string[]> Encodings() => new()
    {
        { "music, stereo, level 5", ["-c:a", "flac"] },
        { "music, stereo, level 12 (long LPC)", ["-c:a", "flac", "-compression_level", "12"] },
        { "music, stereo, level 0 (fixed predictors)", ["-c:a", "flac", "-compression_level", "0"] },
        { "music, left/side", ["-c:a", "flac", "-ch_mode", "left_side"] },
        { "music, right/side", ["-c:a", "flac", "-ch_mode", "right_side"] },
        { "music, mid/side", ["-c:a", "flac", "-ch_mode", "mid_side"] },
        { "music, independent", ["-c:a", "flac", "-ch_mode", "indep"] },
        { "music, 24 bit", ["-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24"] },
        { "music, mono 22.05 kHz", ["-c:a", "flac", "-ac", "1", "-ar", "22050"] },
        { "music, odd block size (stated in each frame header)", ["-c:a", "flac", "-frame_size", "1000"] },
        { "mono, 16 kHz, tiny blocks", ["-c:a", "flac", "-ac", "1", "-ar", "16000", "-frame_size", "200"] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decodes_to_ffmpegs_samples_bit_for_bit(string what, string[] codec)
    {
        Assert.NotEmpty(what);
        byte[] flac = AudioFixtures.Convert(AudioFixtures.Music, ".flac", codec, seconds: 6.3);
        var info = AudioHeader.TryRead(flac, MediaFormat.Flac, "x.flac")!;
        string path = AudioFixtures.WriteTemp(flac, ".flac");
        float[] expected;
        try
        {
            expected = MemoryMarshal.Cast<byte, float>(AudioFixtures.Ffmpeg("-i", path, "-f", "f32le", "-c:a", "pcm_f32le",
                "-ar", info.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-ac", info.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture), "pipe:1")).ToArray();
        }
        finally { File.Delete(path); }
        using var stream = new DecodedPcmStream(new FlacDecoder(flac, info, "x.flac"));
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        float[] actual = MemoryMarshal.Cast<byte, float>(ms.ToArray()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "decoded samples differ from ffmpeg's");
    }

    [Fact]
    public void A_damaged_frame_is_a_typed_error()
    {
        byte[] flac = AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac"], seconds: 2);
        var info = AudioHeader.TryRead(flac, MediaFormat.Flac, "x.flac")!;
        // Flip bits in the middle of the audio frames: the frame CRC (or the bit stream itself) refuses it.
        for (int i = flac.Length / 2; i < flac.Length / 2 + 64; i++) flac[i] ^= 0x5A;
        var e = Assert.Throws<LabelStampException>(() => new DecodedPcmStream(new FlacDecoder(flac, info, "x.flac")).CopyTo(Stream.Null));
        Assert.Contains(e.Code, new[] { ErrorCode.CorruptInput, ErrorCode.TruncatedInput });
    }
}
