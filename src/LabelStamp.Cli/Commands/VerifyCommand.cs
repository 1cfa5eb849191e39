using System.CommandLine;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Verification;
using LabelStamp.Verification.Conformance;

namespace LabelStamp.Cli.Commands;

/// <summary>
/// `labelstamp verify FILE... [--json]`: every layer of every file. Exit 0 when every file carries an
/// AI label on some layer, 1 when at least one carries none, 2 when a file could not be read.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Files, directories or globs to verify", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON array of reports instead of text" };
        var wording = new Option<string[]>("--wording") { Description = "Extra label wording to look for (besides the common ones)", AllowMultipleArgumentsPerToken = true };
        var voiceClip = new Option<string?>("--voice-clip") { Description = "The provider voice clip used instead of the rhythm prompt (audio); reported where found" };
        var report = new Option<string?>("--report") { Description = "Also write a per-file conformance checklist (GB 45438 §5, Annex E, DigitalSourceType, EU Code of Practice) as one self-contained HTML file" };
        var reportJson = new Option<string?>("--report-json") { Description = "Also write the conformance checklist as JSON (docs/conformance-report.schema.json)" };
        var trustAnchors = new Option<string?>("--trust-anchors") { Description = "PEM bundle of trusted roots for C2PA signers and time-stamping authorities; the signer is reported trusted or untrusted (default $LABELSTAMP_TRUST_ANCHORS, else not checked)" };
        var registeredRead = new Option<string>("--video-registered-read")
        {
            Description = "When the frames' content-locked mark is read on a registered canvas: on-static-miss (default: a second decode only when the static mark is not found), always (during the one decode), never",
            DefaultValueFactory = _ => "on-static-miss",
        };
        registeredRead.AcceptOnlyFromAmong("on-static-miss", "always", "never");
        var keyFile = CommonOptions.KeyFile();
        var parallel = CommonOptions.Parallelism();
        var itemTimeout = CommonOptions.ItemTimeout();
        var followLinks = CommonOptions.FollowLinks();
        var command = new Command("verify", "Report each label layer of media files (explicit, AIGC metadata, watermark, C2PA). "
            + "Exit status: 0 = every file carries an AI label, 1 = some file carries none, 2 = a file could not be read or a usage error");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { json, report, reportJson, wording, voiceClip, trustAnchors, registeredRead, keyFile, parallel, itemTimeout, followLinks }) command.Options.Add(o);
        var readVerbosity = CommonOptions.AddVerbosity(command);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var verbosity = readVerbosity(parse);
                var resolved = MarkKeySource.Resolve(parse.GetValue(keyFile), createDevelopmentKey: false);
                var key = resolved?.Key;
                if (verbosity == Verbosity.Verbose)
                    System.Console.Error.WriteLine(resolved is { } k ? $"labelstamp: key {k.Key.KeyId} from {k.Source}" : "labelstamp: no watermark key; the watermark layer is not checked");
                var wordings = LabelWording.Known.Concat((parse.GetValue(wording) ?? []).Select(w => new LabelWording(w))).Distinct().ToList();
                var options = new VerifyOptions { Key = key, Wordings = wordings, Policy = new LabelPolicy { VoiceClip = parse.GetValue(voiceClip) },
                    Limits = CommonOptions.Limits(parse, itemTimeout), TrustAnchors = LabelStamp.Provenance.TrustAnchors.Resolve(parse.GetValue(trustAnchors)) };
                string? reportPath = parse.GetValue(report), reportJsonPath = parse.GetValue(reportJson);
                // Checked before any work: a report that cannot be written is a usage error, not a lost run.
                foreach (var path in new[] { reportPath, reportJsonPath })
                    if (path is not null && Directory.Exists(path))
                        throw new LabelStampException(ErrorCode.OutputConflict, $"{PrintableText.Escape(path)}: is a directory; name the report file to write");
                var inputs = InputFiles.Expand(parse.GetValue(files)!, parse.GetValue(followLinks), out int notMedia);
                var video = new LabelStamp.Media.Video.VideoLabelOptions
                {
                    RegisteredRead = parse.GetValue(registeredRead) switch
                    {
                        "always" => RegisteredReadMode.Always,
                        "never" => RegisteredReadMode.Never,
                        _ => RegisteredReadMode.OnStaticMiss,
                    },
                }.Validate();
                var (reports, times) = await VerifyAll(inputs, options, video, Math.Max(1, parse.GetValue(parallel)), ct).ConfigureAwait(false);
                if (reportPath is not null || reportJsonPath is not null)
                {
                    var conformance = reports.Select(ConformanceRules.Evaluate).ToList();
                    if (reportPath is not null) WriteReport(reportPath, ConformanceHtml.Render(conformance, DateTimeOffset.UtcNow));
                    if (reportJsonPath is not null) WriteReport(reportJsonPath, ConformanceJson.Serialize(conformance) + "\n");
                }
                bool asJson = parse.GetValue(json);
                // JSON is the data asked for, printed whole at every level; --quiet leaves out the text reports.
                if (asJson) System.Console.Out.WriteLine(VerifyReportJson.Serialize(reports));
                else for (int i = 0; i < reports.Length; i++) Print(reports[i], verbosity, times[i]);
                // The summary goes where it cannot break the JSON document.
                (asJson ? System.Console.Error : System.Console.Out).WriteLine(Summary(reports, notMedia));
                return reports.Any(r => r.ErrorCode is not null) ? 2 : reports.All(r => r.AiLabelFound) ? 0 : 1;
            }
            catch (LabelStampException e)
            {
                System.Console.Error.WriteLine(ErrorLine.Format(e.CodeText, e.Message));
                return 2;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                System.Console.Error.WriteLine("labelstamp verify: interrupted; no report printed");
                return 130;
            }
        });
        return command;
    }

    /// <returns>The reports in input order and each file's wall-clock time (read and verify).</returns>
    private static async Task<(VerifyReport[] Reports, TimeSpan[] Times)> VerifyAll(IReadOnlyList<InputFile> inputs, VerifyOptions options,
        LabelStamp.Media.Video.VideoLabelOptions video, int parallelism, CancellationToken ct)
    {
        var verifier = new MediaCatalog(video: video).CreateVerifier();
        var reports = new VerifyReport[inputs.Count];
        var times = new TimeSpan[inputs.Count];
        var progress = new ProgressLine(inputs.Count, "verifying");
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, token) =>
        {
            string path = inputs[i].Path;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                byte[] data = await InputFiles.ReadAsync(inputs[i], options.Limits.MaxBytes, token).ConfigureAwait(false);
                reports[i] = await verifier.VerifyAsync(data, path, options, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                var (code, message) = ErrorLine.Describe(e, path);
                reports[i] = VerifyReport.Failed(path, code, message);
            }
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            progress.Advance();
        }).ConfigureAwait(false);
        return (reports, times);
    }

    private static void WriteReport(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LabelStampException(ErrorCode.IoFailed, $"{PrintableText.Escape(path)}: cannot write the report: {PrintableText.Escape(e.Message.Split('\n')[0])}", e);
        }
    }

    private static string Summary(VerifyReport[] reports, int notMedia)
    {
        int failed = reports.Count(r => r.ErrorCode is not null);
        int labeled = reports.Count(r => r.ErrorCode is null && r.AiLabelFound);
        string skipped = notMedia > 0 ? $"; {notMedia} skipped (not media)" : "";
        return $"verified {reports.Length} files: {labeled} with an AI label, {reports.Length - failed - labeled} without; {failed} failed{skipped}";
    }

    private static void Print(VerifyReport r, Verbosity verbosity, TimeSpan time)
    {
        if (r.ErrorCode is not null)
        {
            System.Console.Error.WriteLine(ErrorLine.Format(r.ErrorCode, r.Error!));
            return;
        }
        if (verbosity == Verbosity.Quiet) return;
        System.Console.Out.WriteLine($"{PrintableText.Escape(r.File)} ({r.Format}): {(r.AiLabelFound ? "AI label found" : "no AI label found")}");
        Row("explicit", r.Explicit);
        Row("metadata", r.Metadata);
        Row("watermark", r.Watermark);
        Row("c2pa", r.Provenance);
        if (verbosity == Verbosity.Verbose)
            System.Console.Out.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {"time",-10} {time.TotalMilliseconds:0} ms"));
    }

    private static void Row(string layer, LayerFinding f) =>
        System.Console.Out.WriteLine($"  {layer,-10} {VerifyReportJson.StateName(f.State),-11} {f.Summary}");
}
