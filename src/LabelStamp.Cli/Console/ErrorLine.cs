using LabelStamp.Errors;

namespace LabelStamp.Cli.Console;

/// <summary>The one-line error format of every command: "error LS106: file: what is wrong".</summary>
public static class ErrorLine
{
    /// <summary>The code and one-line message for a failed file; the path and any foreign text are
    /// escaped (<see cref="PrintableText"/>), as a <see cref="LabelStampException"/>'s message already is.</summary>
    public static (string Code, string Message) Describe(Exception e, string path)
    {
        string shown = PrintableText.Escape(path);
        return e switch
        {
            LabelStampException ls => (ls.CodeText, ls.Message.StartsWith(shown, StringComparison.Ordinal) || ls.Message.StartsWith(PrintableText.Escape(Path.GetFileName(path)), StringComparison.Ordinal) ? ls.Message : $"{shown}: {ls.Message}"),
            OperationCanceledException => (LabelStampException.Format(ErrorCode.Internal), $"{shown}: cancelled"),
            _ => (LabelStampException.Format(ErrorCode.Internal), $"{shown}: unexpected {e.GetType().Name}: {PrintableText.Escape(e.Message.Split('\n')[0])}"),
        };
    }

    public static string Format(string code, string message) => $"error {code}: {message}";
}
