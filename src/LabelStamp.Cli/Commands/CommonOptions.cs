using System.CommandLine;

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

    /// <summary>Walks of input directories never follow links unless asked, and even then only to files
    /// inside the named tree: a link can loop (to "..") or lead out of what the user chose to process.</summary>
    public static Option<bool> FollowLinks() => new("--follow-links")
    {
        Description = "In input directories, also read symbolic links to files that resolve inside the directory named (links to directories or out of the tree are never followed)",
    };
}
