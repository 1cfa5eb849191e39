using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Platform;
using LabelStamp.Provenance;

namespace LabelStamp.Cli.Commands;

/// <summary>
/// The `stamp --mode platform` half of the stamp command (spec §8): the platform's flags and the batch
/// loop that runs the <see cref="Propagator"/> instead of the provider's <see cref="Stamper"/>.
/// </summary>
public sealed class PlatformStampOptions
{
    private readonly Option<string> _mode = new("--mode") { Description = "provider (label as the generator, default) or platform (read existing labels first, spec §8)", DefaultValueFactory = _ => "provider" };
    private readonly Option<string?> _propagator = new("--propagator") { Description = "platform mode: our ContentPropagator code; default $LABELSTAMP_PROPAGATOR" };
    private readonly Option<bool> _declaredAi = new("--declared-ai") { Description = "platform mode: the uploader declared the content AI-generated (Label \"2\" when no label is found)" };
    private readonly Option<string?> _possibly = new("--possibly-wording") { Description = $"platform mode: notice for Label \"2\" (default {PlatformOptions.DefaultPossiblyWording})" };
    private readonly Option<string?> _suspected = new("--suspected-wording") { Description = $"platform mode: notice for Label \"3\" (default {PlatformOptions.DefaultSuspectedWording})" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _mode, _propagator, _declaredAi, _possibly, _suspected }) command.Options.Add(o);
    }

    public bool IsPlatform(ParseResult parse) => parse.GetValue(_mode) switch
    {
        "provider" => false,
        "platform" => true,
        var other => throw new LabelStampException(ErrorCode.InvalidArgument, $"--mode '{other}' must be provider or platform"),
    };

    public async Task<int> RunAsync(ParseResult parse, LabelPolicy policy, string[] inputs, string outputDir, string? fixedId, string? keyFile,
        string? c2paChain, string? c2paKey, int parallelism, CancellationToken ct)
    {
        var options = new PlatformOptions
        {
            Propagator = parse.GetValue(_propagator) ?? Environment.GetEnvironmentVariable("LABELSTAMP_PROPAGATOR") ?? "",
            Policy = policy,
        };
        if (parse.GetValue(_possibly) is { } p) options = options with { PossiblyWording = new LabelWording(p) };
        if (parse.GetValue(_suspected) is { } s) options = options with { SuspectedWording = new LabelWording(s) };
        options.Validate();
        bool declared = parse.GetValue(_declaredAi);
        // The platform reads watermarks with its own key: the one its providers share with it, or its own.
        var key = MarkKeySource.Require(keyFile, createDevelopmentKey: true, out string keySource);
        var files = InputFiles.Expand(inputs);
        if (fixedId is not null && files.Count != 1)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"--id names one item, but {files.Count} inputs were given");
        System.Console.Error.WriteLine($"labelstamp: platform mode, propagator {options.Propagator}, key {key.KeyId} from {keySource}");
        IProvenanceWriter? provenance = null;
        if ((policy.Layers & Layers.Provenance) != 0)
        {
            var (credentials, credentialSource) = SigningCredentialSource.Resolve(c2paChain, c2paKey);
            System.Console.Error.WriteLine($"labelstamp: C2PA signer {credentials} from {credentialSource}");
            provenance = new C2paProvenanceWriter(new C2paOptions(credentials));
        }
        var propagator = new MediaCatalog().CreatePropagator(key, options, provenance: provenance);

        var progress = new ProgressLine(files.Count, "propagating");
        var targets = new HashSet<string>(StringComparer.Ordinal);
        int ok = 0, failed = 0;
        var counts = new int[4];
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (file, token) =>
        {
            try
            {
                string target = Path.Combine(outputDir, file.Relative);
                lock (targets)
                    if (!targets.Add(Path.GetFullPath(target)))
                        throw new LabelStampException(ErrorCode.OutputConflict, $"{file.Path}: another input already writes {target}");
                if (Path.GetFullPath(target) == Path.GetFullPath(file.Path))
                    throw new LabelStampException(ErrorCode.OutputConflict, $"{file.Path}: output would overwrite the input; choose another -o directory");
                byte[] input = InputFiles.Read(file.Path, propagator.Limits.MaxBytes);
                var format = MediaSniffer.Sniff(input, file.Path);
                MediaSniffer.CheckExtension(format, file.Path);
                string propagateId = fixedId ?? "sha256-" + Convert.ToHexStringLower(SHA256.HashData(input))[..32];
                var outcome = await propagator.PropagateAsync(input, file.Path, new PlatformRequest(propagateId, declared), token).ConfigureAwait(false);
                InputFiles.WriteAtomically(target, outcome.Output);
                Interlocked.Increment(ref ok);
                Interlocked.Increment(ref counts[(int)outcome.Result]);
                string label = outcome.Aigc is { } a ? " label " + a.Label : "";
                string notice = outcome.Notice is { } n ? " notice " + n : "";
                string waived = outcome.ExplicitWaived ? " explicit-waived" : "";
                progress.WriteLine(System.Console.Out, string.Create(CultureInfo.InvariantCulture,
                    $"ok {file.Path} -> {target} platform-result {PlatformText.Format(outcome.Result)} evidence {PlatformText.Format(outcome.Evidence)} [{LayersText.Format(outcome.Applied)}]{label}{notice}{waived} id {propagateId} ({outcome.Timings.TotalMs:0} ms)"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                var (code, message) = ErrorLine.Describe(e, file.Path);
                progress.WriteLine(System.Console.Error, ErrorLine.Format(code, message));
            }
            finally
            {
                progress.Advance();
            }
        }).ConfigureAwait(false);
        System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"propagated {ok} of {files.Count} files (kept {counts[0]}, declared {counts[1]}, suspected {counts[2]}, none {counts[3]}); {failed} failed; output in {outputDir}"));
        return failed == 0 && files.Count > 0 ? 0 : 2;
    }
}
