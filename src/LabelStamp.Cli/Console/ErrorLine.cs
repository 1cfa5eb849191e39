using LabelStamp.Errors;

namespace LabelStamp.Cli.Console;

/// <summary>The one-line error format of every command: "error LS106: file: what is wrong".</summary>
public static class ErrorLine
{
    public static (string Code, string Message) Describe(Exception e, string path) => e switch
    {
        LabelStampException ls => (ls.CodeText, ls.Message.StartsWith(path, StringComparison.Ordinal) || ls.Message.StartsWith(Path.GetFileName(path), StringComparison.Ordinal) ? ls.Message : $"{path}: {ls.Message}"),
        OperationCanceledException => (LabelStampException.Format(ErrorCode.Internal), $"{path}: cancelled"),
        _ => (LabelStampException.Format(ErrorCode.Internal), $"{path}: unexpected {e.GetType().Name}: {e.Message.Split('\n')[0]}"),
    };

    public static string Format(string code, string message) => $"error {code}: {message}";
}
