using System.CommandLine;
using System.Globalization;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Platform;

namespace LabelStamp.Cli.Commands;

/// <summary>
/// The `stamp --mode platform` half of the stamp command (spec §8): the platform's flags and the batch
/// loop that runs the <see cref="Propagator"/> instead of the provider's <see cref="Stamper"/>.
/// </summary>
public sealed class PlatformStampOptions
{
    private readonly Option<string> _mode = CommonOptions.Choice("--mode", "provider: label as the generator; platform: read existing labels first and add the propagator's fields (spec §8)", ["provider", "platform"], "provider");
    private readonly Option<string?> _propagator = CommonOptions.Propagator("platform mode: our ContentPropagator code; default $LABELSTAMP_PROPAGATOR");
    private readonly Option<bool> _declaredAi = new("--declared-ai") { Description = "platform mode: the uploader declared the content AI-generated (Label \"2\" when no label is found)" };
    private readonly Option<string?> _possibly = new("--possibly-wording") { Description = $"platform mode: notice for Label \"2\" (default {PlatformOptions.DefaultPossiblyWording})" };
    private readonly Option<string?> _suspected = new("--suspected-wording") { Description = $"platform mode: notice for Label \"3\" (default {PlatformOptions.DefaultSuspectedWording})" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _mode, _propagator, _declaredAi, _possibly, _suspected }) command.Options.Add(o);
    }

    public bool IsPlatform(ParseResult parse) => string.Equals(parse.GetValue(_mode), "platform", StringComparison.OrdinalIgnoreCase);

    public async Task<int> RunAsync(ParseResult parse, LabelPolicy policy, BatchSettings settings, string? fixedId, StampCredentials credentials,
        CancellationToken ct)
    {
        var (files, outputDir) = (settings.Files, settings.OutputDir);
        var options = new PlatformOptions
        {
            Propagator = parse.GetValue(_propagator) ?? Environment.GetEnvironmentVariable("LABELSTAMP_PROPAGATOR") ?? "",
            Policy = policy,
            TrustAnchors = LabelStamp.Provenance.TrustAnchors.Resolve(null), // $LABELSTAMP_TRUST_ANCHORS
        };
        if (parse.GetValue(_possibly) is { } p) options = options with { PossiblyWording = new LabelWording(p) };
        if (parse.GetValue(_suspected) is { } s) options = options with { SuspectedWording = new LabelWording(s) };
        options.Validate();
        bool declared = parse.GetValue(_declaredAi);
        // The platform reads watermarks with its own key: the one its providers share with it, or its own.
        // Made for the first item that gets this far, so a run that propagates nothing creates no key.
        var gate = new Lock();
        Propagator? made = null;
        Propagator Propagator()
        {
            lock (gate)
            {
                if (made is null)
                {
                    var (key, provenance) = credentials.Get();
                    made = new MediaCatalog().CreatePropagator(key, options, settings.Limits, provenance);
                }
                return made;
            }
        }
        var batch = settings.CreateBatch("propagating");
        var counts = new int[4];
        await batch.RunAsync(async (item, token) =>
        {
            string propagateId = fixedId ?? FileBatch.ContentIdOf(item.Input);
            var outcome = await Propagator().PropagateAsync(item.Input, item.Path, new PlatformRequest(propagateId, declared), token).ConfigureAwait(false);
            credentials.AnnounceOnce($"platform mode, propagator {options.Propagator}, ");
            Interlocked.Increment(ref counts[(int)outcome.Result]);
            string label = outcome.Aigc is { } a ? " label " + a.Label : "";
            string notice = outcome.Notice is { } n ? " notice " + n : "";
            string waived = outcome.ExplicitWaived ? " explicit-waived" : "";
            return (outcome.Output, string.Create(CultureInfo.InvariantCulture,
                $"platform-result {PlatformText.Format(outcome.Result)} evidence {PlatformText.Format(outcome.Evidence)} [{LayersText.Format(outcome.Applied)}]{label}{notice}{waived} id {propagateId}"),
                settings.Verbosity == Verbosity.Verbose ? outcome.Timings.ToString() : null);
        }, ct).ConfigureAwait(false);
        System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"propagated {batch.Succeeded} of {files.Count} files (kept {counts[0]}, declared {counts[1]}, suspected {counts[2]}, none {counts[3]}); {batch.Failed} failed{batch.SkippedNote}{batch.InterruptedNote}; output in {outputDir}"));
        return batch.ExitCode;
    }
}
