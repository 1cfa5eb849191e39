using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Audio;

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

    /// <summary>The input arguments of an audio workspace copy: file protocol only (ffmpeg scopes
    /// -protocol_whitelist to the next input, so it travels with the input), forced demuxer, no data references.</summary>
    public static IReadOnlyList<string> InputArguments(MediaFormat format, string path)
    {
        var a = new List<string> { "-protocol_whitelist", "file", "-f", AudioCodecs.Demuxer(format) };
        if (format == MediaFormat.Mp4) a.AddRange(["-enable_drefs", "0"]);
        a.AddRange(["-i", "file:" + path]);
        return a;
    }

    public async Task RunAsync(AudioWorkspace workspace, MediaFormat format, AudioStreamInfo info, ChunkProcessor processor,
        IReadOnlyList<string>? encoderArguments, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var decodeArgs = DecodeArguments(InputArguments(format, workspace.InputPath), info.SampleRate, info.Channels);

        using var decoder = tools.Start(tools.FfmpegPath, decodeArgs, name);
        decoder.StandardInput.Close();
        var decodeErrors = ToolRunner.CollectErrorsAsync(decoder);
        Process? encoder = null;
        Task<string>? encodeErrors = null;
        try
        {
            if (encoderArguments is not null)
            {
                encoder = tools.Start(tools.FfmpegPath, encoderArguments, name);
                encodeErrors = ToolRunner.CollectErrorsAsync(encoder);
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await PumpAsync(decoder.StandardOutput.BaseStream, encoder?.StandardInput.BaseStream, info.Channels, processor, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ToolRunner.Kill(decoder);
                if (encoder is not null) ToolRunner.Kill(encoder);
                throw new LabelStampException(ErrorCode.ToolTimeout, $"{name}: ffmpeg decode/encode did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
            }
            catch (IOException e)
            {
                // A broken pipe means one side died; its exit code and message say why (below).
                ToolRunner.Kill(decoder);
                if (encoder is not null && !encoder.HasExited) { await Task.Delay(200, CancellationToken.None).ConfigureAwait(false); }
                await ToolRunner.WaitAsync(decoder, decodeErrors, timeout, "ffmpeg decode", name, cancellationToken).ConfigureAwait(false);
                throw new LabelStampException(ErrorCode.ToolFailed, $"{name}: ffmpeg pipe broke: {e.Message}", e);
            }
            await ToolRunner.WaitAsync(decoder, decodeErrors, timeout, "ffmpeg decode", name, cancellationToken).ConfigureAwait(false);
            if (encoder is not null)
                await ToolRunner.WaitAsync(encoder, encodeErrors!, timeout, "ffmpeg encode", name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ToolRunner.Kill(decoder);
            if (encoder is not null) { ToolRunner.Kill(encoder); encoder.Dispose(); }
        }
    }

    /// <summary>ffmpeg arguments that decode the first audio stream of <paramref name="input"/> (forced
    /// demuxer and file arguments) to interleaved f32le on standard output, at its own rate and channels.</summary>
    public static IReadOnlyList<string> DecodeArguments(IReadOnlyList<string> input, int sampleRate, int channels)
    {
        var a = new List<string> { "-nostdin", "-hide_banner", "-v", "error" };
        a.AddRange(input);
        a.AddRange(["-map", "0:a:0", "-vn", "-sn", "-dn", "-f", "f32le", "-c:a", "pcm_f32le",
            "-ar", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-ac", channels.ToString(System.Globalization.CultureInfo.InvariantCulture), "pipe:1"]);
        return a;
    }

    /// <summary>
    /// Decodes with <paramref name="decodeArguments"/> (see <see cref="DecodeArguments"/>), runs the
    /// processor over the same chunks as <see cref="RunAsync"/> (so the audio mark sees identical
    /// chunk boundaries) and writes them to <paramref name="sink"/>, which is disposed at the end so its
    /// reader sees end of stream. Used when the encoder is not ours to start (the video encoder reads
    /// the samples as its second input).
    /// </summary>
    public async Task FeedAsync(IReadOnlyList<string> decodeArguments, int channels, ChunkProcessor processor, Stream sink,
        string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var decoder = tools.Start(tools.FfmpegPath, decodeArguments, name);
        decoder.StandardInput.Close();
        var decodeErrors = ToolRunner.CollectErrorsAsync(decoder);
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await PumpAsync(decoder.StandardOutput.BaseStream, sink, channels, processor, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LabelStampException(ErrorCode.ToolTimeout, $"{name}: ffmpeg audio decode did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
            }
            await ToolRunner.WaitAsync(decoder, decodeErrors, timeout, "ffmpeg audio decode", name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ToolRunner.Kill(decoder);
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
