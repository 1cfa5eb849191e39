using System.Buffers.Binary;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Verification;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// Issue 22 for audio: sample rate, channels and block layout are checked from the WAV header, and from the
/// probe for other formats, before ffmpeg decodes anything. The tools here point at paths that do not exist
/// (or a fake ffprobe), so reaching a decode would fail with LS500 instead of the LS113 asserted.
/// </summary>
public class AudioHeaderBoundsTests
{
    private static readonly ToolRunner NoTools = new("/nonexistent/ffmpeg", "/nonexistent/ffprobe");

    /// <summary>A canonical 44-byte-header WAV with 8,000 bytes of samples: at the defaults 0.25 s of a 440 Hz
    /// tone in 16-bit mono (computed, no randomness); other headers describe the same bytes.</summary>
    public static byte[] Wav(uint rate = 16_000, ushort channels = 1, ushort bits = 16, ushort? blockAlign = null, ushort format = 1)
    {
        int frames = 4_000;
        ushort align = blockAlign ?? (ushort)(channels * bits / 8);
        int dataBytes = Math.Min(frames * Math.Max(1, (int)align), 8_000); // small whatever the header claims
        var wav = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), format);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(28), unchecked(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), align);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(34), bits);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), (uint)dataBytes);
        if (bits == 16 && align == 2)
            for (int i = 0; i < frames; i++)
                BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + 2 * i), (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 16_000.0)));
        return wav;
    }

    public static TheoryData<uint, ushort> OutOfRange => new()
    {
        { 4, 1 }, { 15, 1 }, { int.MaxValue, 1 }, { 250_000_000, 1 }, { 7_999, 1 }, { 384_001, 1 },
        { 16_000, 0 }, { 16_000, 65_535 }, { 16_000, 9 },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task Out_of_range_rates_and_channels_are_refused_before_ffmpeg_on_stamp_and_verify(uint rate, ushort channels)
    {
        byte[] wav = Wav(rate, channels, blockAlign: (ushort)Math.Max(2, channels * 2));
        var header = Assert.Throws<LabelStampException>(() => WavHeaderCheck.Check(wav, new MediaLimits(), "odd.wav"));
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, header.Code);
        Assert.Contains("odd.wav", header.Message);

        var stamp = await Assert.ThrowsAsync<LabelStampException>(() =>
            new AudioLabeler(NoTools).LabelAsync(wav, AudioFixtures.Context(MediaFormat.Wav, "odd"), default));
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, stamp.Code);

        var verifier = new Verifier([new AudioFileInspector(new AudioLabeler(NoTools), new AudioInspector(NoTools))]);
        var report = await verifier.VerifyAsync(wav, "odd.wav", new VerifyOptions());
        Assert.Equal("LS113", report.ErrorCode);
        Assert.Contains("refused before decoding", report.Error);
        Assert.False(report.AiLabelFound);
    }

    [Theory]
    [InlineData(8_000, 1)]
    [InlineData(384_000, 8)]
    [InlineData(44_100, 2)]
    public void Rates_and_channels_in_range_pass_the_header_check(uint rate, ushort channels) =>
        WavHeaderCheck.Check(Wav(rate, channels), new MediaLimits(), "ok.wav");

    [Theory]
    [InlineData(12, null, 1)]  // 12-bit PCM: no whole-byte sample
    [InlineData(16, (ushort)3, 1)] // block of 3 bytes for 16-bit mono
    [InlineData(16, (ushort)0, 1)]
    [InlineData(16, (ushort)2, 3)] // float at 16 bits
    [InlineData(16, (ushort)0, 0x11)] // IMA ADPCM with a zero block size
    public void Inconsistent_sample_layouts_are_refused(ushort bits, ushort? blockAlign, ushort format)
    {
        var e = Assert.Throws<LabelStampException>(() => WavHeaderCheck.Check(Wav(bits: bits, blockAlign: blockAlign, format: format), new MediaLimits(), "layout.wav"));
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, e.Code);
    }

    [Fact]
    public void The_format_must_come_before_the_data()
    {
        byte[] wav = Wav();
        "junk"u8.CopyTo(wav.AsSpan(12)); // the 'fmt ' chunk is now an unknown chunk
        Assert.Equal(ErrorCode.CorruptInput, Assert.Throws<LabelStampException>(() => WavHeaderCheck.Check(wav, new MediaLimits(), "nofmt.wav")).Code);
        // Huge unknown chunk sizes only move the walk forward (no overflow into a loop).
        byte[] huge = Wav();
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(16), 0xFFFFFFFF);
        Assert.Equal(ErrorCode.CorruptInput, Assert.Throws<LabelStampException>(() => WavHeaderCheck.Check(huge, new MediaLimits(), "huge.wav")).Code);
    }

    [Fact]
    public void The_audio_limits_are_configurable_and_validated()
    {
        var narrow = new MediaLimits { MinSampleRate = 16_000, MaxChannels = 2 };
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, Assert.Throws<LabelStampException>(() => narrow.CheckAudio(8_000, 1, "x")).Code);
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, Assert.Throws<LabelStampException>(() => narrow.CheckAudio(16_000, 3, "x")).Code);
        narrow.CheckAudio(48_000, 2, "x");
        Assert.Same(narrow, narrow.Validate());
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<LabelStampException>(() => new MediaLimits { MinSampleRate = 0 }.Validate()).Code);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<LabelStampException>(() => new MediaLimits { MinSampleRate = 50_000, MaxSampleRate = 48_000 }.Validate()).Code);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<LabelStampException>(
            () => new MediaLimits { Metadata = new MetadataLimits { MaxXmlDepth = 3 } }.Validate()).Code);
    }

    /// <summary>A stand-in ffprobe that prints a fixed answer: the probe path's checks run without a real file.</summary>
    private static string FakeProbe(string dir, int rate, int channels)
    {
        string path = Path.Combine(dir, "ffprobe");
        string json = "{\"streams\":[{\"codec_name\":\"flac\",\"codec_type\":\"audio\",\"sample_rate\":\"" + rate + "\",\"channels\":" + channels
                      + "}],\"format\":{\"duration\":\"10.0\"}}";
        File.WriteAllText(path, "#!/bin/sh\ncat <<'EOF'\n" + json + "\nEOF\n");
        if (!OperatingSystem.IsWindows()) // the suite runs on Linux (.ci/run); a shell script is the cheapest stand-in
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(250_000_000, 2)]
    [InlineData(48_000, 0)]
    [InlineData(48_000, 64)]
    public async Task Other_formats_are_checked_from_the_probe_before_any_decode(int rate, int channels)
    {
        string dir = TestSupport.RepoPaths.NewTempDir();
        try
        {
            var tools = new ToolRunner("/nonexistent/ffmpeg", FakeProbe(dir, rate, channels));
            byte[] flac = File.ReadAllBytes(AudioFixtures.Speech);
            // STREAMINFO's total samples 0 (length unknown): the in-process header reader leaves the file to the probe.
            flac[8 + 13] &= 0xF0;
            flac.AsSpan(8 + 14, 4).Clear();
            var stamp = await Assert.ThrowsAsync<LabelStampException>(() =>
                new AudioLabeler(tools).LabelAsync(flac, AudioFixtures.Context(MediaFormat.Flac, "probe"), default));
            Assert.Equal(ErrorCode.AudioParametersOutOfRange, stamp.Code);
            var verify = await Assert.ThrowsAsync<LabelStampException>(() => new AudioInspector(tools).InspectAsync(flac, "probe.flac", null, default));
            Assert.Equal(ErrorCode.AudioParametersOutOfRange, verify.Code);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1_000_000)]
    public async Task Headers_read_in_process_are_checked_before_any_decode(int rate)
    {
        byte[] flac = File.ReadAllBytes(AudioFixtures.Speech);
        // STREAMINFO (after "fLaC" and its block header) keeps the rate in the 20 bits from offset 10.
        flac[8 + 10] = (byte)(rate >> 12);
        flac[8 + 11] = (byte)(rate >> 4);
        flac[8 + 12] = (byte)((rate & 0x0F) << 4 | (flac[8 + 12] & 0x0F));
        var stamp = await Assert.ThrowsAsync<LabelStampException>(() =>
            new AudioLabeler(NoTools).LabelAsync(flac, AudioFixtures.Context(MediaFormat.Flac, "header"), default));
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, stamp.Code);
        var verify = await Assert.ThrowsAsync<LabelStampException>(() => new AudioInspector(NoTools).InspectAsync(flac, "header.flac", null, default));
        Assert.Equal(ErrorCode.AudioParametersOutOfRange, verify.Code);
    }

    private static string VideoJson(string audioRate, string audioChannels, string audioDuration) =>
        "{\"streams\":[{\"codec_name\":\"h264\",\"codec_type\":\"video\",\"width\":320,\"height\":240,\"pix_fmt\":\"yuv420p\","
        + "\"r_frame_rate\":\"25/1\",\"avg_frame_rate\":\"25/1\",\"nb_frames\":\"250\"},"
        + "{\"codec_name\":\"aac\",\"codec_type\":\"audio\",\"sample_rate\":\"" + audioRate + "\",\"channels\":" + audioChannels
        + ",\"duration\":\"" + audioDuration + "\"}],\"format\":{\"duration\":\"10.0\"}}";

    [Theory]
    [InlineData("4", "2")]
    [InlineData("2147483647", "2")]
    [InlineData("48000", "0")]
    [InlineData("48000", "65535")]
    public void A_video_audio_track_out_of_range_is_left_alone_not_labelled(string rate, string channels)
    {
        var info = VideoProbe.Parse(VideoJson(rate, channels, "10.0"), MediaFormat.Mp4, "mp4", "v.mp4", new MediaLimits());
        Assert.True(info.HasAudio);
        Assert.Null(info.Audio);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("-5")]
    [InlineData("nan")]
    public void A_video_audio_track_with_an_absurd_duration_takes_the_container_duration(string duration)
    {
        var info = VideoProbe.Parse(VideoJson("48000", "2", duration), MediaFormat.Mp4, "mp4", "v.mp4", new MediaLimits());
        Assert.NotNull(info.Audio);
        Assert.Equal(TimeSpan.FromSeconds(10), info.Audio!.Duration);
        Assert.Equal(48_000, info.Audio.SampleRate);
    }
}
