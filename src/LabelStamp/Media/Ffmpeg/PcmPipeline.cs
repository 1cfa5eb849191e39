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
        new TranscodePipeline(tools).RunAsync(decode, encode,
            async (pcmIn, pcmOut, ct) => { await PumpAsync(pcmIn, pcmOut, channels, processor, ct).ConfigureAwait(false); return true; },
            "ffmpeg audio", name, timeout, cancellationToken);

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
