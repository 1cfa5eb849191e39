using System.Text.Json;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Metadata.Containers;
using LabelStamp.Provenance;
using LabelStamp.Tests.Provenance;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The M4A stamp with ffmpeg's AAC encoder in our process and our MP4 muxer (<c>AacMp4Writer</c>): the packets are
/// the ffmpeg route's byte for byte (same library, same settings, same samples), the file plays in ffmpeg, carries the
/// AIGC key where ffprobe reads it, and with the stamp's C2PA store validates in c2pa-rs. Fixtures are cut from
/// samples-media; the mark key is <see cref="AudioFixtures.Key"/>.
/// </summary>
public sealed class AacInProcessTests(C2paFixture fx) : IClassFixture<C2paFixture>
{
    [Theory]
    [InlineData(2, 44100, "128k")]
    [InlineData(1, 22050, "48k")]
    [InlineData(2, 48000, "96k")]
    public async Task The_packets_are_the_ffmpeg_routes_and_the_file_is_valid_tagged_and_marked(int channels, int rate, string kbps)
    {
        byte[] file = AudioFixtures.Convert(AudioFixtures.Music, ".m4a", ["-c:a", "aac", "-b:a", kbps, "-ac", channels.ToString(),
            "-ar", rate.ToString(), "-metadata", "title=Pingus"], seconds: 6.4);
        var native = await new AudioLabeler().LabelAsync(file, AudioFixtures.Context(MediaFormat.Mp4, "aac-packets"), default);
        var ffmpeg = await new AudioLabeler(nativeEncoders: false).LabelAsync(file, AudioFixtures.Context(MediaFormat.Mp4, "aac-packets"), default);
        Assert.Equal(ffmpeg.Applied, native.Applied);

        // One AAC track, moov after mdat (the AIGC and C2PA writers grow it without moving samples), and the same payload.
        var top = BmffReader.Read(native.Output, "out.m4a").Select(b => b.Type).ToArray();
        Assert.Equal(["ftyp", "mdat", "moov"], top);
        Assert.True(Mdat(native.Output).SequenceEqual(Mdat(ffmpeg.Output)), "the AAC packets differ from the ffmpeg route's");
        Assert.Equal([("soun", "mp4a")], Mp4Tracks.Read(native.Output));

        string path = AudioFixtures.WriteTemp(native.Output, ".m4a");
        try
        {
            var probe = JsonDocument.Parse(AudioFixtures.Run("/usr/bin/ffprobe", ["-v", "error", "-show_entries",
                "stream=codec_name,sample_rate,channels:format_tags", "-of", "json", path])).RootElement;
            var stream = probe.GetProperty("streams")[0];
            Assert.Equal("aac", stream.GetProperty("codec_name").GetString());
            Assert.Equal(rate.ToString(), stream.GetProperty("sample_rate").GetString());
            Assert.Equal(channels, stream.GetProperty("channels").GetInt32());
            var tags = probe.GetProperty("format").GetProperty("tags");
            Assert.Contains("\"Label\":\"1\"", tags.GetProperty("AIGC").GetString(), StringComparison.Ordinal);
            Assert.Equal("Pingus", tags.GetProperty("title").GetString());
            // Decodes without an error from start to end.
            AudioFixtures.Ffmpeg("-xerror", "-i", path, "-f", "null", "-");
        }
        finally
        {
            File.Delete(path);
        }
        var report = await new AudioInspector().InspectAsync(native.Output, "out.m4a", AudioFixtures.Key, default);
        Assert.NotNull(report.Watermark);
        Assert.NotNull(report.Aigc);
        Assert.NotNull(report.RhythmAtStartSeconds);
    }

    [Fact]
    public async Task The_stamped_file_with_its_c2pa_store_validates_in_c2pa_rs()
    {
        byte[] file = AudioFixtures.Convert(AudioFixtures.Music, ".m4a", ["-c:a", "aac", "-b:a", "128k"], seconds: 4.2);
        var ctx = fx.Context(MediaFormat.Mp4, "rs-aac-in-process.m4a");
        var labeled = await new AudioLabeler().LabelAsync(file, ctx, default);
        byte[] output = fx.Writer.Write(labeled.Output, ctx);
        var rs = C2paRsResult.Read(fx.Save("rs-aac-in-process.m4a", output));
        Assert.True(rs.Present, rs.Raw);
        Assert.Empty(rs.RealFailures);
        Assert.Contains("claimSignature.validated", rs.Success);
        Assert.Contains("assertion.bmffHash.match", rs.Success);
        Assert.True(C2paReader.Read(output, "rs-aac-in-process.m4a").Valid);
    }

    private static ReadOnlySpan<byte> Mdat(byte[] mp4)
    {
        var box = BmffReader.Read(mp4, "x.m4a").Single(b => b.Type == "mdat");
        return mp4.AsSpan((int)box.PayloadStart, (int)(box.End - box.PayloadStart));
    }
}
