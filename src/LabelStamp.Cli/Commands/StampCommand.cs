using System.CommandLine;
using System.Globalization;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Cli.Commands;

/// <summary>`labelstamp stamp IN... [-o DIR]`: labels files locally, in parallel, with progress and a summary.</summary>
public static class StampCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Files, directories or globs to label", Arity = ArgumentArity.OneOrMore };
        var output = CommonOptions.OutputDirectory("Output directory; the input tree is mirrored under it, inputs are never overwritten", "labeled");
        var producer = CommonOptions.Producer("ContentProducer code for the AIGC record (TC260 coding, printable ASCII); default $LABELSTAMP_PRODUCER");
        var id = new Option<string?>("--id") { Description = "ProduceID (content ID) when one file is given; default: derived from the file's bytes (SHA-256)" };
        var wording = new Option<string>("--wording") { Description = "Visible label text (must hold an AI and a generation element)", DefaultValueFactory = _ => LabelWording.DefaultText };
        var layers = new Option<string>("--layers") { Description = "all, or a comma list of explicit, metadata, watermark, c2pa", DefaultValueFactory = _ => "all" };
        var corner = CommonOptions.Choice("--corner", "Corner for the visible label", [.. CommonOptions.Corners.Keys], "bottom-right");
        var font = new Option<string?>("--font") { Description = "Fontconfig pattern or font file for the label (default Noto Sans CJK SC Bold)" };
        var waiver = new Option<bool>("--explicit-waived") { Description = "A user agreement waives the visible label (CAC Labeling Measures Art. 9); required to drop the explicit layer" };
        var restamp = new Option<bool>("--restamp") { Description = "Label files that already carry an AIGC label (Label 1), replacing that record; without it they fail with LS211" };
        var c2paChain = new Option<string?>("--c2pa-chain") { Description = "PEM chain (signer first) for C2PA; default $LABELSTAMP_C2PA_CHAIN, else a development test chain in ~/.config/labelstamp/c2pa (created on first use, announced)" };
        var c2paKey = new Option<string?>("--c2pa-key") { Description = "PEM private key of the C2PA signer; default $LABELSTAMP_C2PA_KEY_FILE or $LABELSTAMP_C2PA_KEY" };
        var tsa = new Option<string?>("--tsa") { Description = "RFC 3161 time-stamping authority URL (http/https): each C2PA signature gets a time-stamp (sigTst2); default $LABELSTAMP_TSA_URL, else none" };
        var voiceClip = new Option<string?>("--voice-clip") { Description = "Audio: a provider voice clip (≤ 15 s, any format ffmpeg reads) placed instead of the rhythm prompt" };
        var promptAtEnd = new Option<bool>("--prompt-at-end") { Description = "Audio: also place the rhythm prompt or voice clip at the end" };
        var videoMark = new Option<string>("--video-mark")
        {
            Description = "Video: the frames' mark: auto (default: content-locked where it reads with margin, else static), static (the same "
                + "place in every frame), or content-locked (glued to the picture's global motion; far fewer bytes on pans). See docs/video.md",
            DefaultValueFactory = _ => "auto",
        };
        videoMark.AcceptOnlyFromAmong("auto", "static", "content-locked");
        var keyFile = CommonOptions.KeyFile();
        var parallel = CommonOptions.Parallelism();
        var itemTimeout = CommonOptions.ItemTimeout();
        var followLinks = CommonOptions.FollowLinks();
        var platform = new PlatformStampOptions();

        var command = new Command("stamp", "Label media files: visible label, GB 45438 metadata, watermark, C2PA");
        foreach (var o in new Option[] { output, producer, id, wording, layers, corner, font, waiver, restamp, voiceClip, promptAtEnd, videoMark, keyFile, c2paChain, c2paKey, tsa, parallel, itemTimeout, followLinks }) command.Options.Add(o);
        platform.AddTo(command);
        var readVerbosity = CommonOptions.AddVerbosity(command);
        command.Arguments.Add(inputs);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var policy = new LabelPolicy
                {
                    Wording = new LabelWording(parse.GetValue(wording)!),
                    Layers = LayersText.Parse(parse.GetValue(layers)!),
                    Corner = CommonOptions.Corners[parse.GetValue(corner)!],
                    ExplicitWaivedByAgreement = parse.GetValue(waiver),
                    Restamp = parse.GetValue(restamp),
                    VoiceClip = parse.GetValue(voiceClip),
                    AudioPromptAtEnd = parse.GetValue(promptAtEnd),
                };
                if (parse.GetValue(font) is { Length: > 0 } f) policy = policy with { Font = f };
                policy.Validate();
                var limits = CommonOptions.Limits(parse, itemTimeout);
                bool isPlatform = platform.IsPlatform(parse);
                string? fixedId = parse.GetValue(id);
                string producerCode = "";
                if (!isPlatform)
                {
                    producerCode = parse.GetValue(producer) ?? Environment.GetEnvironmentVariable("LABELSTAMP_PRODUCER") ?? "";
                    if (producerCode.Length == 0)
                        throw new LabelStampException(ErrorCode.MissingProducer, "no ContentProducer code: pass --producer CODE or set LABELSTAMP_PRODUCER");
                    // Checked once here: a bad code would otherwise fail every file of the batch the same way.
                    CheckAnnexValue(parse.GetValue(producer) is null ? "LABELSTAMP_PRODUCER" : "--producer", producerCode);
                }
                if (fixedId is not null) CheckAnnexValue("--id", fixedId);
                var files = InputFiles.Expand(parse.GetValue(inputs)!, parse.GetValue(followLinks), out int notMedia);
                if (fixedId is not null && files.Count != 1)
                    throw new LabelStampException(ErrorCode.InvalidArgument, $"--id names one item, but {files.Count} inputs were given");
                // The output directory before any work: an unwritable -o is one error, not one per file.
                using var outputDir = OutputDirectory.Prepare(parse.GetValue(output)!);
                var verbosity = readVerbosity(parse);
                var batch = new BatchSettings(files, notMedia, outputDir.Path, Math.Max(1, parse.GetValue(parallel)), limits, verbosity);
                var credentials = StampCredentials.Prepare(parse.GetValue(keyFile), policy, parse.GetValue(c2paChain), parse.GetValue(c2paKey), verbosity,
                    LabelStamp.Provenance.HttpTimestampAuthority.Resolve(parse.GetValue(tsa), "--tsa"));
                if (isPlatform)
                    return await platform.RunAsync(parse, policy, batch, fixedId, credentials, ct).ConfigureAwait(false);
                var video = new LabelStamp.Media.Video.VideoLabelOptions
                {
                    MarkVersion = parse.GetValue(videoMark) switch
                    {
                        "content-locked" => VideoMarkVersion.ContentLocked,
                        "static" => VideoMarkVersion.Static,
                        _ => VideoMarkVersion.Auto,
                    },
                }.Validate();
                return await new StampRun(credentials, policy, producerCode, fixedId, batch, video).ExecuteAsync(ct).ConfigureAwait(false);
            }
            catch (LabelStampException e)
            {
                System.Console.Error.WriteLine(ErrorLine.Format(e.CodeText, e.Message));
                return 2;
            }
        });
        return command;
    }

    /// <summary>A value that goes into an AIGC record field (GB 45438 Annex E character set, 1..256 characters).</summary>
    internal static void CheckAnnexValue(string source, string value)
    {
        if (value.Length is 0 or > 256 || !AigcLabel.IsAllowedValue(value))
            throw new LabelStampException(ErrorCode.InvalidAigcField,
                $"{source} '{value}': AIGC fields take 1 to 256 printable ASCII characters without space, '\"' or '\\' (GB 45438 Annex E)");
    }

    private sealed class StampRun(StampCredentials credentials, LabelPolicy policy, string producer, string? fixedId, BatchSettings settings,
        LabelStamp.Media.Video.VideoLabelOptions video)
    {
        private readonly Lock _gate = new();
        private Stamper? _stamper;

        /// <summary>Made for the first item that gets this far, so a run that labels nothing creates no key.</summary>
        private Stamper Stamper()
        {
            lock (_gate)
            {
                if (_stamper is null)
                {
                    var (key, provenance) = credentials.Get();
                    _stamper = new MediaCatalog(video: video).CreateStamper(key, settings.Limits, provenance);
                }
                return _stamper;
            }
        }

        public async Task<int> ExecuteAsync(CancellationToken ct)
        {
            var (files, outputDir) = (settings.Files, settings.OutputDir);
            var batch = settings.CreateBatch("stamping");
            long bytesIn = 0, bytesOut = 0;
            await batch.RunAsync(async (item, token) =>
            {
                string contentId = fixedId ?? FileBatch.ContentIdOf(item.Input);
                var result = await Stamper().StampAsync(item.Input, item.Path, new StampRequest(contentId, producer, policy), token).ConfigureAwait(false);
                credentials.AnnounceOnce();
                Interlocked.Add(ref bytesIn, item.Input.Length);
                Interlocked.Add(ref bytesOut, result.Output.Length);
                // A layer asked for but not carried is said, not listed (an image too small for the watermark).
                string notices = string.Concat(result.Notices.Select(n => $"; {n}"));
                return (result.Output, $"[{LayersText.Format(result.Applied)}] mark {result.MarkId} id {contentId}{notices}",
                    settings.Verbosity == Verbosity.Verbose ? result.Timings.ToString() : null);
            }, ct).ConfigureAwait(false);
            System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stamped {batch.Succeeded} of {files.Count} files ({bytesIn / 1e6:0.0} MB in, {bytesOut / 1e6:0.0} MB out) in {batch.Elapsed.TotalSeconds:0.00} s; {batch.Failed} failed{batch.SkippedNote}{batch.InterruptedNote}; output in {outputDir}"));
            return batch.ExitCode;
        }
    }
}
