using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Audio;

/// <summary>
/// The sample pump between the decoder and the encoder (blocking reads and writes on a thread of its own,
/// 1 MiB pipes): the processed samples it hands the encoder are exactly what the processor makes of the
/// stream's chunks, whichever side decodes (an ffmpeg process or our FLAC decoder, bit-exact to ffmpeg's);
/// and a timeout or a cancellation stops a run whose processes would otherwise never end, with its typed
/// answer and no process left behind.
/// </summary>
public class PcmPumpTests
{
    [Fact]
    public async Task Both_decode_routes_hand_the_encoder_the_samples_the_processor_made_of_the_same_chunks()
    {
        // 9 s of 44.1 kHz stereo: six 65,536-frame chunks and a ragged last one.
        byte[] flac = AudioFixtures.Convert(AudioFixtures.Music, ".flac", ["-c:a", "flac", "-ar", "44100", "-ac", "2"], seconds: 9);
        var format = MediaFormat.Flac;
        using var ws = await MediaWorkspace.CreateAsync(flac, format.Extension, default);
        var info = await new AudioProbe(new ToolRunner()).ReadAsync(flac, ws, format, "pump.flac", TimeSpan.FromMinutes(1), default);
        var labeler = new AudioLabeler();
        var context = AudioFixtures.Context(format, "pump-routes");

        // Reference: the processor over the decoded samples in memory, chunk by chunk as the pump cuts them.
        using var decoded = new MemoryStream();
        new DecodedPcmStream(new FlacDecoder(flac, info, "pump.flac")).CopyTo(decoded);
        float[] pcm = MemoryMarshal.Cast<byte, float>(decoded.ToArray()).ToArray();
        var reference = (await labeler.CreateSampleProcessorAsync(info, context, default))!;
        int chunk = PcmPipeline.ChunkFrames * 1024 * info.Channels;
        var chunks = new List<float[]>();
        float[] held = [];
        for (int at = 0; ; at += chunk)
        {
            int n = Math.Min(chunk, pcm.Length - at);
            var current = pcm.AsSpan(at, n).ToArray();
            reference(current, held, at / info.Channels, n < chunk); // may still change held, the chunk before
            chunks.Add(current);
            held = current;
            if (n < chunk) break;
        }
        Assert.True(chunks.Count > 6);
        pcm = [.. chunks.SelectMany(c => c)];
        byte[] expected = MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray();

        FfmpegCommand Sink(string path) => FfmpegCommand.Ffmpeg().SampleInput("pipe:0", info.SampleRate, info.Channels)
            .Add("-c:a", "pcm_f32le").FileOutput("f32le", path);
        string viaProcess = ws.PathFor("via-process.f32"), inProcess = ws.PathFor("in-process.f32");
        var pipeline = new PcmPipeline(new ToolRunner());
        await pipeline.RunAsync(PcmPipeline.Decode("flac", ws.InputPath, info.SampleRate, info.Channels), info.Channels,
            (await labeler.CreateSampleProcessorAsync(info, context, default))!, Sink(viaProcess), "pump.flac", TimeSpan.FromMinutes(1), default);
        await pipeline.EncodeAsync(new DecodedPcmStream(new FlacDecoder(flac, info, "pump.flac")), info.Channels,
            (await labeler.CreateSampleProcessorAsync(info, context, default))!, Sink(inProcess), "pump.flac", TimeSpan.FromMinutes(1), default);

        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(File.ReadAllBytes(viaProcess)));
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(File.ReadAllBytes(inProcess)));
        // The mark and the prompt changed the samples: the comparison above is not of an untouched stream.
        Assert.NotEqual(SHA256.HashData(expected), SHA256.HashData(decoded.ToArray()));
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_LS_tool_timeout_and_leaves_neither_process_running()
    {
        string marker = Guid.NewGuid().ToString("N");
        var (decode, encode) = EndlessRun(marker);
        var run = new PcmPipeline(new ToolRunner()).RunAsync(decode, 1, (_, _, _, _) => { }, encode, "endless", TimeSpan.FromSeconds(2), default);
        await Stopped(run);
        var e = await Assert.ThrowsAsync<LabelStampException>(() => run);
        Assert.Equal(ErrorCode.ToolTimeout, e.Code);
        await AssertNoProcessWith(marker);
    }

    [Fact]
    public async Task A_cancelled_run_is_cancelled_not_a_timeout_and_leaves_neither_process_running()
    {
        string marker = Guid.NewGuid().ToString("N");
        var (decode, encode) = EndlessRun(marker);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var run = new PcmPipeline(new ToolRunner()).RunAsync(decode, 1, (_, _, _, _) => { }, encode, "endless", TimeSpan.FromMinutes(5), cts.Token);
        await Stopped(run);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertNoProcessWith(marker);
    }

    /// <summary>A decoder that never ends (a lavfi tone with no duration) into an encoder that discards
    /// what it reads; both carry <paramref name="marker"/> in their arguments so the test finds them and
    /// no one else's.</summary>
    internal static (FfmpegCommand Decode, FfmpegCommand Encode) EndlessRun(string marker)
    {
        var decode = FfmpegCommand.Ffmpeg().Add("-f", "lavfi", "-i", "sine=frequency=441:sample_rate=16000")
            .Add("-metadata", "comment=" + marker).SampleOutput(16000, 1);
        var encode = FfmpegCommand.Ffmpeg().SampleInput("pipe:0", 16000, 1).Add("-metadata", "comment=" + marker, "-f", "null", "-");
        return (decode, encode);
    }

    /// <summary>A pump blocked in a read nothing ends would hang the suite: fail instead. Detects a hang
    /// only; no speed is asserted.</summary>
    internal static async Task Stopped(Task run) =>
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2))));

    internal static async Task AssertNoProcessWith(string marker)
    {
        List<int> left = [];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            left = ProcessesWith(marker);
            if (left.Count == 0) return;
            await Task.Delay(50);
        }
        Assert.Fail($"processes still running after the run ended: {string.Join(", ", left)}");
    }

    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
