using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Audio.Ogg;
using LabelStamp.Errors;
using LabelStamp.Tests.Provenance;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The stamp with the in-process decoders end to end: the same input stamps to the same bytes twice
/// (MP3: libmp3lame is deterministic, and so is NLayer's decode), and a stream our decoder refuses is
/// stamped through ffmpeg's decoder instead of failing.
/// </summary>
public class AudioInProcessStampTests
{
    [Fact]
    public async Task An_mp3_stamps_to_the_same_bytes_every_time()
    {
        byte[] mp3 = AudioFixtures.Convert(AudioFixtures.Music, ".mp3", ["-c:a", "libmp3lame", "-b:a", "128k"], seconds: 5);
        var first = await new AudioLabeler().LabelAsync(mp3, AudioFixtures.Context(MediaFormat.Mp3, "same-bytes"), default);
        var second = await new AudioLabeler().LabelAsync(mp3, AudioFixtures.Context(MediaFormat.Mp3, "same-bytes"), default);
        Assert.Equal(first.Output, second.Output);
        Assert.NotEmpty(first.Output);
    }

    [Fact]
    public async Task A_vorbis_file_that_never_returned_from_nvorbis_gets_an_answer()
    {
        // A fuzzed Ogg Vorbis header on which NVorbis 0.10.5 looped forever while opening (found by the
        // audio-decode target): Vorbis is decoded by ffmpeg, out of process and under its timeout, so the stamp
        // answers, a labeled file or a typed error. The guard only detects a hang; no speed is asserted.
        byte[] file = File.ReadAllBytes(Path.Combine(ExternalTools.RepoRoot(), "tests", "LabelStamp.Fuzz", "regressions", "audio-decode",
            "vorbis-header-nvorbis-never-returns.ogg"));
        var stamp = new AudioLabeler().LabelAsync(file, AudioFixtures.Context(MediaFormat.Ogg, "nvorbis-hang"), default);
        var finished = await Task.WhenAny(stamp, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.Same(stamp, finished);
        try
        {
            Assert.NotEmpty((await stamp).Output);
        }
        catch (LabelStampException e)
        {
            Assert.NotEqual(ErrorCode.Internal, e.Code);
        }
    }

    [Fact]
    public async Task An_opus_page_our_reader_refuses_is_stamped_through_ffmpegs_decoder()
    {
        byte[] opus = AudioFixtures.Convert(AudioFixtures.Speech, ".opus", ["-c:a", "libopus", "-b:a", "64k"], seconds: 4);
        // Break the CRC of a page in the middle: the Ogg reader refuses it (LS102) while ffmpeg's demuxer
        // resynchronises; the stamp must fall back, not fail.
        int page = opus.AsSpan(opus.Length / 2).IndexOf("OggS"u8) + opus.Length / 2;
        opus[page + 22] ^= 0x55;
        var info = AudioHeader.TryRead(opus, MediaFormat.Ogg, "x.opus")!;
        var refused = Assert.Throws<LabelStampException>(() => new DecodedPcmStream(new OpusStreamDecoder(opus, info, "x.opus")).CopyTo(Stream.Null));
        Assert.Equal(ErrorCode.CorruptInput, refused.Code);

        var (output, applied) = await new AudioLabeler().LabelAsync(opus, AudioFixtures.Context(MediaFormat.Ogg, "fallback"), default);
        Assert.True(applied.HasFlag(LabelStamp.Labels.Layers.Watermark));
        var stamped = AudioHeader.TryRead(output, MediaFormat.Ogg, "out.opus")!;
        Assert.Equal("opus", stamped.Codec);
        Assert.True(stamped.Duration > TimeSpan.FromSeconds(3), $"stamped duration {stamped.Duration}");
    }
}
