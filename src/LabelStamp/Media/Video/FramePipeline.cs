using System.Buffers;
using System.Collections.Concurrent;
using LabelStamp.Errors;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Video;

/// <summary>
/// decode → process → encode over pipes, overlapped: a reader fills pooled frame buffers from the
/// decoder's raw 4:2:0 output and starts each frame's processing on the thread pool; a writer takes the
/// frames in order and streams them into the encoder. A bounded queue keeps at most
/// <c>framesInFlight</c> frames between the two, so memory stays at a few frames whatever the length,
/// and the decoder, our processing (on both cores) and the encoder run at the same time. The encoder
/// runs in <c>encoderDirectory</c> when given (the workspace, where its relative input names resolve).
/// Both ends of both pipes are ours and our processes', so the reader and the writer block in their
/// calls on threads of their own (as <see cref="PcmPipeline"/> does): a frame is 0.8–3 MB and each
/// asynchronous read or write of it returned after at most one pipe's worth (1 MiB), an epoll wake-up
/// and a thread-pool hop each time. A timeout or cancellation kills both processes, which ends any call
/// the reader or writer is blocked in (<see cref="TranscodePipeline.BlockingPump"/>).
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
        var pipeline = new TranscodePipeline(tools) { EncoderDirectory = encoderDirectory, LargePipes = true, BlockingPump = true };
        try
        {
            return await pipeline.RunAsync(decode, encode,
                (rawIn, rawOut, ct) => Task.Factory.StartNew(() => Pump(rawIn, rawOut, frameBytes, framesInFlight, parallel, processor, inOrder, ct),
                    ct, TaskCreationOptions.LongRunning, TaskScheduler.Default),
                "ffmpeg video", name, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.ToolFailed && e.Message.StartsWith(name + ": ffmpeg video decode failed", StringComparison.Ordinal))
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: the video stream cannot be decoded ({e.Message})", e);
        }
    }

    private static int Pump(Stream rawIn, Stream? rawOut, int frameBytes, int framesInFlight, bool parallel,
        FrameProcessor processor, FrameProcessor? inOrder, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<(Task Work, byte[] Frame, int Index)>(framesInFlight);
        var writer = Task.Factory.StartNew(() => WriteFrames(queue, rawOut, frameBytes, parallel, processor, stop.Token),
            stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        int count = 0;
        try
        {
            while (!writer.IsCompleted)
            {
                byte[] frame = ArrayPool<byte>.Shared.Rent(frameBytes);
                Task? work = null;
                bool queued = false;
                try
                {
                    int filled = 0;
                    while (filled < frameBytes)
                    {
                        int n = rawIn.Read(frame, filled, frameBytes - filled);
                        if (n == 0) break;
                        filled += n;
                    }
                    if (filled < frameBytes) break; // end of stream (a partial last frame is dropped and counted as missing)
                    int index = count++;
                    inOrder?.Invoke(frame, index);
                    work = parallel ? Task.Run(() => processor(frame, index), stop.Token) : Task.CompletedTask;
                    try
                    {
                        queue.Add((work, frame, index), stop.Token);
                        queued = true;
                    }
                    catch (InvalidOperationException)
                    {
                        break; // the writer stopped; waiting for it below surfaces why
                    }
                }
                finally
                {
                    if (!queued) ReturnAfter(work, frame);
                }
            }
        }
        catch
        {
            stop.Cancel(); // our failure: the writer must not keep feeding the encoder
            try { writer.Wait(CancellationToken.None); }
            catch (AggregateException) { /* it only followed the cancellation, or failed for the same cause */ }
            throw;
        }
        finally
        {
            if (!queue.IsAddingCompleted) queue.CompleteAdding();
        }
        writer.GetAwaiter().GetResult();
        return count;
    }

    /// <summary>Returns a frame that never reached the writer to the pool, once its processing (if it started) is over: the
    /// pool hands the buffer to the next renter, which must not find a processor still writing into it. The processing's own
    /// outcome does not matter here: the run is already stopping for another reason, which is the one reported.</summary>
    private static void ReturnAfter(Task? work, byte[] frame)
    {
        if (work is not null)
        {
            try { work.Wait(CancellationToken.None); }
            catch (AggregateException) { /* see above */ }
        }
        ArrayPool<byte>.Shared.Return(frame);
    }

    /// <summary>The writer side: each frame in order, once its processing is done, written whole into the encoder's pipe
    /// (or only processed in order when reading); the encoder's input is closed at the end so it finishes the file.</summary>
    private static void WriteFrames(BlockingCollection<(Task Work, byte[] Frame, int Index)> queue, Stream? rawOut, int frameBytes,
        bool parallel, FrameProcessor processor, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (work, frame, index) in queue.GetConsumingEnumerable(cancellationToken))
            {
                try
                {
                    work.GetAwaiter().GetResult();
                    if (!parallel) processor(frame, index);
                    rawOut?.Write(frame, 0, frameBytes);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
            rawOut?.Dispose();
        }
        finally
        {
            if (!queue.IsAddingCompleted) queue.CompleteAdding(); // a failed writer must not leave the reader waiting on a full queue
        }
    }
}
