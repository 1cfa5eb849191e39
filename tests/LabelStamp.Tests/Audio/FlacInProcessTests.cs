using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Encoders;
using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Ffmpeg;
using Xunit.Abstractions;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// FLAC in → FLAC out without ffmpeg: our decoder, libFLAC in process, the metadata blocks carried by our own
/// reader. The output decodes to exactly the samples the ffmpeg route encodes (FLAC is lossless, so the mark is
/// unchanged), its STREAMINFO MD5 is the decoded samples', the AIGC comment is there once and readable by
/// ffprobe and exiftool, every other block (comments, picture, application block) is kept byte for byte, and
/// the run starts no process (a tool runner pointing at no ffmpeg still stamps). Fixtures are cut from
/// samples-media; the mark key is <see cref="AudioFixtures.Key"/>.
/// </summary>
public class FlacInProcessTests(ITestOutputHelper output)
{
    /// <summary>A runner whose tools do not exist: any process the stamp started would fail it.</summary>
    private static readonly ToolRunner NoTools = new("/nonexistent/ffmpeg", "/nonexistent/ffprobe");

    private static readonly byte[] AppBody = [.. "LSte"u8, .. Enumerable.Range(0, 37).Select(i => (byte)(i * 7))];

    [Fact]
    public void Libflac_loads_and_names_itself()
    {
        Assert.True(LibflacEncoder.Available);
        Assert.StartsWith("reference libFLAC", LibflacEncoder.Vendor, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Sources => new()
    {
        { "16 bit stereo 44.1 kHz", ["-c:a", "flac"] },
        { "24 bit mono 48 kHz", ["-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24", "-ac", "1", "-ar", "48000"] },
        { "16 bit mono 22.05 kHz", ["-c:a", "flac", "-ac", "1", "-ar", "22050"] },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task The_stamp_runs_no_process_and_decodes_to_the_ffmpeg_routes_samples(string what, string[] codec)
    {
        byte[] file = WithExtraBlocks(AudioFixtures.Convert(AudioFixtures.Music, ".flac", [.. codec, "-metadata", "TITLE=Pingus 1"], seconds: 8.2));
        var format = MediaFormat.Flac;
        var inProcess = await new AudioLabeler(NoTools).LabelAsync(file, AudioFixtures.Context(format, "flac-in-process"), default);
        var ffmpeg = await new AudioLabeler(nativeEncoders: false).LabelAsync(file, AudioFixtures.Context(format, "flac-in-process"), default);
        Assert.Equal(ffmpeg.Applied, inProcess.Applied);
        Assert.Equal(Layers.Explicit | Layers.Metadata | Layers.Watermark, inProcess.Applied);

        string a = AudioFixtures.WriteTemp(inProcess.Output, ".flac"), b = AudioFixtures.WriteTemp(ffmpeg.Output, ".flac");
        try
        {
            byte[] ours = Pcm(a), theirs = Pcm(b);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: bytes in process {inProcess.Output.Length}, ffmpeg route {ffmpeg.Output.Length}, input {file.Length}"));
            Assert.True(ours.Length > 8 * 22050 * 4);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(theirs)), Convert.ToHexString(SHA256.HashData(ours)));

            var meta = FlacMetadata.Read(inProcess.Output, "out.flac");
            var si = meta.StreamInfoBlock.Body(inProcess.Output);
            int bits = ((si[12] & 1) << 4 | si[13] >> 4) + 1;
            Assert.Equal(what.StartsWith("24", StringComparison.Ordinal) ? 24 : 16, bits);
            Assert.Equal(Convert.ToHexString(StreamInfoMd5(a, bits)), Convert.ToHexString(si.Slice(18, 16)));

            var tags = ProbeTags(a);
            Assert.Equal("Pingus 1", tags["TITLE"]);
            Assert.Contains("\"Label\":\"1\"", tags["AIGC"], StringComparison.Ordinal);
            var report = await new AudioInspector().InspectAsync(inProcess.Output, "out.flac", AudioFixtures.Key, default);
            Assert.NotNull(report.Watermark);
            Assert.NotNull(report.Aigc);
            Assert.NotNull(report.RhythmAtStartSeconds);
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }

    [Fact]
    public async Task Blocks_are_kept_the_seek_table_dropped_and_one_aigc_comment_replaces_an_old_one()
    {
        byte[] source = AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac", "-metadata", "ARTIST=espeak",
            "-metadata", "aigc={\"Label\":\"3\"}"], seconds: 4);
        byte[] picture = PictureBody("image/png", AudioFixtures.Convert(AudioFixtures.Music, ".png",
            ["-f", "lavfi", "-i", "color=blue:s=32x32:d=1", "-frames:v", "1", "-map", "1:v"]));
        byte[] file = WithExtraBlocks(source, (FlacMetadataBlock.Picture, picture), (FlacMetadataBlock.SeekTable, new byte[18]));
        var stamped = await new AudioLabeler(NoTools).LabelAsync(file, AudioFixtures.Context(MediaFormat.Flac, "flac-blocks"), default);

        var meta = FlacMetadata.Read(stamped.Output, "out.flac");
        int[] types = meta.Blocks.Select(b => b.Type).ToArray();
        Assert.Equal([FlacMetadataBlock.StreamInfo, FlacMetadataBlock.VorbisComment, FlacMetadataBlock.Application, FlacMetadataBlock.Picture,
            FlacMetadataBlock.Padding], types);
        Assert.Equal(AppBody, Body(stamped.Output, meta, FlacMetadataBlock.Application));
        Assert.Equal(picture, Body(stamped.Output, meta, FlacMetadataBlock.Picture));
        Assert.Equal(FlacMetadata.OutputPadding, meta.Blocks[^1].Length);

        string comment = Encoding.UTF8.GetString(Body(stamped.Output, meta, FlacMetadataBlock.VorbisComment));
        Assert.Contains(LibflacEncoder.Vendor, comment, StringComparison.Ordinal);
        Assert.Contains("ARTIST=espeak", comment, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(comment, "AIGC=", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\"Label\":\"3\"", comment, StringComparison.Ordinal);

        string path = AudioFixtures.WriteTemp(stamped.Output, ".flac");
        try
        {
            // exiftool, an independent reader, shows the comment; ffprobe shows the picture as a stream.
            string exif = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/exiftool", ["-j", "-Aigc", "-Artist", path]));
            var exifRoot = JsonDocument.Parse(exif).RootElement[0];
            Assert.Contains("\"Label\":\"1\"", exifRoot.GetProperty("Aigc").GetString(), StringComparison.Ordinal);
            Assert.Equal("espeak", exifRoot.GetProperty("Artist").GetString());
            string streams = Encoding.UTF8.GetString(AudioFixtures.Run("/usr/bin/ffprobe", ["-v", "error", "-show_entries",
                "stream=codec_name:stream_disposition=attached_pic", "-of", "json", path]));
            Assert.Contains("\"png\"", streams, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_metadata_only_stamp_keeps_every_frame_byte_for_byte_without_a_process()
    {
        byte[] file = WithExtraBlocks(AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac"], seconds: 3));
        var stamped = await new AudioLabeler(NoTools).LabelAsync(file, AudioFixtures.Context(MediaFormat.Flac, "flac-meta", Layers.Metadata), default);
        Assert.Equal(Layers.Metadata, stamped.Applied);
        var before = FlacMetadata.Read(file, "in.flac");
        var after = FlacMetadata.Read(stamped.Output, "out.flac");
        Assert.True(file.AsSpan(before.FramesOffset).SequenceEqual(stamped.Output.AsSpan(after.FramesOffset)));
        Assert.True(before.StreamInfoBlock.Body(file).SequenceEqual(after.StreamInfoBlock.Body(stamped.Output)));
        Assert.Contains("AIGC=", Encoding.UTF8.GetString(Body(stamped.Output, after, FlacMetadataBlock.VorbisComment)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_picture_our_reader_refuses_is_left_to_the_ffmpeg_route()
    {
        // A PICTURE whose MIME length runs past the block: the header reader accepts the file (the block fits),
        // our block reader refuses it, and the stamp goes through ffmpeg (which drops what it cannot read).
        byte[] bad = PictureBody("image/png", [1, 2, 3]);
        BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(4), 1000);
        byte[] file = WithExtraBlocks(AudioFixtures.Convert(AudioFixtures.Speech, ".flac", ["-c:a", "flac"], seconds: 3), (FlacMetadataBlock.Picture, bad));
        var e = Assert.Throws<LabelStampException>(() => FlacMetadata.Read(file, "bad.flac"));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
        await Assert.ThrowsAnyAsync<LabelStampException>(() => new AudioLabeler(NoTools).LabelAsync(file,
            AudioFixtures.Context(MediaFormat.Flac, "flac-bad-picture"), default));
        var stamped = await new AudioLabeler().LabelAsync(file, AudioFixtures.Context(MediaFormat.Flac, "flac-bad-picture"), default);
        Assert.NotNull((await new AudioInspector().InspectAsync(stamped.Output, "out.flac", AudioFixtures.Key, default)).Aigc);
    }

    [Fact]
    public void The_encoder_turns_floats_into_ffmpegs_integers_and_its_stream_is_deterministic()
    {
        // Values on and between the integer grid, a half-way case either side, and out-of-range ones (clipped).
        float[] pcm = [0f, 0.5f / 32768f, 1.5f / 32768f, -0.5f / 32768f, 1f, -1f, 1.25f, -1.25f, 0.3f, -0.7f];
        var samples = Enumerable.Range(0, 4410).SelectMany(_ => pcm).ToArray();
        byte[] a = EncodeBare(samples, 1, 16), b = EncodeBare(samples, 1, 16);
        Assert.Equal(a, b);
        string path = AudioFixtures.WriteTemp(a, ".flac");
        try
        {
            var decoded = Pcm16(path);
            short[] expected = [0, 0, 2, 0, 32767, -32768, 32767, -32768, 9830, -22938];
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], decoded[i]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, ErrorCode> BadHeads => new()
    {
        { "no marker", ErrorCode.CorruptInput },
        { "block header cut", ErrorCode.TruncatedInput },
        { "block past the end", ErrorCode.TruncatedInput },
        { "streaminfo not first", ErrorCode.CorruptInput },
        { "streaminfo 33 bytes", ErrorCode.CorruptInput },
        { "second streaminfo", ErrorCode.CorruptInput },
        { "type 127", ErrorCode.CorruptInput },
        { "two comments", ErrorCode.CorruptInput },
        { "comment count too large", ErrorCode.TruncatedInput },
        { "comment entry past its block", ErrorCode.TruncatedInput },
        { "picture data past its block", ErrorCode.CorruptInput },
        { "picture with bytes left over", ErrorCode.CorruptInput },
        { "too many blocks", ErrorCode.CorruptInput },
    };

    [Theory]
    [MemberData(nameof(BadHeads))]
    public void Bad_metadata_is_a_typed_error(string what, ErrorCode code)
    {
        byte[] si = new byte[34];
        byte[] comment = CommentBody("v", "A=1");
        byte[] picture = PictureBody("image/png", [9, 9]);
        byte[] file = what switch
        {
            "no marker" => [.. "fLaX"u8, .. Block(0, si, true)],
            "block header cut" => [.. "fLaC"u8, .. Block(0, si, false), 4, 0],
            "block past the end" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(2, new byte[10], true)[..9]],
            "streaminfo not first" => [.. "fLaC"u8, .. Block(4, comment, false), .. Block(0, si, true)],
            "streaminfo 33 bytes" => [.. "fLaC"u8, .. Block(0, si[..33], true)],
            "second streaminfo" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(0, si, true)],
            "type 127" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(127, [1], true)],
            "two comments" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(4, comment, false), .. Block(4, comment, true)],
            "comment count too large" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(4, [1, 0, 0, 0, (byte)'v', 0xFF, 0xFF, 0xFF, 0x7F], true)],
            "comment entry past its block" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(4, comment[..^1], true)],
            "picture data past its block" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(6, picture[..^1], true)],
            "picture with bytes left over" => [.. "fLaC"u8, .. Block(0, si, false), .. Block(6, [.. picture, 0], true)],
            _ => [.. "fLaC"u8, .. Block(0, si, false), .. Enumerable.Range(0, FlacMetadata.MaxBlocks).SelectMany(_ => Block(2, [1, 2, 3, 4], false))],
        };
        var e = Assert.Throws<LabelStampException>(() => FlacMetadata.Read(file, "bad.flac"));
        Assert.Equal(code, e.Code);
        Assert.Contains("bad.flac", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_head_reads_and_composes_with_one_aigc_entry()
    {
        byte[] si = new byte[34];
        si[13] = 0x01; // 2^32 total samples: the 36-bit field across bytes 13-17
        byte[] comment = CommentBody("vendor", "TITLE=x", "aigc=old", "AIGC=older");
        byte[] file = [.. "fLaC"u8, .. Block(0, si, false), .. Block(4, comment, false), .. Block(1, new byte[5], true), 0xFF, 0xF8];
        var meta = FlacMetadata.Read(file, "ok.flac");
        Assert.Equal(file.Length - 2, meta.FramesOffset);
        Assert.Equal(1L << 32, meta.TotalSamples(file));
        byte[] head = meta.Compose(file, si, "{\"Label\":\"1\"}", vendor: null);
        var again = FlacMetadata.Read(head, "head.flac");
        string text = Encoding.UTF8.GetString(Body(head, again, FlacMetadataBlock.VorbisComment));
        Assert.Equal(1, CountOf(text, "AIGC=", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("TITLE=x", text, StringComparison.Ordinal);
        Assert.Contains("vendor", text, StringComparison.Ordinal);
        Assert.Equal(head.Length, again.FramesOffset);
    }

    /// <summary>The file with its PADDING dropped, an APPLICATION block and <paramref name="extra"/> blocks added.</summary>
    private static byte[] WithExtraBlocks(byte[] flac, params (int Type, byte[] Body)[] extra)
    {
        var meta = FlacMetadata.Read(flac, "fixture.flac");
        var blocks = meta.Blocks.Where(b => b.Type != FlacMetadataBlock.Padding).Select(b => (Type: b.Type, Body: b.Body(flac).ToArray()))
            .Append((Type: FlacMetadataBlock.Application, Body: AppBody)).Concat(extra).ToList();
        var output = new List<byte>("fLaC"u8.ToArray());
        for (int i = 0; i < blocks.Count; i++) output.AddRange(Block(blocks[i].Type, blocks[i].Body, i == blocks.Count - 1));
        output.AddRange(flac.AsSpan(meta.FramesOffset).ToArray());
        return [.. output];
    }

    private static byte[] Block(int type, byte[] body, bool last) =>
        [(byte)((last ? 0x80 : 0) | type), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] CommentBody(string vendor, params string[] entries)
    {
        var b = new List<byte>();
        void Str(string s)
        {
            byte[] x = Encoding.UTF8.GetBytes(s);
            b.AddRange(BitConverter.GetBytes(x.Length));
            b.AddRange(x);
        }
        Str(vendor);
        b.AddRange(BitConverter.GetBytes(entries.Length));
        foreach (string e in entries) Str(e);
        return [.. b];
    }

    private static byte[] PictureBody(string mime, byte[] data)
    {
        var b = new List<byte>();
        void U32(int v) { var x = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(x, v); b.AddRange(x); }
        U32(3);
        U32(mime.Length);
        b.AddRange(Encoding.ASCII.GetBytes(mime));
        U32(0);
        U32(32); U32(32); U32(24); U32(0);
        U32(data.Length);
        b.AddRange(data);
        return [.. b];
    }

    private static byte[] Body(byte[] file, FlacMetadata meta, int type) => meta.Blocks.Single(b => b.Type == type).Body(file).ToArray();

    private static int CountOf(string text, string what, StringComparison comparison)
    {
        int n = 0;
        for (int at = text.IndexOf(what, comparison); at >= 0; at = text.IndexOf(what, at + 1, comparison)) n++;
        return n;
    }

    private static byte[] EncodeBare(float[] samples, int channels, int bits)
    {
        using var encoder = LibflacEncoder.TryCreate(44100, channels, bits, samples.Length / channels, "bare.flac")!;
        encoder.Encode(samples);
        byte[] si = new byte[34];
        byte[] head = [.. "fLaC"u8, .. Block(0, si, true)];
        return encoder.Finish(head, "bare.flac");
    }

    /// <summary>The decoded samples at the file's own sample size (s16 or s32), as bytes.</summary>
    private static byte[] Pcm(string path) => AudioFixtures.Ffmpeg("-i", path, "-map", "0:a", "-f", "s32le", "-c:a", "pcm_s32le", "-");

    private static short[] Pcm16(string path)
    {
        byte[] raw = AudioFixtures.Ffmpeg("-i", path, "-f", "s16le", "-c:a", "pcm_s16le", "-");
        var s = new short[raw.Length / 2];
        Buffer.BlockCopy(raw, 0, s, 0, raw.Length);
        return s;
    }

    /// <summary>FLAC's MD5: over the samples as little-endian signed integers of the stream's byte width, interleaved.</summary>
    private static byte[] StreamInfoMd5(string path, int bits)
    {
        byte[] s32 = Pcm(path);
        int width = bits / 8;
        var packed = new byte[s32.Length / 4 * width];
        for (int i = 0, o = 0; i < s32.Length; i += 4, o += width)
        {
            int v = BinaryPrimitives.ReadInt32LittleEndian(s32.AsSpan(i)) >> (32 - bits);
            for (int k = 0; k < width; k++) packed[o + k] = (byte)(v >> (8 * k));
        }
        return MD5.HashData(packed);
    }

    private static Dictionary<string, string> ProbeTags(string path)
    {
        byte[] json = AudioFixtures.Run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format_tags", "-of", "json", path]);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in JsonDocument.Parse(json).RootElement.GetProperty("format").GetProperty("tags").EnumerateObject())
            tags[p.Name] = p.Value.GetString() ?? "";
        return tags;
    }
}
