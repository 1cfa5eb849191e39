using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Metadata.Containers;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// WAV in → WAV out without ffmpeg: the labeler is given tool paths that do not exist, so any process
/// start would fail the stamp. The output must keep its sample format and every foreign chunk, carry the
/// AIGC chunk, and read back (independently, with ffprobe/ffmpeg through <see cref="AudioInspector"/>) with
/// the right mark ID. Synthetic music, seed 6, 8 s stereo at 44.1 kHz.
/// </summary>
public class WavInProcessTests
{
    private static readonly ToolRunner NoTools = new("/nonexistent/ffmpeg", "/nonexistent/ffprobe");

    [Theory]
    [InlineData(1, 16)]
    [InlineData(1, 24)]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    public async Task A_pcm_or_float_wav_is_stamped_in_process_and_keeps_its_format_and_chunks(int tag, int bits)
    {
        byte[] wav = Wav(SyntheticAudio.Music(44_100, 2, 8, seed: 6), 44_100, 2, tag, bits, extraChunk: true);
        var context = AudioFixtures.Context(MediaFormat.Wav, "wav-in-process-" + bits, Layers.Watermark | Layers.Metadata);
        var (output, applied) = await new AudioLabeler(NoTools).LabelAsync(wav, context, default);

        Assert.Equal(Layers.Watermark | Layers.Metadata, applied);
        var inRiff = RiffFile.Parse(wav, "in.wav");
        var outRiff = RiffFile.Parse(output, "out.wav");
        Assert.Equal(inRiff.Chunks[inRiff.IndexOf("fmt ")].Data.ToArray(), outRiff.Chunks[outRiff.IndexOf("fmt ")].Data.ToArray());
        Assert.Equal("custom payload"u8.ToArray(), outRiff.Chunks[outRiff.IndexOf("xtra")].Data.ToArray());
        Assert.Equal(inRiff.Chunks[inRiff.IndexOf("data")].Data.Length, outRiff.Chunks[outRiff.IndexOf("data")].Data.Length);
        Assert.True(outRiff.IndexOf("AIGC") < outRiff.IndexOf("data"));
        Assert.NotEqual(inRiff.Chunks[inRiff.IndexOf("data")].Data.ToArray(), outRiff.Chunks[outRiff.IndexOf("data")].Data.ToArray());

        var report = await new AudioInspector().InspectAsync(output, "out.wav", AudioFixtures.Key, default);
        Assert.Equal(context.MarkId, report.Watermark?.Payload.MarkId);
        Assert.Contains("\"ContentProducer\"", report.AigcJson);
    }

    [Fact]
    public async Task Metadata_only_changes_no_sample()
    {
        byte[] wav = Wav(SyntheticAudio.Music(22_050, 1, 2, seed: 6), 22_050, 1, 1, 16, extraChunk: false);
        var context = AudioFixtures.Context(MediaFormat.Wav, "wav-metadata-only", Layers.Metadata);
        var (output, _) = await new AudioLabeler(NoTools).LabelAsync(wav, context, default);
        var i = RiffFile.Parse(wav, "in.wav");
        var o = RiffFile.Parse(output, "out.wav");
        Assert.Equal(i.Chunks[i.IndexOf("data")].Data.ToArray(), o.Chunks[o.IndexOf("data")].Data.ToArray());
        Assert.True(o.IndexOf("AIGC") >= 0);
    }

    [Fact]
    public void An_extensible_fmt_chunk_too_short_for_its_sub_format_is_a_corrupt_input()
    {
        byte[] wav = Wav(new float[200], 16_000, 1, 1, 16, extraChunk: false);
        // Rewrite the 16-byte fmt chunk's tag as WAVE_FORMAT_EXTENSIBLE without the 24 bytes it needs.
        int fmt = IndexOfChunk(wav, "fmt ");
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(fmt + 8), 0xFFFE);
        var e = Assert.Throws<LabelStampException>(() => WavPcm.TryOpen(wav, "short.wav"));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
    }

    [Fact]
    public void Eight_bit_and_streaming_placeholder_wavs_are_left_to_the_ffmpeg_path()
    {
        byte[] eight = Wav(new float[200], 16_000, 1, 1, 16, extraChunk: false);
        int fmt = IndexOfChunk(eight, "fmt ");
        BinaryPrimitives.WriteUInt16LittleEndian(eight.AsSpan(fmt + 8 + 12), 1);  // block align
        BinaryPrimitives.WriteUInt16LittleEndian(eight.AsSpan(fmt + 8 + 14), 8);  // bits
        Assert.Null(WavPcm.TryOpen(eight, "eight.wav"));

        byte[] streaming = Wav(new float[200], 16_000, 1, 1, 16, extraChunk: false);
        BinaryPrimitives.WriteUInt32LittleEndian(streaming.AsSpan(4), 0xFFFFFFFF);
        Assert.Null(WavPcm.TryOpen(streaming, "streaming.wav"));
    }

    [Fact]
    public void Unchanged_samples_come_back_bit_for_bit_in_every_format()
    {
        var samples = SyntheticAudio.Music(16_000, 1, 1, seed: 6);
        foreach (var (tag, bits) in new[] { (1, 16), (1, 24), (1, 32), (3, 32), (3, 64) })
        {
            byte[] wav = Wav(samples, 16_000, 1, tag, bits, extraChunk: false);
            var pcm = WavPcm.TryOpen(wav, "t.wav")!;
            var riff = pcm.Process((_, _, _, _) => { }, 1024);
            var before = RiffFile.Parse(wav, "t.wav");
            Assert.Equal(before.Chunks[before.IndexOf("data")].Data.ToArray(), riff.Chunks[riff.IndexOf("data")].Data.ToArray());
        }
    }

    /// <summary>The in-process path feeds the mark exactly as the ffmpeg pipe does: each chunk with the
    /// previous one held back (its look-ahead), the end marked once by a short or empty chunk, and the
    /// held chunk's edits written out too.</summary>
    [Theory]
    [InlineData(5000)] // ends with a short chunk
    [InlineData(4096)] // a whole number of chunks: the end is an empty chunk
    public void Chunks_arrive_with_the_previous_one_held_and_edits_to_both_land(int frames)
    {
        var samples = SyntheticAudio.Music(16_000, 1, 1, seed: 7)[..frames];
        var pcm = WavPcm.TryOpen(Wav(samples, 16_000, 1, 3, 32, extraChunk: false), "t.wav")!;
        var calls = new List<(int Length, int Held, long First, bool Last)>();
        var riff = pcm.Process((chunk, held, first, last) =>
        {
            calls.Add((chunk.Length, held.Length, first, last));
            held.Fill(0.25f); // finished by the look-ahead
            if (last) chunk.Fill(0.5f);
        }, 1024);
        Assert.Equal(frames / 1024 + 1, calls.Count);
        Assert.Equal(1, calls.Count(c => c.Last));
        Assert.True(calls[^1].Last);
        Assert.Equal(0, calls[0].Held);
        for (int i = 1; i < calls.Count; i++)
        {
            Assert.Equal(calls[i - 1].Length, calls[i].Held);
            Assert.Equal(calls[i - 1].First + calls[i - 1].Length, calls[i].First);
        }
        var data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(riff.Chunks[riff.IndexOf("data")].Data.Span);
        int lastStart = (int)calls[^1].First;
        Assert.All(data[..lastStart].ToArray(), v => Assert.Equal(0.25f, v));
        Assert.All(data[lastStart..].ToArray(), v => Assert.Equal(0.5f, v));
    }

    private static int IndexOfChunk(byte[] wav, string id)
    {
        for (int p = 12; p + 8 <= wav.Length; p += 8 + (int)BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(p + 4)))
            if (Encoding.ASCII.GetString(wav, p, 4) == id) return p;
        throw new InvalidOperationException(id);
    }

    /// <summary>A plain WAV (tag 1 = PCM, 3 = IEEE float) of the given samples, with an optional foreign chunk before the data.</summary>
    private static byte[] Wav(float[] interleaved, int rate, int channels, int tag, int bits, bool extraChunk)
    {
        int bytes = bits / 8;
        var data = new byte[interleaved.Length * bytes];
        for (int i = 0; i < interleaved.Length; i++)
        {
            var s = data.AsSpan(i * bytes, bytes);
            double v = Math.Clamp(interleaved[i], -1f, 1f);
            switch (tag, bits)
            {
                case (3, 32): BinaryPrimitives.WriteSingleLittleEndian(s, (float)v); break;
                case (3, 64): BinaryPrimitives.WriteDoubleLittleEndian(s, v); break;
                case (1, 16): BinaryPrimitives.WriteInt16LittleEndian(s, (short)Math.Clamp(Math.Round(v * 32768), -32768, 32767)); break;
                case (1, 24):
                    int x = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                    s[0] = (byte)x; s[1] = (byte)(x >> 8); s[2] = (byte)(x >> 16);
                    break;
                default: BinaryPrimitives.WriteInt32LittleEndian(s, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue)); break;
            }
        }
        var ms = new MemoryStream();
        void Chunk(string id, byte[] body)
        {
            ms.Write(Encoding.ASCII.GetBytes(id));
            ms.Write(BitConverter.GetBytes((uint)body.Length));
            ms.Write(body);
            if (body.Length % 2 == 1) ms.WriteByte(0);
        }
        var fmt = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * channels * bytes));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bytes));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        ms.Write("RIFF"u8);
        ms.Write(new byte[4]);
        ms.Write("WAVE"u8);
        Chunk("fmt ", fmt);
        if (extraChunk) Chunk("xtra", "custom payload"u8.ToArray());
        Chunk("data", data);
        var wav = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(wav.Length - 8));
        return wav;
    }
}
