using System.CommandLine;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Cli.Commands;

/// <summary>Options shared by several commands, defined once so their names and help stay identical.</summary>
public static class CommonOptions
{
    public static Option<string?> KeyFile() => new("--key-file")
    {
        Description = "Watermark key file (64 hex digits, base64 or 32 raw bytes). Default: $LABELSTAMP_MARK_KEY, $LABELSTAMP_MARK_KEY_FILE, then ~/.config/labelstamp/mark.key",
    };

    public static Option<int> Parallelism() => new("--parallel", "-j")
    {
        Description = "Files processed at once (default: one per core)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

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

    /// <summary>Walks of input directories never follow links unless asked, and even then only to files
    /// inside the named tree: a link can loop (to "..") or lead out of what the user chose to process.</summary>
    public static Option<bool> FollowLinks() => new("--follow-links")
    {
        Description = "In input directories, also read symbolic links to files that resolve inside the directory named (links to directories or out of the tree are never followed)",
    };
}
