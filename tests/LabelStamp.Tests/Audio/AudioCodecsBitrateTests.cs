using LabelStamp.Media.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The re-encode's bitrate rule: the input's bitrate rounded up to a standard step, and for AAC never
/// under 64 kbit/s per channel (a low-rate AAC host re-coded near its own rate lost the mark in every
/// attack on the audio corpus; bench/AUDIO.md).
/// </summary>
public class AudioCodecsBitrateTests
{
    private static AudioStreamInfo Info(string codec, int channels, long bitRate) =>
        new(codec, 24_000, channels, TimeSpan.FromSeconds(9), bitRate, "fltp", 0, false, new Dictionary<string, string>());

    [Theory]
    [InlineData(2, 95_000, 128)]   // the corpus clip that read nowhere: 96k before the floor
    [InlineData(2, 60_000, 128)]
    [InlineData(1, 64_000, 64)]    // mono at the floor: unchanged
    [InlineData(1, 40_000, 64)]
    [InlineData(2, 192_000, 192)]  // above the floor: the plain rule
    [InlineData(1, 130_000, 160)]
    [InlineData(6, 256_000, 384)]  // 5.1 (a video's track): 64 per channel
    public void Aac_reencode_never_goes_under_64_kbit_per_channel(int channels, long inputBitRate, int expectedKbps)
    {
        var info = Info("aac", channels, inputBitRate);
        Assert.Equal(expectedKbps, AudioCodecs.AacBitrate(info));
        var args = AudioCodecs.EncoderArguments(info, "clip.m4a");
        Assert.Equal(["-c:a", "aac", "-b:a", expectedKbps + "k"], args);
    }

    [Theory]
    [InlineData("mp3", 2, 95_000, "96k")]
    [InlineData("opus", 2, 60_000, "64k")]
    public void Other_lossy_codecs_keep_the_plain_rule(string codec, int channels, long inputBitRate, string expected)
    {
        var args = AudioCodecs.EncoderArguments(Info(codec, channels, inputBitRate), "clip");
        Assert.Equal(expected, args[^1]);
    }
}
