using System.Globalization;
using System.Text;
using System.Text.Json;
using LabelStamp.Formats.Audio;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The audio adapter end to end through Debian's ffmpeg, per format, on an 8 s music clip: the AIGC
/// label read back by exiftool (and ffprobe for MP4), exactly once; the rhythm prompt found at the
/// start after stamping and absent on the original; duration, rate and channels unchanged.
/// </summary>
public class AudioLabelerTests
{
    public static TheoryData<string> Extensions => [".wav", ".mp3", ".m4a", ".flac", ".ogg", ".opus"];

    private static string[] ArgsFor(string ext) => AudioFixtures.Formats.First(f => f.Ext == ext).Args;

    private static AudioStreamInfo Probe(string path)
    {
        string json = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/ffprobe", ["-v", "error", "-show_entries",
            "stream=codec_name,codec_type,sample_rate,channels,bit_rate:stream_tags:format=duration,bit_rate:format_tags", "-of", "json", path]));
        string ext = Path.GetExtension(path);
        var format = MediaFormat.All.First(f => f.MatchesExtension(ext));
        return AudioProbe.Parse(json, format, path);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public async Task Stamps_metadata_rhythm_and_keeps_duration_rate_and_channels(string ext)
    {
        var input = AudioFixtures.Convert(AudioFixtures.Music, ext, [.. ArgsFor(ext), "-metadata", "title=Pingus theme"], seconds: 8);
        var format = MediaSniffer.Sniff(input, "in" + ext);
        var labeler = new AudioLabeler();
        if (format == MediaFormat.Mp4) Assert.Equal(MediaKind.Audio, await new Mp4Kind().DecideAsync(input, "in" + ext, TimeSpan.FromMinutes(1), default));
        else Assert.True(labeler.Handles(format));
        var ctx = AudioFixtures.Context(format, "clip-" + ext.TrimStart('.'));
        var (output, applied) = await labeler.LabelAsync(input, ctx, default);
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, applied);

        string inPath = AudioFixtures.WriteTemp(input, ext), outPath = AudioFixtures.WriteTemp(output, ext);
        try
        {
            var a = Probe(inPath);
            var b = Probe(outPath);
            Assert.Equal(a.Codec, b.Codec);
            Assert.Equal(a.SampleRate, b.SampleRate);
            Assert.Equal(a.Channels, b.Channels);
            Assert.True(Math.Abs((a.Duration - b.Duration).TotalMilliseconds) <= 30, $"duration {a.Duration} -> {b.Duration}");
            Assert.Equal("Pingus theme", b.Tags.GetValueOrDefault("title"));

            // Independent reader: exiftool (binary value of the RIFF chunk for WAV, the tag elsewhere).
            string tag = ext switch
            {
                ".wav" => "-RIFF:Unknown_AIGC",
                ".mp3" => "-ID3:UserDefinedText",
                ".m4a" => "-Keys:AIGC",
                _ => "-Vorbis:Aigc",
            };
            string shown = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/exiftool", ["-u", "-b", "-a", tag, outPath])).Trim();
            string json = ctx.Aigc.ToJson();
            Assert.Contains(json, shown);
            Assert.Equal(1, CountOccurrences(output, "\"ProduceID\":\"" + ctx.Request.ContentId + "\""));
            if (ext == ".m4a") Assert.Equal(json, b.Tags["AIGC"]);

            var inspector = new AudioInspector();
            var report = await inspector.InspectAsync(output, "out" + ext, key: null, default);
            Assert.Equal(json, report.AigcJson);
            Assert.NotNull(report.RhythmAtStartSeconds);
            Assert.InRange(report.RhythmAtStartSeconds!.Value, 0, 0.05);
            var original = await inspector.InspectAsync(input, "in" + ext, key: null, default);
            Assert.Null(original.AigcJson);
            Assert.Null(original.RhythmAtStartSeconds);
            Assert.Null(original.RhythmAtEndSeconds);
        }
        finally { File.Delete(inPath); File.Delete(outPath); }
    }

    [Fact]
    public async Task Restamping_updates_the_label_instead_of_duplicating_it()
    {
        var input = AudioFixtures.Convert(AudioFixtures.Speech, ".mp3", ArgsFor(".mp3"), seconds: 4);
        var labeler = new AudioLabeler();
        var (once, _) = await labeler.LabelAsync(input, AudioFixtures.Context(MediaFormat.Mp3, "first", Layers.Metadata), default);
        var (twice, applied) = await labeler.LabelAsync(once, AudioFixtures.Context(MediaFormat.Mp3, "second", Layers.Metadata, basePolicy: new LabelPolicy { Restamp = true }), default);
        Assert.Equal(Layers.Metadata, applied);
        Assert.Equal(0, CountOccurrences(twice, "\"ProduceID\":\"first\""));
        Assert.Equal(1, CountOccurrences(twice, "\"ProduceID\":\"second\""));

        var wav = AudioFixtures.Convert(AudioFixtures.Speech, ".wav", ArgsFor(".wav"), seconds: 2);
        var w1 = new WavModule().WriteAigcInPlace(wav, "{\"Label\":\"1\"}", "a.wav");
        var w2 = new WavModule().WriteAigcInPlace(w1, "{\"Label\":\"2\"}", "a.wav");
        Assert.Equal(0, CountOccurrences(w2, "{\"Label\":\"1\"}"));
        Assert.Equal(1, CountOccurrences(w2, "AIGC"));
    }

    [Theory]
    [InlineData(".wav")]
    [InlineData(".flac")]
    public async Task Inspector_finds_the_mark_id_in_a_stamped_file_and_nothing_with_another_key(string ext)
    {
        var input = AudioFixtures.Convert(AudioFixtures.Music, ext, ArgsFor(ext));
        var format = MediaSniffer.Sniff(input, "in" + ext);
        var ctx = AudioFixtures.Context(format, "marked-" + ext.TrimStart('.'));
        var (output, _) = await new AudioLabeler().LabelAsync(input, ctx, default);
        var report = await new AudioInspector().InspectAsync(output, "out" + ext, AudioFixtures.Key, default);
        Assert.NotNull(report.Watermark);
        Assert.Equal(ctx.MarkId, report.Watermark!.Payload.MarkId);
        Assert.True(report.KeyNibbleMatches);
        Assert.True(report.Watermark.FalsePositiveProbability <= 1e-9);
        var other = MarkKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray());
        Assert.Null((await new AudioInspector().InspectAsync(output, "out" + ext, other, default)).Watermark);
        Assert.Null((await new AudioInspector().InspectAsync(input, "in" + ext, AudioFixtures.Key, default)).Watermark);
    }

    /// <summary>The last session's miss: the clean stamped speech sample (FLAC, rhythm prompt mixed in)
    /// must verify with the stamping key.</summary>
    [Fact]
    public async Task Inspector_finds_the_mark_in_the_stamped_speech_sample()
    {
        var input = File.ReadAllBytes(AudioFixtures.Speech);
        var ctx = AudioFixtures.Context(MediaFormat.Flac, "speech-sample");
        var (output, _) = await new AudioLabeler().LabelAsync(input, ctx, default);
        var report = await new AudioInspector().InspectAsync(output, "out.flac", AudioFixtures.Key, default);
        Assert.NotNull(report.Watermark);
        Assert.Equal(ctx.MarkId, report.Watermark!.Payload.MarkId);
    }

    [Fact]
    public async Task Rhythm_prompt_can_also_close_the_audio()
    {
        var input = AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ArgsFor(".flac"), seconds: 9);
        var labeler = new AudioLabeler(prompt: RhythmPrompt.Default with { AtEnd = true });
        var (output, _) = await labeler.LabelAsync(input, AudioFixtures.Context(MediaFormat.Flac, "both-ends"), default);
        var report = await new AudioInspector().InspectAsync(output, "out.flac", null, default);
        Assert.NotNull(report.RhythmAtStartSeconds);
        Assert.NotNull(report.RhythmAtEndSeconds);
        Assert.InRange(report.RhythmAtEndSeconds!.Value, 9 - 1.2, 9 - 1.0);
    }

    private static int CountOccurrences(byte[] haystack, string needle)
    {
        byte[] n = Encoding.ASCII.GetBytes(needle);
        int count = 0;
        for (int i = haystack.AsSpan().IndexOf(n); i >= 0;)
        {
            count++;
            int next = haystack.AsSpan(i + 1).IndexOf(n);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return count;
    }
}
