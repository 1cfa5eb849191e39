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

    /// <summary>Runs <paramref name="decode"/> → the processor → <paramref name="sink"/>, an encoder in our own
    /// process (<see cref="Audio.Encoders.PcmEncoderSink"/>): the same chunks as <see cref="RunAsync"/>, one
    /// process (the decoder) where that runs two.</summary>
    public Task DecodeIntoAsync(FfmpegCommand decode, int channels, ChunkProcessor processor, Stream sink,
        string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        OwnedPipes().RunAsync(decode, null, (pcmIn, _, ct) => BlockingPump(channels, processor)(pcmIn, sink, ct),
            "ffmpeg audio", name, timeout, cancellationToken);

    /// <summary>In-process samples → the processor → an in-process encoder (<paramref name="sink"/>), on the
    /// calling thread: the same chunks as <see cref="RunAsync"/>, no process at all. For decoders and
    /// encoders that cannot hang (ours, and codec libraries fed our own samples): there is no process a
    /// timeout could kill, only the token, checked between chunks.</summary>
    public static void Transcode(Stream pcm, int channels, ChunkProcessor processor, Stream sink, CancellationToken cancellationToken) =>
        Pump(pcm, sink, channels, processor, cancellationToken);

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

    /// <summary>The chunk loop with blocking reads and writes (see <see cref="OwnedPipes"/>). The token is
    /// checked between chunks: an in-process decoder's stream does no I/O that a kill could end.</summary>
    private static void Pump(Stream pcmIn, Stream? pcmOut, int channels, ChunkProcessor processor, CancellationToken cancellationToken)
    {
        using var chunks = new HeldChunks(channels, processor);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var buffer = chunks.Next.Span;
            int filled = 0;
            while (filled < buffer.Length)
            {
                int n = pcmIn.Read(buffer[filled..]);
                if (n == 0) break;
                filled += n;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var done = chunks.Process(filled, out bool last);
            if (pcmOut is not null && !done.IsEmpty) pcmOut.Write(done.Span);
            if (last) break;
        }
        if (pcmOut is null) return;
        if (!chunks.Held.IsEmpty) pcmOut.Write(chunks.Held.Span);
        pcmOut.Dispose();
    }

    /// <summary>The chunk loop with asynchronous I/O, for a sink that is not a pipe of ours (the video
    /// encoder's socket), whose writes a kill of our own processes would not end.</summary>
    private static async Task PumpAsync(Stream pcmIn, Stream? pcmOut, int channels, ChunkProcessor processor, CancellationToken cancellationToken)
    {
        using var chunks = new HeldChunks(channels, processor);
        while (true)
        {
            var buffer = chunks.Next;
            int filled = 0;
            while (filled < buffer.Length)
            {
                int n = await pcmIn.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                filled += n;
            }
            var done = chunks.Process(filled, out bool last);
            if (pcmOut is not null && !done.IsEmpty) await pcmOut.WriteAsync(done, cancellationToken).ConfigureAwait(false);
            if (last) break;
        }
        if (pcmOut is null) return;
        if (!chunks.Held.IsEmpty) await pcmOut.WriteAsync(chunks.Held, cancellationToken).ConfigureAwait(false);
        await pcmOut.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The two pooled chunk buffers both pumps share: the processor sees each chunk with the one before it
    /// still held (the mark finishes a frame across the boundary), so a chunk is written out only once the
    /// next has been processed. <see cref="Process"/> returns that finished chunk; it stays valid until the
    /// next <see cref="Next"/> is filled.
    /// </summary>
    private sealed class HeldChunks : IDisposable
    {
        private readonly int _channels, _chunkBytes;
        private readonly ChunkProcessor _processor;
        private byte[] _current, _held;
        private int _heldBytes;
        private long _firstSample;

        public HeldChunks(int channels, ChunkProcessor processor)
        {
            _channels = channels;
            _processor = processor;
            _chunkBytes = ChunkFrames * 1024 * channels * sizeof(float);
            _current = ArrayPool<byte>.Shared.Rent(_chunkBytes);
            _held = ArrayPool<byte>.Shared.Rent(_chunkBytes);
        }

        /// <summary>The buffer to fill with the next chunk (a whole chunk unless the stream ends).</summary>
        public Memory<byte> Next => _current.AsMemory(0, _chunkBytes);

        /// <summary>The chunk still held (after the last one: what remains to be written).</summary>
        public ReadOnlyMemory<byte> Held => _held.AsMemory(0, _heldBytes);

        /// <summary>Runs the processor over the <paramref name="filled"/> bytes of <see cref="Next"/> (fewer than a
        /// chunk: the last one) and returns the chunk before it, now final (empty the first time).</summary>
        public ReadOnlyMemory<byte> Process(int filled, out bool last)
        {
            int usable = filled - filled % (_channels * sizeof(float));
            last = filled < _chunkBytes;
            var samples = MemoryMarshal.Cast<byte, float>(_current.AsSpan(0, usable));
            _processor(samples, MemoryMarshal.Cast<byte, float>(_held.AsSpan(0, _heldBytes)), _firstSample, last);
            _firstSample += samples.Length / _channels;
            var done = _held.AsMemory(0, _heldBytes);
            (_current, _held) = (_held, _current);
            _heldBytes = usable;
            return done;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_current);
            ArrayPool<byte>.Shared.Return(_held);
        }
    }
}
