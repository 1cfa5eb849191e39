using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Encoders;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Tests.Provenance;
using Xunit.Abstractions;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The stamp with in-process encoders (MP3 by libmp3lame, Ogg Opus by libopus, Ogg Vorbis by libvorbis): ffmpeg still decodes the
/// input and writes the tag block, our marked samples are encoded in process. The samples the encoder
/// gets are bit-identical to what the ffmpeg encoder gets; the output is a valid file of the input's
/// codec, rate, channels and duration that carries the AIGC tag and the mark; its decoded SNR against
/// the marked samples is within 0.5 dB of the ffmpeg route's; the encoders give the same stream however
/// the samples are chunked; and without the library the ffmpeg route stays. Fixtures are cut from
/// samples-media with fixed lengths; the mark key is <see cref="AudioFixtures.Key"/>.
/// </summary>
public class InProcessEncoderTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string[]> Routes => new()
    {
        { ".mp3", "mp3", ["-c:a", "libmp3lame", "-b:a", "128k", "-ar", "44100", "-ac", "2"] },
        { ".mp3", "mp3", ["-c:a", "libmp3lame", "-b:a", "64k", "-ar", "22050", "-ac", "1"] },
        { ".opus", "opus", ["-c:a", "libopus", "-b:a", "96k", "-ac", "2"] },
        { ".opus", "opus", ["-c:a", "libopus", "-b:a", "48k", "-ac", "1"] },
        { ".ogg", "vorbis", ["-c:a", "libvorbis", "-q:a", "4", "-ar", "44100", "-ac", "2"] },
        { ".ogg", "vorbis", ["-c:a", "libvorbis", "-q:a", "3", "-ar", "22050", "-ac", "1"] },
        { ".m4a", "aac", ["-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2"] },
        { ".m4a", "aac", ["-c:a", "aac", "-b:a", "64k", "-ar", "22050", "-ac", "1"] },
    };

    [Fact]
    public void The_libraries_debians_ffmpeg_links_load_and_a_missing_one_does_not()
    {
        Assert.True(LameMp3Encoder.Available);
        Assert.True(LibopusEncoder.Available);
        Assert.True(LibvorbisEncoder.Available);
        Assert.True(LibavAacEncoder.Available);
        Assert.False(NativeCodecs.TryLoad("libno-such-codec.so.0"));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_encoder_gets_the_samples_the_ffmpeg_encoder_gets(string ext, string codec, string[] args)
    {
        byte[] file = AudioFixtures.Convert(AudioFixtures.Music, ext, args, seconds: 7.3);
        var format = MediaSniffer.Sniff(file, "x" + ext);
        using var ws = await MediaWorkspace.CreateAsync(file, format.Extension, default);
        var info = await new AudioProbe(new ToolRunner()).ProbeAsync(ws, format, "x" + ext, TimeSpan.FromMinutes(1), default);
        Assert.Equal(codec, info.Codec);
        var labeler = new AudioLabeler();
        var context = AudioFixtures.Context(format, "encoder-samples");
        var pipeline = new PcmPipeline(new ToolRunner());
        var decode = () => PcmPipeline.Decode(AudioCodecs.Demuxer(format), ws.InputPath, info.SampleRate, info.Channels);

        var recorder = new RecordingEncoder();
        await pipeline.DecodeIntoAsync(decode(), info.Channels, (await labeler.CreateSampleProcessorAsync(info, context, default))!,
            new PcmEncoderSink(recorder, info.Channels), "x" + ext, TimeSpan.FromMinutes(1), default);
        string viaFfmpeg = ws.PathFor("to-ffmpeg.f32");
        await pipeline.RunAsync(decode(), info.Channels, (await labeler.CreateSampleProcessorAsync(info, context, default))!,
            FfmpegCommand.Ffmpeg().SampleInput("pipe:0", info.SampleRate, info.Channels).Add("-c:a", "pcm_f32le").FileOutput("f32le", viaFfmpeg),
            "x" + ext, TimeSpan.FromMinutes(1), default);

        byte[] toFfmpeg = File.ReadAllBytes(viaFfmpeg);
        Assert.True(toFfmpeg.Length > 7 * info.SampleRate * info.Channels * sizeof(float));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(toFfmpeg)), Convert.ToHexString(SHA256.HashData(recorder.Bytes.ToArray())));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_output_is_valid_tagged_marked_and_as_good_as_the_ffmpeg_routes(string ext, string codec, string[] args)
    {
        byte[] file = AudioFixtures.Convert(AudioFixtures.Music, ext, args, seconds: 9.1);
        var format = MediaSniffer.Sniff(file, "x" + ext);
        var native = await new AudioLabeler().LabelAsync(file, AudioFixtures.Context(format, "encoder-output"), default);
        var ffmpeg = await new AudioLabeler(nativeEncoders: false).LabelAsync(file, AudioFixtures.Context(format, "encoder-output"), default);
        Assert.Equal(native.Applied, ffmpeg.Applied);

        string nativePath = AudioFixtures.WriteTemp(native.Output, ext), ffmpegPath = AudioFixtures.WriteTemp(ffmpeg.Output, ext),
            inputPath = AudioFixtures.WriteTemp(file, ext);
        try
        {
            var (inStream, inDuration, _) = Probe(inputPath);
            var (stream, duration, tags) = Probe(nativePath);
            Assert.Equal(codec, stream.GetProperty("codec_name").GetString());
            Assert.Equal(inStream.GetProperty("sample_rate").GetString(), stream.GetProperty("sample_rate").GetString());
            Assert.Equal(inStream.GetProperty("channels").GetInt32(), stream.GetProperty("channels").GetInt32());
            // ffmpeg 5.1 decodes AAC without trimming the last packet's padding (input and stamp alike), so an
            // AAC stamp's samples, and both routes' outputs, are up to a packet longer than the input; checked below.
            if (codec != "aac")
            {
                Assert.Equal(inDuration, duration, 3);
                Assert.Equal(Probe(ffmpegPath).Duration, duration, 3);
            }
            Assert.Contains(tags, t => t.Key.Equals("AIGC", StringComparison.OrdinalIgnoreCase) && t.Value.Contains("\"Label\":\"1\"", StringComparison.Ordinal));

            // The decoded output against the samples the encoder was given (the same in both routes, above).
            float[] marked = await MarkedSamples(file, format, ext);
            float[] a = Decode(nativePath), b = Decode(ffmpegPath);
            Assert.Equal(marked.Length, a.Length);
            Assert.Equal(marked.Length, b.Length);
            int channels = stream.GetProperty("channels").GetInt32();
            double rate = double.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture);
            if (codec == "aac") Assert.Equal(marked.Length / channels / rate, duration, 3);
            double snrNative = Snr(marked, a), snrFfmpeg = Snr(marked, b);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{codec} {ext}: SNR in process {snrNative:F2} dB, ffmpeg route {snrFfmpeg:F2} dB; bytes {native.Output.Length} vs {ffmpeg.Output.Length}"));
            Assert.True(Math.Abs(snrNative - snrFfmpeg) <= 0.5, $"SNR in process {snrNative:F2} dB, ffmpeg route {snrFfmpeg:F2} dB");
            Assert.True(snrNative > 10, $"SNR {snrNative:F2} dB");

            var report = await new AudioInspector().InspectAsync(native.Output, "x" + ext, AudioFixtures.Key, default);
            Assert.NotNull(report.Watermark);
            Assert.NotNull(report.Aigc);
        }
        finally
        {
            File.Delete(nativePath);
            File.Delete(ffmpegPath);
            File.Delete(inputPath);
        }
    }

    [Theory]
    [InlineData("mp3", 1, 22050)]
    [InlineData("mp3", 2, 44100)]
    [InlineData("opus", 1, 48000)]
    [InlineData("opus", 2, 48000)]
    [InlineData("vorbis", 1, 22050)]
    [InlineData("vorbis", 2, 44100)]
    public void The_stream_is_gapless_deterministic_and_for_mp3_and_opus_independent_of_chunking(string codec, int channels, int rate)
    {
        // 2.5 s of seeded synthetic music, in one call and in ragged pieces (1, 959, 961, 4097 frames, ...).
        float[] pcm = SyntheticAudio.Music(rate, channels, 2.5, seed: 11);
        byte[] head = codec == "mp3" ? [] : OggHeadFor(codec, channels, rate);
        byte[] whole = Encode(codec, channels, rate, e => e.Encode(pcm), head);
        int[] pieces = [1, 959, 961, 4097, 1151, 3, 20000];
        Action<IPcmEncoder> raggedFeed = e =>
        {
            int at = 0;
            for (int i = 0; at < pcm.Length / channels; i++)
            {
                int n = Math.Min(pieces[i % pieces.Length], pcm.Length / channels - at);
                e.Encode(pcm.AsSpan(at * channels, n * channels));
                at += n;
            }
        };
        byte[] ragged = Encode(codec, channels, rate, raggedFeed, head);
        Assert.Equal(ragged, Encode(codec, channels, rate, raggedFeed, head));
        // LAME and libopus buffer whole frames, so the bytes cannot depend on the pieces. libvorbis' block-size
        // decisions look ahead only over the samples written so far, so its stream does depend on them: the
        // stamp's pieces are fixed (the pump's chunks, cut in 4,096-frame blocks), and it is deterministic.
        if (codec != "vorbis") Assert.Equal(whole, ragged);

        foreach (var bytes in new[] { whole, ragged })
        {
            string path = AudioFixtures.WriteTemp(bytes, codec == "mp3" ? ".mp3" : ".ogg");
            try
            {
                var (stream, _, _) = Probe(path);
                Assert.Equal(codec, stream.GetProperty("codec_name").GetString());
                Assert.Equal(channels, stream.GetProperty("channels").GetInt32());
                // Gapless: ffmpeg's decoder trims the encoder's delay and padding (LAME tag; Opus pre-skip and
                // the last granule; Vorbis' last granule) back to the input's length. (ffprobe's container duration
                // of a bare stream is an estimate, and for Ogg Opus it includes the pre-skip: samples are counted.)
                Assert.Equal(pcm.Length / channels, Decode(path).Length / channels);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task A_decode_into_an_in_process_encoder_past_its_timeout_is_LS_tool_timeout_and_leaves_no_process()
    {
        // The endless decoder of PcmPumpTests (a lavfi tone without end, marked in its arguments) into LAME.
        string marker = Guid.NewGuid().ToString("N");
        var (decode, _) = PcmPumpTests.EndlessRun(marker);
        using var encoder = LameMp3Encoder.Create(16000, 1, 32, "endless.mp3");
        var run = new PcmPipeline(new ToolRunner()).DecodeIntoAsync(decode, 1, (_, _, _, _) => { }, new PcmEncoderSink(encoder, 1),
            "endless.mp3", TimeSpan.FromSeconds(2), default);
        await PcmPumpTests.Stopped(run);
        var e = await Assert.ThrowsAsync<LabelStamp.Errors.LabelStampException>(() => run);
        Assert.Equal(LabelStamp.Errors.ErrorCode.ToolTimeout, e.Code);
        await PcmPumpTests.AssertNoProcessWith(marker);
    }

    [Fact]
    public async Task A_cancelled_decode_into_an_in_process_encoder_is_cancelled_and_leaves_no_process()
    {
        string marker = Guid.NewGuid().ToString("N");
        var (decode, _) = PcmPumpTests.EndlessRun(marker);
        using var encoder = LibopusEncoder.Create(1, 32, "endless.opus");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        // 16 kHz samples into a 48 kHz Opus encoder: only the run's end is under test here, not the audio.
        var run = new PcmPipeline(new ToolRunner()).DecodeIntoAsync(decode, 1, (_, _, _, _) => { }, new PcmEncoderSink(encoder, 1),
            "endless.opus", TimeSpan.FromMinutes(5), cts.Token);
        await PcmPumpTests.Stopped(run);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await PcmPumpTests.AssertNoProcessWith(marker);
    }

    [Fact]
    public void Ogg_pages_carry_whole_packets_flags_granules_and_a_crc_our_reader_accepts()
    {
        var writer = new OggPageWriter(0x1234);
        writer.Add("OpusHead"u8, 0, closePage: true);
        var big = new byte[255 * 3]; // exactly three 255-byte segments: needs a fourth, empty one
        Random.Shared.NextBytes(big);
        for (int i = 0; i < 200; i++) writer.Add(i == 100 ? big : new byte[i % 300], 960L * (i + 1));
        byte[] ogg = writer.Finish();
        var reader = new LabelStamp.Media.Audio.Ogg.OggPacketReader(ogg, "pages.ogg");
        var packets = new List<byte[]>();
        while (reader.TryNext(out var p)) packets.Add(p.ToArray());
        Assert.Equal(201, packets.Count);
        Assert.Equal(big, packets[101]);
        Assert.Equal(0x02, ogg[5]);                              // first page: beginning of stream
        int last = ogg.AsSpan().LastIndexOf("OggS"u8);
        Assert.Equal(0x04, ogg[last + 5]);                       // last page: end of stream
        Assert.Equal(960L * 200, BitConverter.ToInt64(ogg, last + 6));
    }

    private static byte[] Encode(string codec, int channels, int rate, Action<IPcmEncoder> feed, byte[] head)
    {
        using IPcmEncoder encoder = codec switch
        {
            "mp3" => LameMp3Encoder.Create(rate, channels, 96, "t.mp3"),
            "opus" => LibopusEncoder.Create(channels, 64, "t.opus"),
            _ => LibvorbisEncoder.Create(rate, channels, 7, "t.ogg"),
        };
        feed(encoder);
        return encoder.Finish(head, "t");
    }

    /// <summary>The head ffmpeg's Ogg muxer writes for a stream: its headers (the comment one with tags), one packet.</summary>
    private static byte[] OggHeadFor(string codec, int channels, int rate) =>
        AudioFixtures.Convert(AudioFixtures.Speech, ".ogg", ["-c:a", "lib" + codec, "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-ar", rate.ToString(CultureInfo.InvariantCulture), "-frames:a", "1", "-fflags", "+bitexact", "-metadata", "title=head"], seconds: 1);

    private static async Task<float[]> MarkedSamples(byte[] file, MediaFormat format, string ext)
    {
        using var ws = await MediaWorkspace.CreateAsync(file, format.Extension, default);
        var info = await new AudioProbe(new ToolRunner()).ProbeAsync(ws, format, "x" + ext, TimeSpan.FromMinutes(1), default);
        var recorder = new RecordingEncoder();
        await new PcmPipeline(new ToolRunner()).DecodeIntoAsync(PcmPipeline.Decode(AudioCodecs.Demuxer(format), ws.InputPath, info.SampleRate, info.Channels),
            info.Channels, (await new AudioLabeler().CreateSampleProcessorAsync(info, AudioFixtures.Context(format, "encoder-output"), default))!,
            new PcmEncoderSink(recorder, info.Channels), "x" + ext, TimeSpan.FromMinutes(1), default);
        return MemoryMarshal.Cast<byte, float>(recorder.Bytes.ToArray()).ToArray();
    }

    private static float[] Decode(string path) =>
        MemoryMarshal.Cast<byte, float>(AudioFixtures.Ffmpeg("-i", path, "-f", "f32le", "-c:a", "pcm_f32le", "-")).ToArray();

    private static double Snr(float[] reference, float[] test)
    {
        double s = 0, n = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            s += (double)reference[i] * reference[i];
            double d = reference[i] - test[i];
            n += d * d;
        }
        return 10 * Math.Log10(s / n);
    }

    private static (JsonElement Stream, double Duration, Dictionary<string, string> Tags) Probe(string path)
    {
        byte[] json = AudioFixtures.Run("/usr/bin/ffprobe", ["-v", "error", "-show_entries",
            "stream=codec_name,sample_rate,channels:stream_tags:format=duration:format_tags", "-of", "json", path]);
        var root = JsonDocument.Parse(json).RootElement;
        var stream = root.GetProperty("streams")[0];
        var tags = new Dictionary<string, string>();
        foreach (var holder in new[] { stream, root.GetProperty("format") })
            if (holder.TryGetProperty("tags", out var t))
                foreach (var p in t.EnumerateObject()) tags[p.Name] = p.Value.GetString() ?? "";
        return (stream, double.Parse(root.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), tags);
    }

    /// <summary>An encoder that keeps what it is given (the samples' bytes), to compare with the ffmpeg route's.</summary>
    private sealed class RecordingEncoder : IPcmEncoder
    {
        public MemoryStream Bytes { get; } = new();
        public void Encode(ReadOnlySpan<float> interleaved) => Bytes.Write(MemoryMarshal.AsBytes(interleaved));
        public byte[] Finish(ReadOnlySpan<byte> head, string name) => Bytes.ToArray();
        public void Dispose() { }
    }
}
