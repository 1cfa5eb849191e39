using System.Globalization;
using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Audio.Ogg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The managed MP3 and Opus decoders a stamp now uses instead of an ffmpeg decode process: same
/// length as ffmpeg's decode (gapless trim, pre-skip, granule end), close to its samples (they round
/// differently, so not bit for bit: the floors below sit under the worst corpus file of bench/AUDIO.md's
/// `audio-decode` table), the same bytes on every run; and on damaged or cut-off files a typed error of
/// the three codes the labeler falls back on, never another exception.
/// </summary>
public class InProcessDecoderTests
{
    public static TheoryData<string, string, string[], double> Encodings() => new()
    {
        // what, extension, encoder arguments, the SNR vs ffmpeg's decode it must reach (dB)
        { "MP3 stereo 44.1 kHz 128k", ".mp3", ["-c:a", "libmp3lame", "-b:a", "128k"], 60 },
        { "MP3 mono 22.05 kHz 64k (MPEG-2)", ".mp3", ["-c:a", "libmp3lame", "-b:a", "64k", "-ac", "1", "-ar", "22050"], 60 },
        { "MP3 VBR", ".mp3", ["-c:a", "libmp3lame", "-q:a", "4"], 60 },
        { "Opus stereo 96k", ".opus", ["-c:a", "libopus", "-b:a", "96k"], 30 },
        // ffmpeg's own SILK decoder and libopus's (which Concentus ports) agree least: 27.4 dB measured here.
        { "Opus mono 32k (SILK/hybrid)", ".opus", ["-c:a", "libopus", "-b:a", "32k", "-ac", "1"], 25 },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decodes_to_ffmpegs_length_close_to_its_samples_and_the_same_every_time(string what, string ext, string[] codec, double minSnrDb)
    {
        Assert.NotEmpty(what);
        byte[] file = AudioFixtures.Convert(AudioFixtures.Music, ext, codec, seconds: 6.3);
        var format = MediaSniffer.Sniff(file, "x" + ext);
        var info = AudioHeader.TryRead(file, format, "x" + ext)!;
        float[] expected = FfmpegDecode(file, ext, info);
        float[] actual = Decode(file, format, info);
        Assert.Equal(expected.Length, actual.Length);
        double signal = 0, noise = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = actual[i] - expected[i];
            signal += (double)expected[i] * expected[i];
            noise += d * d;
        }
        double snr = 10 * Math.Log10(signal / Math.Max(noise, 1e-30));
        Assert.True(snr >= minSnrDb, $"{what}: SNR vs ffmpeg {snr:F1} dB < {minSnrDb} dB");
        Assert.True(actual.AsSpan().SequenceEqual(Decode(file, format, info)), "two decodes of the same file differ");
    }

    /// <summary>Cut-off files (fixed cut points) and damaged ones (bytes overwritten from fixed seeds 1-24,
    /// past the headers so the stream parameters still read): each either decodes (possibly shorter: a
    /// decoder may resynchronise, as ffmpeg's does) or ends in a typed error the labeler falls back on.</summary>
    [Theory]
    [InlineData(".mp3")]
    [InlineData(".opus")]
    public void Damaged_or_cut_off_input_is_decoded_or_a_typed_error(string ext)
    {
        var codec = AudioFixtures.Formats.Single(f => f.Ext == ext).Args;
        byte[] file = AudioFixtures.Convert(AudioFixtures.Speech, ext, codec, seconds: 3);
        var format = MediaSniffer.Sniff(file, "x" + ext);
        var info = AudioHeader.TryRead(file, format, "x" + ext)!;
        int typed = 0;
        foreach (double cut in new[] { 0.05, 0.3, 0.5, 0.77, 0.999 })
            typed += DecodeOrTypedError(file.AsSpan(0, (int)(file.Length * cut)).ToArray(), format, info);
        for (int seed = 1; seed <= 24; seed++)
        {
            var damaged = (byte[])file.Clone();
            var rng = new Random(seed);
            int from = Math.Min(file.Length - 1, 4096);
            for (int k = 0; k < 1 + seed % 8; k++)
            {
                int at = rng.Next(from, file.Length - 16);
                for (int j = 0; j < 1 + rng.Next(16); j++) damaged[at + j] = (byte)rng.Next(256);
            }
            typed += DecodeOrTypedError(damaged, format, info);
        }
        // Our Ogg reader checks every page's CRC and sequence, so each damaged Opus file is refused; NLayer skips
        // what it cannot read and resynchronises, as ffmpeg does.
        if (ext == ".opus") Assert.True(typed >= 24, $"{ext}: only {typed} of 29 damaged or cut files were refused");
    }

    [Fact]
    public void An_ogg_page_with_a_wrong_crc_is_corrupt_and_a_second_stream_unsupported()
    {
        byte[] opus = AudioFixtures.Convert(AudioFixtures.Speech, ".opus", ["-c:a", "libopus", "-b:a", "64k"], seconds: 2);
        var bad = (byte[])opus.Clone();
        bad[22] ^= 1; // the first page's stored CRC
        var e = Assert.Throws<LabelStampException>(() => Drain(new OggPacketReader(bad, "x.opus")));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);

        // Two streams one after the other (a chained file): what follows the end-of-stream page is refused.
        byte[] chained = [.. opus, .. opus];
        e = Assert.Throws<LabelStampException>(() => Drain(new OggPacketReader(chained, "x.opus")));
        Assert.Equal(ErrorCode.UnsupportedFormat, e.Code);

        e = Assert.Throws<LabelStampException>(() => Drain(new OggPacketReader(opus.AsSpan(0, opus.Length - 7).ToArray(), "x.opus")));
        Assert.Equal(ErrorCode.TruncatedInput, e.Code);
        Assert.True(Drain(new OggPacketReader(opus, "x.opus")) > 10);
    }

    [Fact]
    public void The_decoder_never_gives_more_samples_than_the_header_declares()
    {
        byte[] opus = AudioFixtures.Convert(AudioFixtures.Music, ".opus", ["-c:a", "libopus", "-b:a", "96k"], seconds: 4);
        var info = AudioHeader.TryRead(opus, MediaFormat.Ogg, "x.opus")!;
        // A header that claims a quarter of the real length bounds what comes out (the stamp checked that length).
        var shorter = info with { Duration = info.Duration / 4 };
        float[] pcm = Decode(opus, MediaFormat.Ogg, shorter);
        long declared = (long)Math.Round(shorter.Duration.TotalSeconds * info.SampleRate), frames = pcm.Length / info.Channels;
        // At most what the header declares (the whole file is four times that); less by the pre-skip at most.
        Assert.InRange(frames, declared - 3840, declared);
    }

    private static int DecodeOrTypedError(byte[] file, MediaFormat format, AudioStreamInfo info)
    {
        try
        {
            Decode(file, format, info);
            return 0;
        }
        catch (LabelStampException e)
        {
            Assert.Contains(e.Code, new[] { ErrorCode.CorruptInput, ErrorCode.TruncatedInput, ErrorCode.UnsupportedFormat });
            return 1;
        }
    }

    private static int Drain(OggPacketReader reader)
    {
        int n = 0;
        while (reader.TryNext(out _)) n++;
        return n;
    }

    private static float[] Decode(byte[] file, MediaFormat format, AudioStreamInfo info)
    {
        using var stream = new DecodedPcmStream(InProcessDecoder.Open(format, info, file, "x")!);
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        return MemoryMarshal.Cast<byte, float>(ms.ToArray()).ToArray();
    }

    private static float[] FfmpegDecode(byte[] file, string ext, AudioStreamInfo info)
    {
        string path = AudioFixtures.WriteTemp(file, ext);
        try
        {
            return MemoryMarshal.Cast<byte, float>(AudioFixtures.Ffmpeg("-i", path, "-f", "f32le", "-c:a", "pcm_f32le",
                "-ar", info.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", info.Channels.ToString(CultureInfo.InvariantCulture), "pipe:1")).ToArray();
        }
        finally { File.Delete(path); }
    }
}
