using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The audio headers read in process give exactly what ffprobe gives (the stamp's encoder settings and
/// output depend on it), with and without an AIGC tag, and a cut or hostile header is a typed error or
/// an answer of null (ffprobe then decides), never another exception.
/// </summary>
public class InProcessHeaderTests
{
    public static TheoryData<string, string[]> Encodings() => new()
    {
        { ".mp3", ["-c:a", "libmp3lame", "-b:a", "128k"] },
        { ".mp3", ["-c:a", "libmp3lame", "-q:a", "4", "-ac", "1", "-ar", "22050"] }, // VBR, MPEG-2
        { ".m4a", ["-c:a", "aac", "-b:a", "96k"] },
        { ".m4a", ["-c:a", "aac", "-b:a", "64k", "-ar", "16000", "-ac", "1"] },
        { ".flac", ["-c:a", "flac"] },
        { ".flac", ["-c:a", "flac", "-sample_fmt", "s32", "-ar", "48000"] },
        { ".ogg", ["-c:a", "libvorbis", "-q:a", "4"] },
        { ".ogg", ["-c:a", "libopus", "-b:a", "64k"] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task The_headers_read_in_process_match_ffprobe(string extension, string[] codec)
    {
        byte[] plain = AudioFixtures.Convert(AudioFixtures.Speech, extension, codec, seconds: 3.3);
        byte[] tagged = AudioFixtures.Convert(AudioFixtures.Speech, extension,
            [.. codec, extension == ".ogg" ? "-metadata:s:a:0" : "-metadata", "AIGC={\"Label\":\"1\"}", .. extension == ".m4a" ? new[] { "-movflags", "+use_metadata_tags" } : []],
            seconds: 5.7);
        foreach (byte[] bytes in new[] { plain, tagged })
        {
            var format = MediaSniffer.Sniff(bytes, "x" + extension);
            var read = AudioHeader.TryRead(bytes, format, "x");
            Assert.NotNull(read);
            AudioStreamInfo probed;
            using (var ws = await MediaWorkspace.CreateAsync(bytes, format.Extension, default))
                probed = await new AudioProbe(new ToolRunner()).ProbeAsync(ws, format, "x", TimeSpan.FromMinutes(1), default);
            Assert.Equal((probed.Codec, probed.SampleRate, probed.Channels, probed.Duration, probed.BitRate, probed.SampleFormat, probed.BitsPerSample, probed.HasVideo),
                (read.Codec, read.SampleRate, read.Channels, read.Duration, read.BitRate, read.SampleFormat, read.BitsPerSample, read.HasVideo));
            Assert.Equal(probed.Tags.GetValueOrDefault("AIGC"), read.Tags.GetValueOrDefault("AIGC"));
        }
        Assert.Equal("{\"Label\":\"1\"}", AudioHeader.TryRead(tagged, MediaSniffer.Sniff(tagged, "x" + extension), "x")!.Tags["AIGC"]);
    }

    /// <summary>Every prefix of a real file (the first 4 KiB byte by byte, then in steps) and a sweep of
    /// single-byte changes over the header (fixed pattern, no randomness): typed error or null only.</summary>
    [Theory]
    [InlineData(".mp3", "libmp3lame")]
    [InlineData(".m4a", "aac")]
    [InlineData(".flac", "flac")]
    [InlineData(".ogg", "libvorbis")]
    [InlineData(".opus", "libopus")]
    public void Cut_and_damaged_headers_are_typed_errors_or_left_to_ffprobe(string extension, string encoder)
    {
        byte[] whole = AudioFixtures.Convert(AudioFixtures.Speech, extension == ".opus" ? ".ogg" : extension,
            ["-c:a", encoder, "-metadata", "AIGC=x", .. extension == ".m4a" ? new[] { "-movflags", "+use_metadata_tags+faststart" } : []], seconds: 2);
        var format = MediaSniffer.Sniff(whole, "x" + extension);
        for (int n = 0; n < whole.Length; n += n < 4096 ? 1 : 997)
            Survives(whole.AsSpan(0, n), format);
        byte[] damaged = (byte[])whole.Clone();
        for (int at = 0; at < Math.Min(whole.Length, 2048); at++)
            foreach (byte value in new byte[] { 0x00, 0xFF, 0x7F, 0x80 })
            {
                byte keep = damaged[at];
                damaged[at] = value;
                Survives(damaged, format);
                damaged[at] = keep;
            }
    }

    [Fact]
    public void A_flac_stating_a_rate_of_zero_is_corrupt()
    {
        byte[] flac = AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac"], seconds: 1);
        // STREAMINFO follows "fLaC" and its 4-byte block header; the rate is the first 20 bits at offset 10.
        flac[8 + 10] = 0;
        flac[8 + 11] = 0;
        flac[8 + 12] &= 0x0F;
        var e = Assert.Throws<LabelStampException>(() => AudioHeader.TryRead(flac, MediaFormat.Flac, "x"));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
    }

    [Fact]
    public void An_id3_tag_claiming_more_than_the_file_is_truncated()
    {
        byte[] mp3 = [(byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F, 0, 0, 0, 0];
        var e = Assert.Throws<LabelStampException>(() => AudioHeader.TryRead(mp3, MediaFormat.Mp3, "x"));
        Assert.Equal(ErrorCode.TruncatedInput, e.Code);
    }

    private static void Survives(ReadOnlySpan<byte> bytes, MediaFormat format)
    {
        try
        {
            var info = AudioHeader.TryRead(bytes, format, "x");
            if (info is null) return;
            Assert.True(info.SampleRate > 0 && info.Channels > 0 && info.Duration > TimeSpan.Zero);
        }
        catch (LabelStampException e)
        {
            Assert.Contains(e.Code, new[] { ErrorCode.CorruptInput, ErrorCode.TruncatedInput, ErrorCode.DurationTooLong });
        }
    }
}
