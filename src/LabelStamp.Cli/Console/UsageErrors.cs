using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using LabelStamp.Errors;

namespace LabelStamp.Cli.Console;

/// <summary>
/// Command-line parse errors as the rest of the CLI reports errors: one line each, "error LS903: …",
/// then where to read the usage, and exit status 2 (spec §9: 2 = error or usage error; the parser's
/// own handler exits 1, which `verify` uses for "no label found").
/// </summary>
public static partial class UsageErrors
{
    public const int ExitCode = 2;

    /// <summary>True when the parse failed (and help was not asked for, which wins).</summary>
    public static bool Any(ParseResult parsed) => parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction;

    public static int Report(ParseResult parsed, TextWriter error)
    {
        string code = LabelStampException.Format(ErrorCode.InvalidArgument);
        foreach (var e in parsed.Errors)
            error.WriteLine(ErrorLine.Format(code, PrintableText.Escape(Plain(e.Message, OptionName(e.SymbolResult)))));
        error.WriteLine($"usage: {CommandPath(parsed.CommandResult.Command)} --help");
        return ExitCode;
    }

    /// <summary>The parser's type-conversion message names the CLR type ("System.Int32"); say what a user types. Its message for
    /// a word outside an option's list puts each word on a tab-indented line; say it on one line with the option's name.</summary>
    internal static string Plain(string message, string? option = null)
    {
        var words = NotOneOf().Match(message);
        if (words.Success)
        {
            string list = string.Join(", ", words.Groups["list"].Value.Split((char[])['\t', '\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w.Trim('\'')));
            return option is null ? $"'{words.Groups["value"].Value}': use one of {list}" : $"{option} '{words.Groups["value"].Value}': use one of {list}";
        }
        var m = ConversionFailure().Match(message);
        if (!m.Success) return message.ReplaceLineEndings(" ").Trim();
        string expected = m.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
            "System.Double" or "System.Nullable`1[System.Double]" => "a number",
            "System.Boolean" => "true or false",
            _ => "another value",
        };
        return $"{m.Groups["option"].Value} '{m.Groups["value"].Value}': expected {expected}";
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault()) names.Insert(0, s.Name);
        return string.Join(' ', names);
    }

    /// <summary>The option an error is about (its own result, or the option that holds the argument), if any.</summary>
    private static string? OptionName(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        _ => null,
    };

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<list>[\s\S]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NotOneOf();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
