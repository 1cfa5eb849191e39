using LabelStamp.Errors;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// decode → process → encode through two ffmpeg processes and our pump between them (audio samples or
/// video frames). Owns both processes for the whole run (killed on every path) and, when the run fails,
/// reports the process that failed: a broken pipe usually means the encoder refused what it was given
/// (FLAC in MP4, a muxer that cannot hold the codec), and killing the decoder to stop the run must not
/// turn that into the decoder's "exit 137". Two processes rather than one because a single ffmpeg with
/// both pipes (decoded samples out on one, processed samples in on the other) livelocks in Debian's
/// ffmpeg 5.1: its scheduler keeps choosing the output that waits for our pipe, so the decode output
/// that would feed us is never served (docs/architecture.md).
/// </summary>
public sealed class TranscodePipeline(ToolRunner tools)
{
    /// <summary>How long a failed run waits for the other side to exit and say why.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    /// <summary>Where the encoder runs (its relative input names resolve there), or the current directory.</summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>Grow both pipes to <see cref="PipeCapacity.Bytes"/> (video frames are megabytes each).</summary>
    public bool LargePipes { get; init; }

    /// <summary>The pump blocks in its reads and writes (on a thread of its own) instead of awaiting
    /// them: a timeout or cancellation then kills both processes, which ends whatever call the pump is
    /// blocked in (end of file on the decoder's pipe, a broken pipe to the encoder), and the run reports
    /// the timeout or the cancellation, not the I/O error the kill caused.</summary>
    public bool BlockingPump { get; init; }

    /// <summary>
    /// Starts the decoder (<paramref name="decode"/>, output on standard output) and, when given, the
    /// encoder (<paramref name="encode"/>, input on standard input), runs <paramref name="pump"/> from one to
    /// the other (it must close the encoder's input at the end), then waits for both. <paramref name="what"/>
    /// names the pair in messages ("ffmpeg audio" → "ffmpeg audio decode", "ffmpeg audio encode").
    /// </summary>
    public async Task<T> RunAsync<T>(FfmpegCommand decode, FfmpegCommand? encode, Func<Stream, Stream?, CancellationToken, Task<T>> pump,
        string what, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var decoder = tools.StartFfmpeg(decode, what + " decode", name);
        decoder.CloseInput();
        if (LargePipes) PipeCapacity.TryGrow(decoder.Output);
        return await RunCoreAsync(decoder, decoder.Output, encode, pump, what, name, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same run with an in-process source instead of a decoder process (a stream whose
    /// errors are typed already, e.g. <see cref="Audio.DecodedPcmStream"/>).</summary>
    public Task<T> RunAsync<T>(Stream source, FfmpegCommand encode, Func<Stream, Stream?, CancellationToken, Task<T>> pump,
        string what, string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunCoreAsync(null, source, encode, pump, what, name, timeout, cancellationToken);

    private async Task<T> RunCoreAsync<T>(ToolProcess? decoder, Stream source, FfmpegCommand? encode, Func<Stream, Stream?, CancellationToken, Task<T>> pump,
        string what, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var encoder = encode is null ? null : tools.StartFfmpeg(encode, what + " encode", name, EncoderDirectory);
        if (LargePipes && encoder is not null) PipeCapacity.TryGrow(encoder.Input);
        T result;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(timeout);
            using var stop = BlockingPump ? cts.Token.Register(() =>
            {
                decoder?.Kill();
                encoder?.Kill();
            }) : default;
            try
            {
                result = await pump(source, encoder?.Input, cts.Token).ConfigureAwait(false);
                if (BlockingPump) cts.Token.ThrowIfCancellationRequested();
            }
            catch (Exception e) when (BlockingPump && cts.IsCancellationRequested && e is IOException or OperationCanceledException)
            {
                // A kill of ours ended the pump (or it stopped at the token): what it saw is the kill's doing.
                cancellationToken.ThrowIfCancellationRequested();
                throw new LabelStampException(ErrorCode.ToolTimeout, $"{name}: {what} decode/encode did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LabelStampException(ErrorCode.ToolTimeout, $"{name}: {what} decode/encode did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
            }
            catch (IOException e)
            {
                // No process of ours behind the sink (the video encoder's audio socket): its owner reports why.
                if (await BrokenPipeAsync(decoder, encoder, what, name, e).ConfigureAwait(false) is not { } failure) throw;
                throw failure;
            }
        }
        if (decoder is not null) await decoder.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        if (encoder is not null) await encoder.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>One side closed its pipe: the encoder (our writes failed) or the decoder (a read failed).
    /// The encoder is asked first, without stopping the decoder, which may still be running happily. Null
    /// when neither failed and the sink is not an encoder of ours: the pipe's own error then stands.</summary>
    private static async Task<LabelStampException?> BrokenPipeAsync(ToolProcess? decoder, ToolProcess? encoder, string what, string name, IOException e)
    {
        if (encoder is not null && await encoder.ExitCodeWithinAsync(ExitWait).ConfigureAwait(false) is int ec && ec != 0)
            return await encoder.FailureAsync().ConfigureAwait(false);
        if (decoder is not null && await decoder.ExitCodeWithinAsync(ExitWait).ConfigureAwait(false) is int dc && dc != 0)
            return await decoder.FailureAsync().ConfigureAwait(false);
        return encoder is null ? null : new LabelStampException(ErrorCode.ToolFailed, $"{name}: {what} pipe broke: {e.Message}", e);
    }
}
