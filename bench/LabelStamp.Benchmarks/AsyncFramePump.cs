using System.Buffers;
using System.Threading.Channels;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 11's frame pump, kept as the reference the product's blocking pump is measured against (`video-cpu-layout`,
/// cell "pipe-async"): asynchronous reads of the decoder's pipe and writes to the encoder's, each frame handed to the
/// thread pool (here with nothing to do) and awaited in order through a bounded channel.
/// </summary>
public static class AsyncFramePump
{
    public static int Run(ToolRunner tools, string encoderDirectory, Media.Ffmpeg.FfmpegCommand decode, Media.Ffmpeg.FfmpegCommand encode,
        int frameBytes, int framesInFlight, string name)
    {
        var pipeline = new TranscodePipeline(tools) { EncoderDirectory = encoderDirectory, LargePipes = true };
        return pipeline.RunAsync(decode, encode, (rawIn, rawOut, ct) => PumpAsync(rawIn, rawOut!, frameBytes, framesInFlight, ct),
            "ffmpeg video", name, TimeSpan.FromMinutes(30), default).GetAwaiter().GetResult();
    }

    private static async Task<int> PumpAsync(Stream rawIn, Stream rawOut, int frameBytes, int framesInFlight, CancellationToken ct)
    {
        var queue = Channel.CreateBounded<(Task Work, byte[] Frame)>(new BoundedChannelOptions(framesInFlight)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (work, frame) in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    try
                    {
                        await work.ConfigureAwait(false);
                        await rawOut.WriteAsync(frame.AsMemory(0, frameBytes), ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame);
                    }
                }
                await rawOut.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, ct);
        int count = 0;
        try
        {
            while (!writer.IsCompleted)
            {
                byte[] frame = ArrayPool<byte>.Shared.Rent(frameBytes);
                int filled = 0;
                while (filled < frameBytes)
                {
                    int n = await rawIn.ReadAsync(frame.AsMemory(filled, frameBytes - filled), ct).ConfigureAwait(false);
                    if (n == 0) break;
                    filled += n;
                }
                if (filled < frameBytes)
                {
                    ArrayPool<byte>.Shared.Return(frame);
                    break;
                }
                count++;
                try
                {
                    await queue.Writer.WriteAsync((Task.Run(() => { }, ct), frame), ct).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    break;
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
