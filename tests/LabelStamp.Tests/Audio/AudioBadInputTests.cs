using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>Spec §10 for audio: typed errors with stable codes, never a crash or a hang.</summary>
public class AudioBadInputTests
{
    private static async Task<LabelStampException> StampFails(byte[] bytes, MediaFormat format, MediaLimits? limits = null)
    {
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<LabelStampException>(() =>
            new AudioLabeler().LabelAsync(bytes, AudioFixtures.Context(format, "bad", limits: limits), default));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "took too long");
        return e;
    }

    [Fact]
    public async Task Empty_input_is_a_typed_error() =>
        Assert.Equal(ErrorCode.EmptyInput, (await StampFails([], MediaFormat.Wav)).Code);

    [Theory]
    [InlineData(".wav")]
    [InlineData(".mp3")]
    [InlineData(".flac")]
    [InlineData(".m4a")]
    [InlineData(".ogg")]
    public async Task A_truncated_header_is_a_typed_error(string ext)
    {
        var full = AudioFixtures.Convert(AudioFixtures.Speech, ext, AudioFixtures.Formats.First(f => f.Ext == ext).Args, seconds: 2);
        var format = MediaSniffer.Sniff(full, "x" + ext);
        var e = await StampFails(full[..24], format);
        Assert.Contains(e.Code, new[] { ErrorCode.CorruptInput, ErrorCode.TruncatedInput });
    }

    [Fact]
    public async Task Random_bytes_are_refused_by_the_sniffer_and_by_the_forced_demuxer()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x00; // never a valid magic
        Assert.Throws<LabelStampException>(() => MediaSniffer.Sniff(bytes, "noise.mp3"));
        var e = await StampFails(bytes, MediaFormat.Mp3);
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
    }

    [Theory]
    [InlineData(".mp3")]
    [InlineData(".m4a")]
    public async Task An_hls_playlist_named_as_audio_is_hostile_and_never_followed(string ext)
    {
        string target = Path.Combine(Path.GetTempPath(), "ls-secret-" + Guid.NewGuid().ToString("N") + ".mp3");
        File.WriteAllBytes(target, AudioFixtures.Convert(AudioFixtures.Speech, ".mp3", ["-c:a", "libmp3lame"], seconds: 1));
        try
        {
            var playlist = Encoding.ASCII.GetBytes($"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{target}\n#EXT-X-ENDLIST\n");
            var sniff = Assert.Throws<LabelStampException>(() => MediaSniffer.Sniff(playlist, "song" + ext));
            Assert.Equal(ErrorCode.HostileInput, sniff.Code);
            // Even if a caller skipped the sniffer, the forced demuxer refuses it instead of reading the target.
            var e = await StampFails(playlist, ext == ".mp3" ? MediaFormat.Mp3 : MediaFormat.Mp4);
            Assert.Equal(ErrorCode.CorruptInput, e.Code);
        }
        finally { File.Delete(target); }
    }

    [Fact]
    public async Task An_absurd_duration_in_the_header_is_refused_before_decoding()
    {
        var wav = AudioFixtures.Convert(AudioFixtures.Speech, ".wav", ["-c:a", "pcm_s16le"], seconds: 1);
        int data = wav.AsSpan().IndexOf("data"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(data + 4), 0xFFFFFFF0u); // ≈ 12 h of 48 kHz mono
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), 0xFFFFFFF0u);
        var e = await StampFails(wav, MediaFormat.Wav);
        Assert.Equal(ErrorCode.DurationTooLong, e.Code);

        var ok = AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac"], seconds: 3);
        var limited = await StampFails(ok, MediaFormat.Flac, new MediaLimits { MaxDuration = TimeSpan.FromSeconds(2) });
        Assert.Equal(ErrorCode.DurationTooLong, limited.Code);
    }

    [Fact]
    public async Task Every_ffmpeg_call_has_a_timeout()
    {
        // MP3: ffmpeg decodes it (a FLAC stamp starts no process at all, FlacInProcessTests).
        var ok = AudioFixtures.Convert(AudioFixtures.Speech, ".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], seconds: 3);
        var e = await StampFails(ok, MediaFormat.Mp3, new MediaLimits { ToolTimeout = TimeSpan.FromMilliseconds(1) });
        Assert.Equal(ErrorCode.ToolTimeout, e.Code);
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_a_typed_error()
    {
        var ok = AudioFixtures.Convert(AudioFixtures.Speech, ".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], seconds: 1);
        var labeler = new AudioLabeler(new ToolRunner("/nonexistent/ffmpeg", "/nonexistent/ffprobe"));
        var e = await Assert.ThrowsAsync<LabelStampException>(() => labeler.LabelAsync(ok, AudioFixtures.Context(MediaFormat.Mp3, "x"), default));
        Assert.Equal(ErrorCode.ToolMissing, e.Code);
    }
}
