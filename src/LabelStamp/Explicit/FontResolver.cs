using System.Collections.Concurrent;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Errors;

namespace LabelStamp.Explicit;

/// <summary>
/// Turns a font setting (a fontconfig pattern such as "Noto Sans CJK SC:style=Bold", or a font file
/// path) into a concrete file through fontconfig's own matcher, so we render with exactly the font
/// whose glyph coverage we checked. A pattern that fontconfig can only satisfy with a different
/// family is refused rather than silently substituted.
/// </summary>
public sealed class FontResolver
{
    private readonly ConcurrentDictionary<string, ResolvedFont> _cache = new(StringComparer.Ordinal);

    public ResolvedFont Resolve(string spec) => _cache.GetOrAdd(spec, ResolveUncached);

    private static ResolvedFont ResolveUncached(string spec)
    {
        bool isFile = spec.Contains('/') && File.Exists(spec);
        // fc-query describes a given file; fc-match finds the best file for a pattern. Same output format.
        string output = Run(isFile ? "fc-query" : "fc-match", ["-f", "%{file}\n%{index}\n%{family[0]}\n%{style[0]}\n", spec], spec);
        string[] lines = output.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0 || !File.Exists(lines[0]))
            throw new LabelStampException(ErrorCode.FontNotFound, $"font '{spec}' not found by fontconfig; install fonts-noto-cjk or name a font file");
        var font = new ResolvedFont(lines[0], int.TryParse(lines[1], out int i) ? i : 0, lines[2], lines[3]);
        if (!isFile)
        {
            string wantedFamily = spec.Split(':')[0].Trim();
            if (wantedFamily.Length > 0 && !font.Family.Equals(wantedFamily, StringComparison.OrdinalIgnoreCase))
                throw new LabelStampException(ErrorCode.FontNotFound,
                    $"font family '{wantedFamily}' is not installed (fontconfig offers '{font.Family}' instead); install fonts-noto-cjk or choose an installed font");
        }
        return font;
    }

    /// <summary>One fontconfig call through the same process scope as ffmpeg: its output is read while it
    /// runs, so the timeout can fire (a blocking read to the end could not), and it is reaped on every path.
    /// Font resolution is synchronous (label layout asks for it), hence the blocking wait.</summary>
    private static string Run(string tool, string[] args, string spec) =>
        ToolProcess.RunToEndAsync(tool, args, FontToolTimeout, tool, $"font '{spec}'", CancellationToken.None).GetAwaiter().GetResult();

    private static readonly TimeSpan FontToolTimeout = TimeSpan.FromSeconds(10);
}
