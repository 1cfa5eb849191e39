using System.Buffers;
using System.Threading.Channels;
using LabelStamp.Errors;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Video;

/// <summary>
/// decode → process → encode over pipes, overlapped: a reader fills pooled frame buffers from the
/// decoder's raw 4:2:0 output (<see cref="VideoCodecs.PipePixelFormat"/>) and starts each frame's processing on the thread pool; a writer awaits
/// the frames in order and streams them into the encoder. A bounded channel keeps at most
/// <c>framesInFlight</c> frames between the two, so memory stays at a few frames whatever the length,
/// and the decoder, our processing (on both cores) and the encoder run at the same time. The encoder
/// runs in <c>encoderDirectory</c> when given (the workspace, where its relative input names resolve).
/// Reads and writes are asynchronous: a pump blocking on threads of its own (as <see cref="PcmPipeline"/>'s) measured
/// the same CPU within the noise (bench/VIDEO.md, "Issue 18, round 12": pipe 1.041× / 1.050× the plain transcode
/// against 1.055× / 1.036× for this one), so the simpler cancellation through the token stays.
/// </summary>
public sealed class FramePipeline(ToolRunner tools, string? encoderDirectory = null)
{
    /// <summary>Processes one frame in place; <paramref name="index"/> counts from 0 in display order.</summary>
    public delegate void FrameProcessor(byte[] frame, int index);

    /// <summary>Runs the pipeline and returns the number of whole frames decoded. With no encoder the
    /// frames are only read (verify); <paramref name="parallel"/> false runs the processor in frame order
    /// on the writer side (for accumulating readers). A decoder that fails is
    /// <see cref="ErrorCode.CorruptInput"/> (the stream cannot be decoded), an encoder that fails is
    /// <see cref="ErrorCode.ToolFailed"/> with its own message. <paramref name="inOrder"/>, when given, sees each decoded
    /// frame first, in frame order on the reader side, before its processing starts (a causal tracker: the frame as
    /// decoded, one at a time).</summary>
    public async Task<int> RunAsync(FfmpegCommand decode, FfmpegCommand? encode, int frameBytes,
        int framesInFlight, bool parallel, FrameProcessor processor, string name, TimeSpan timeout, CancellationToken cancellationToken,
        FrameProcessor? inOrder = null)
    {
        var pipeline = new TranscodePipeline(tools) { EncoderDirectory = encoderDirectory, LargePipes = true };
        try
        {
            return await pipeline.RunAsync(decode, encode,
                (rawIn, rawOut, ct) => PumpAsync(rawIn, rawOut, frameBytes, framesInFlight, parallel, processor, inOrder, ct),
                "ffmpeg video", name, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed && e.Message.StartsWith(name + ": ffmpeg video decode failed", StringComparison.Ordinal))
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the video stream cannot be decoded ({e.Message})", e);
        }
    }

    private static async Task<int> PumpAsync(Stream rawIn, Stream? rawOut, int frameBytes, int framesInFlight, bool parallel,
        FrameProcessor processor, FrameProcessor? inOrder, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<(Task Work, byte[] Frame, int Index)>(new BoundedChannelOptions(framesInFlight)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (work, frame, index) in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        await work.ConfigureAwait(false);
                        if (!parallel) processor(frame, index);
                        if (rawOut is not null) await rawOut.WriteAsync(frame.AsMemory(0, frameBytes), cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame);
                    }
                }
                if (rawOut is not null) await rawOut.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                queue.Writer.TryComplete(); // a failed writer must not leave the reader waiting on a full channel
            }
        }, cancellationToken);

        int count = 0;
        try
        {
            while (!writer.IsCompleted)
            {
                byte[] frame = ArrayPool<byte>.Shared.Rent(frameBytes);
                int filled = 0;
                try
                {
                    while (filled < frameBytes)
                    {
                        int n = await rawIn.ReadAsync(frame.AsMemory(filled, frameBytes - filled), cancellationToken).ConfigureAwait(false);
                        if (n == 0) break;
                        filled += n;
                    }
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(frame);
                    throw;
                }
                if (filled < frameBytes)
                {
                    ArrayPool<byte>.Shared.Return(frame); // end of stream (a partial last frame is dropped and counted as missing)
                    break;
                }
                int index = count++;
                if (inOrder is not null)
                {
                    try
                    {
                        inOrder(frame, index);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(frame);
                        throw;
                    }
                }
                Task work = parallel ? Task.Run(() => processor(frame, index), cancellationToken) : Task.CompletedTask;
                try
                {
                    await queue.Writer.WriteAsync((work, frame, index), cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    break; // the writer stopped; awaiting it below surfaces why
                }
            }
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await writer.ConfigureAwait(false);
        return count;
    }
}
