using System.Globalization;
using System.Text;

namespace LabelStamp.Errors;

/// <summary>
/// Makes text from outside (file names, bytes read from files, header values) safe to print on one
/// line: control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides
/// become visible escapes (<c>\n</c>, <c>\x1b</c>, <c>\u202e</c>), and a backslash is doubled, so an
/// error line can be neither split nor forged (a file named "a\nerror LS000: b" prints as one line)
/// and the escape is unambiguous.
/// </summary>
public static class PrintableText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = FirstUnsafe(text);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c)) { sb.Append(c); continue; }
            sb.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0100' => @"\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => @"\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }

    /// <summary>Index of the first character <see cref="Escape"/> would change, or -1.</summary>
    public static int FirstUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i])) return i;
        return -1;
    }

    private static bool IsUnsafe(char c) =>
        c < ' ' || c == '\\' || (c >= '\u007f' && c <= '\u009f')
        || c is '\u2028' or '\u2029' or '\u061c' or '\u200e' or '\u200f'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
}
