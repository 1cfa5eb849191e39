using System.CommandLine;
using LabelStamp.Cli.Console;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;

namespace LabelStamp.Cli.Commands;

/// <summary>
/// Options shared by several commands, defined once so their names and help stay identical: every command that
/// takes the thing spells it the same way (<c>-j/--parallel</c>, <c>-o/--output</c>, <c>--key-file</c>, <c>--store</c>,
/// <c>--producer</c>, <c>--propagator</c>). Names a command used before are kept as extra aliases so scripts keep working.
/// </summary>
public static class CommonOptions
{
    public const string KeyFileDescription = "Watermark key file (64 hex digits, base64 or 32 raw bytes). Default: $LABELSTAMP_MARK_KEY, $LABELSTAMP_MARK_KEY_FILE, then ~/.config/labelstamp/mark.key (stamp creates it on first use and says so)";

    public static Option<string?> KeyFile(string description = KeyFileDescription) => new("--key-file") { Description = description };

    /// <summary>How much runs at once, for the commands that count files (stamp, verify): the number of cores by default.</summary>
    public static Option<int> Parallelism() => new("--parallel", "-j")
    {
        Description = "Files processed at once (default: the number of cores)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>The same spelling where configuration may also give the value (run, serve): null leaves it to
    /// appsettings.json or LABELSTAMP__….</summary>
    public static Option<int?> OptionalParallelism(string description, params string[] formerNames) =>
        new("--parallel", ["-j", .. formerNames]) { Description = description };

    /// <summary>The directory a command writes its files under.</summary>
    public static Option<string> OutputDirectory(string description, string defaultValue, params string[] formerNames) =>
        new("--output", ["-o", .. formerNames]) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>The claim-check store (file:///dir) of the worker and the origin.</summary>
    public static Option<string?> Store(string description) => new("--store") { Description = description };

    public static Option<string?> Producer(string description) => new("--producer") { Description = description };

    public static Option<string?> Propagator(string description) => new("--propagator") { Description = description };

    public static Option<double?> ItemTimeout() => new("--item-timeout")
    {
        Description = "Seconds one file may take before its work (and its ffmpeg processes) is stopped with LS112. "
            + "Default: 60 s plus 1 s per MiB, raised by the probed frames or duration, at most 30 min",
    };

    /// <summary>The media limits with the <c>--item-timeout</c> deadline applied (floor = cap = the value) when given.</summary>
    public static MediaLimits Limits(ParseResult parse, Option<double?> itemTimeout)
    {
        var limits = new MediaLimits();
        if (parse.GetValue(itemTimeout) is not { } seconds) return limits;
        if (!(seconds > 0 && seconds <= 86_400))
            throw new LabelStampException(ErrorCode.InvalidArgument, $"--item-timeout {seconds}: give seconds between 0 and 86400");
        var deadline = TimeSpan.FromSeconds(seconds);
        return (limits with { DeadlineFloor = deadline, DeadlineCap = deadline }).Validate();
    }

    /// <summary>
    /// An option that takes one of a few words. The parser's enum handling prints the CLR type name and
    /// a multi-line list; this one says, in one line, which option got what and what it accepts.
    /// </summary>
    public static Option<string> Choice(string name, string description, string[] allowed, string defaultValue)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', allowed),
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            string given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : defaultValue;
            if (!allowed.Contains(given, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{name} '{given}': use one of {string.Join(", ", allowed)}");
        });
        return option;
    }

    /// <summary>Like <see cref="Choice"/> for a setting that configuration may also give: no default here
    /// (null = appsettings.json or LABELSTAMP__…), but a value given on the command line is checked.</summary>
    public static Option<string?> OptionalChoice(string name, string description, string[] allowed)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', allowed) };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !allowed.Contains(result.Tokens[^1].Value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{name} '{result.Tokens[^1].Value}': use one of {string.Join(", ", allowed)}");
        });
        return option;
    }

    /// <summary>The corners of the visible label as typed on the command line.</summary>
    public static readonly IReadOnlyDictionary<string, LabelCorner> Corners = new Dictionary<string, LabelCorner>(StringComparer.OrdinalIgnoreCase)
    {
        ["bottom-right"] = LabelCorner.BottomRight,
        ["bottom-left"] = LabelCorner.BottomLeft,
        ["top-right"] = LabelCorner.TopRight,
        ["top-left"] = LabelCorner.TopLeft,
    };

    /// <summary>--quiet and --verbose of `stamp` and `verify`, added to <paramref name="command"/>; the
    /// returned function reads the level (both flags at once are a usage error).</summary>
    public static Func<ParseResult, Verbosity> AddVerbosity(Command command)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only errors and the summary" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print the key and signer used and each file's stage timings" };
        command.Options.Add(quiet);
        command.Options.Add(verbose);
        command.Validators.Add(result =>
        {
            if (result.GetValue(quiet) && result.GetValue(verbose)) result.AddError("--quiet and --verbose: choose one");
        });
        return parse => parse.GetValue(quiet) ? Verbosity.Quiet : parse.GetValue(verbose) ? Verbosity.Verbose : Verbosity.Normal;
    }

    /// <summary>Walks of input directories never follow links unless asked, and even then only to files
    /// inside the named tree: a link can loop (to "..") or lead out of what the user chose to process.</summary>
    public static Option<bool> FollowLinks() => new("--follow-links")
    {
        Description = "In input directories, also read symbolic links to files that resolve inside the directory named (links to directories or out of the tree are never followed)",
    };
}
