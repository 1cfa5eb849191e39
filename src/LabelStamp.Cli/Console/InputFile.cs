using LabelStamp.Errors;

namespace LabelStamp.Cli.Console;

/// <summary>
/// One item of a batch: the path to read and the path relative to the input that named it (outputs
/// mirror the tree). An entry the expansion refused (a link it does not follow, a glob matching nothing)
/// keeps its place in the batch with the typed error, so it is reported on its own line and counted as
/// failed like any other item, and the exit status says that something was not done.
/// </summary>
public sealed record InputFile(string Path, string Relative, ErrorCode? Refused = null, string? Reason = null)
{
    public static InputFile Refuse(string path, string relative, ErrorCode code, string reason) => new(path, relative, code, reason);

    public void ThrowIfRefused()
    {
        if (Refused is { } code) throw new LabelStampException(code, Reason ?? $"{Path}: refused");
    }
}
