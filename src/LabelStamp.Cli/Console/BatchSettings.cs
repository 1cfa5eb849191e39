using LabelStamp.Pipeline;

namespace LabelStamp.Cli.Console;

/// <summary>What a `stamp` batch was given, checked before any work: the expanded inputs (and how many
/// non-media files the walk passed over), the prepared output directory, parallelism and limits.</summary>
public sealed record BatchSettings(IReadOnlyList<InputFile> Files, int SkippedNotMedia, string OutputDir, int Parallelism, MediaLimits Limits, Verbosity Verbosity)
{
    public FileBatch CreateBatch(string verb) => new(Files, OutputDir, Parallelism, Limits.MaxBytes, verb, SkippedNotMedia, Verbosity);
}
