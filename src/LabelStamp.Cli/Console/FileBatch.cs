using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Cli.Console;

/// <summary>
/// The batch loop behind `stamp` (provider and platform mode alike): each input is checked against the
/// other targets and itself, read within the size limit (regular files only), sniffed (its extension must agree), handed to
/// the labeling step, and its output written atomically under the mirrored path. One line per file
/// (`ok IN -> OUT …` or an error line with its code); a failure never stops the batch.
/// </summary>
public sealed class FileBatch(IReadOnlyList<InputFile> files, string outputDir, int parallelism, long maxBytes, string verb, int skippedNotMedia = 0,
    Verbosity verbosity = Verbosity.Normal)
{
    private int _ok, _failed;

    /// <summary>One input, read and sniffed, and where its output goes.</summary>
    public sealed record Item(string Path, string Target, byte[] Input);

    public int Succeeded => _ok;
    public int Failed => _failed;
    public TimeSpan Elapsed { get; private set; }

    /// <summary>True when a signal stopped the batch: files not yet done were not started or were stopped.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>"; interrupted, N not done" for the summary line, or nothing.</summary>
    public string InterruptedNote => Interrupted ? $"; interrupted, {files.Count - _ok - _failed} not done" : "";

    /// <summary>"; N skipped (not media)" for the summary line, or nothing.</summary>
    public string SkippedNote => skippedNotMedia > 0 ? $"; {skippedNotMedia} skipped (not media)" : "";

    /// <param name="label">Makes the output of one item, the rest of its `ok` line (after the target; the
    /// batch adds the item's wall-clock time) and, for --verbose, its stage timings (else null).</param>
    public async Task RunAsync(Func<Item, CancellationToken, Task<(byte[] Output, string Detail, string? Stages)>> label, CancellationToken ct)
    {
        var progress = new ProgressLine(files.Count, verb);
        try
        {
            await RunItemsAsync(label, progress, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Interrupted = true; // in-flight items unwound through their own scopes: no child, no temp file left
        }
        Elapsed = progress.Elapsed;
    }

    private async Task RunItemsAsync(Func<Item, CancellationToken, Task<(byte[] Output, string Detail, string? Stages)>> label, ProgressLine progress, CancellationToken ct)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (file, token) =>
        {
            try
            {
                file.ThrowIfRefused(); // before it claims an output path another input may need
                string target = Path.Combine(outputDir, file.Relative);
                lock (targets)
                    if (!targets.Add(Path.GetFullPath(target)))
                        throw new LabelStampException(ErrorCode.OutputConflict, $"{file.Path}: another input already writes {target}");
                if (Path.GetFullPath(target) == Path.GetFullPath(file.Path))
                    throw new LabelStampException(ErrorCode.OutputConflict, $"{file.Path}: output would overwrite the input; choose another -o directory");
                long start = Stopwatch.GetTimestamp();
                byte[] input = await InputFiles.ReadAsync(file, maxBytes, token).ConfigureAwait(false);
                MediaSniffer.CheckExtension(MediaSniffer.Sniff(input, file.Path), file.Path);
                var (output, detail, stages) = await label(new Item(file.Path, target, input), token).ConfigureAwait(false);
                InputFiles.WriteAtomically(target, output);
                // The item's wall-clock time (read to written): stage timings overlap (video decodes,
                // encodes and labels audio at once), so their sum is not how long the file took.
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Interlocked.Increment(ref _ok);
                if (verbosity != Verbosity.Quiet)
                    progress.WriteLine(System.Console.Out, string.Create(CultureInfo.InvariantCulture,
                        $"ok {PrintableText.Escape(file.Path)} -> {PrintableText.Escape(target)} {detail} ({ms:0} ms){(stages is null ? "" : " stages " + stages)}"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                var (code, message) = ErrorLine.Describe(e, file.Path);
                progress.WriteLine(System.Console.Error, ErrorLine.Format(code, message));
            }
            finally
            {
                progress.Advance();
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Exit code of the batch: 0 only when every file (at least one) succeeded; 130 when interrupted
    /// (the process exit status then follows the signal).</summary>
    public int ExitCode => Interrupted ? 130 : _failed == 0 && files.Count > 0 ? 0 : 2;

    /// <summary>A stable ID from the bytes, so labeling the same file again gives the same mark and record.</summary>
    public static string ContentIdOf(byte[] input) => "sha256-" + Convert.ToHexStringLower(SHA256.HashData(input))[..32];
}
