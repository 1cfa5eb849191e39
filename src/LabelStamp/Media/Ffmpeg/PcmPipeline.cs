using System.Buffers;
using System.Runtime.InteropServices;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// Decodes a workspace input to interleaved f32le PCM at its own rate and channel count, hands it to a
/// processor in bounded chunks (<see cref="ChunkFrames"/> × 1024 samples per channel, pooled),
/// and optionally streams the processed chunks into an encoder process: decode → process → encode
/// through pipes, so memory stays flat whatever the duration. Each chunk is written out one chunk
/// late: the processor may still change it while it sees the next one (the audio mark needs ≈ 60 ms
/// of look-ahead), so the output is exactly as long as the input.
/// </summary>
public sealed class PcmPipeline(ToolRunner tools)
{
    /// <summary>Chunk length in units of 1024 samples: ≈ 1.5 s at 44.1 kHz, far above the mark's look-ahead.</summary>
    public const int ChunkFrames = 64;

    /// <summary>The processor sees each chunk (in place) with its first sample's index per channel, and
    /// the chunk before it (<paramref name="held"/>, empty at first), which is written out only when this
    /// call returns, so a processor with look-ahead finishes it now. <paramref name="last"/>: end of
    /// stream; the chunk (possibly empty) and the held one are both written after this call.</summary>
    public delegate void ChunkProcessor(Span<float> interleaved, Span<float> held, long firstSample, bool last);

    /// <summary>The decode side: the first audio stream of a workspace file (<paramref name="demuxer"/>
    /// forced) as interleaved f32le on standard output, at its own rate and channel count.</summary>
    public static FfmpegCommand Decode(string demuxer, string path, int sampleRate, int channels) =>
        FfmpegCommand.Ffmpeg().FileInput(demuxer, path).SampleOutput(sampleRate, channels);

    /// <summary>Runs <paramref name="decode"/> → the processor → <paramref name="encode"/> (whose first input
    /// is the samples on <c>pipe:0</c>), or only decode → processor when <paramref name="encode"/> is null
    /// (verify). A failure names the process that failed.</summary>
    public Task RunAsync(FfmpegCommand decode, int channels, ChunkProcessor processor, FfmpegCommand? encode,
        string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        OwnedPipes().RunAsync(decode, encode, BlockingPump(channels, processor), "ffmpeg audio", name, timeout, cancellationToken);

    /// <summary>In-process samples (<paramref name="pcm"/>, interleaved f32le bytes) → the processor →
    /// <paramref name="encode"/>: the same chunks as <see cref="RunAsync"/>, one process fewer.</summary>
    public Task EncodeAsync(Stream pcm, int channels, ChunkProcessor processor, FfmpegCommand encode,
        string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        OwnedPipes().RunAsync(pcm, encode, BlockingPump(channels, processor), "ffmpeg audio", name, timeout, cancellationToken);

    /// <summary>
    /// Both ends of both pipes are ours and our processes', so the pump reads and writes them with plain
    /// blocking calls on a thread of its own, and the pipes hold 1 MiB: measured on the audio corpus
    /// (bench/AUDIO.md), the asynchronous pump spent ≈ 40–100 ms of CPU per 25–50 s clip on completions
    /// of ffmpeg's 8 KiB decoder writes (one epoll wake-up and thread-pool hop each), about as much as the
    /// mark itself; blocking reads take whatever has arrived in one system call each. A timeout or a
    /// cancellation kills both processes (<see cref="TranscodePipeline.BlockingPump"/>), which ends any
    /// read or write the pump is blocked in.
    /// </summary>
    private TranscodePipeline OwnedPipes() => new(tools) { LargePipes = true, BlockingPump = true };

    private static Func<Stream, Stream?, CancellationToken, Task<bool>> BlockingPump(int channels, ChunkProcessor processor) =>
        (pcmIn, pcmOut, ct) => Task.Factory.StartNew(() =>
        {
            Pump(pcmIn, pcmOut, channels, processor, ct);
            return true;
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Decodes with <paramref name="decode"/> (see <see cref="Decode"/>), runs the processor over the same
    /// chunks as <see cref="RunAsync"/> (so the audio mark sees identical chunk boundaries) and writes them
    /// to <paramref name="sink"/>, which is disposed at the end so its reader sees end of stream. Used when
    /// the encoder is not ours to start (the video encoder reads the samples as its second input).
    /// </summary>
    public async Task FeedAsync(FfmpegCommand decode, int channels, ChunkProcessor processor, Stream sink,
        string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await new TranscodePipeline(tools).RunAsync(decode, null,
                async (pcmIn, _, ct) => { await PumpAsync(pcmIn, sink, channels, processor, ct).ConfigureAwait(false); return true; },
                "ffmpeg audio", name, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await sink.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The chunk loop with blocking reads and writes (see <see cref="OwnedPipes"/>); the same
    /// chunks, held one late, as <see cref="PumpAsync"/>. The token is checked between chunks: an
    /// in-process decoder's stream does no I/O that a kill could end.</summary>
    private static void Pump(Stream pcmIn, Stream? pcmOut, int channels, ChunkProcessor processor, CancellationToken cancellationToken)
    {
        int chunkBytes = ChunkFrames * 1024 * channels * sizeof(float);
        byte[] current = ArrayPool<byte>.Shared.Rent(chunkBytes);
        byte[] held = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            long firstSample = 0;
            int heldBytes = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int filled = 0;
                while (filled < chunkBytes)
                {
                    int n = pcmIn.Read(current.AsSpan(filled, chunkBytes - filled));
                    if (n == 0) break;
                    filled += n;
                }
                cancellationToken.ThrowIfCancellationRequested();
                int usable = filled - filled % (channels * sizeof(float));
                bool last = filled < chunkBytes;
                var samples = MemoryMarshal.Cast<byte, float>(current.AsSpan(0, usable));
                processor(samples, MemoryMarshal.Cast<byte, float>(held.AsSpan(0, heldBytes)), firstSample, last);
                firstSample += samples.Length / channels;
                if (pcmOut is not null && heldBytes > 0) pcmOut.Write(held.AsSpan(0, heldBytes));
                (current, held) = (held, current);
                heldBytes = usable;
                if (last) break;
            }
            if (pcmOut is not null)
            {
                if (heldBytes > 0) pcmOut.Write(held.AsSpan(0, heldBytes));
                pcmOut.Dispose();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>The chunk loop with asynchronous I/O, for a sink that is not a pipe of ours (the video
    /// encoder's socket), whose writes a kill of our own processes would not end.</summary>
    private static async Task PumpAsync(Stream pcmIn, Stream? pcmOut, int channels, ChunkProcessor processor, CancellationToken cancellationToken)
    {
        int chunkBytes = ChunkFrames * 1024 * channels * sizeof(float);
        byte[] current = ArrayPool<byte>.Shared.Rent(chunkBytes);
        byte[] held = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            long firstSample = 0;
            int heldBytes = 0;
            while (true)
            {
                int filled = 0;
                while (filled < chunkBytes)
                {
                    int n = await pcmIn.ReadAsync(current.AsMemory(filled, chunkBytes - filled), cancellationToken).ConfigureAwait(false);
                    if (n == 0) break;
                    filled += n;
                }
                int usable = filled - filled % (channels * sizeof(float));
                bool last = filled < chunkBytes;
                var samples = MemoryMarshal.Cast<byte, float>(current.AsSpan(0, usable));
                processor(samples, MemoryMarshal.Cast<byte, float>(held.AsSpan(0, heldBytes)), firstSample, last);
                firstSample += samples.Length / channels;
                if (pcmOut is not null && heldBytes > 0) await pcmOut.WriteAsync(held.AsMemory(0, heldBytes), cancellationToken).ConfigureAwait(false);
                (current, held) = (held, current);
                heldBytes = usable;
                if (last) break;
            }
            if (pcmOut is not null)
            {
                if (heldBytes > 0) await pcmOut.WriteAsync(held.AsMemory(0, heldBytes), cancellationToken).ConfigureAwait(false);
                await pcmOut.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(held);
        }
    }
}
