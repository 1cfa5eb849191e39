using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Cli.Console;

/// <summary>
/// Expands command-line inputs: plain files, directories (recursively, media extensions only) and
/// globs in the last path segment ("shots/*.png", for shells that pass them through unexpanded).
/// Each file keeps the path relative to the input that named it, so outputs mirror the input tree.
/// </summary>
public static class InputFiles
{
    public static IReadOnlyList<(string Path, string Relative)> Expand(IEnumerable<string> inputs)
    {
        var files = new List<(string, string)>();
        foreach (string input in inputs)
        {
            if (File.Exists(input)) { files.Add((input, Path.GetFileName(input))); continue; }
            if (Directory.Exists(input))
            {
                foreach (string f in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    if (IsMediaName(f)) files.Add((f, Path.GetRelativePath(input, f)));
                continue;
            }
            string pattern = Path.GetFileName(input);
            if (pattern.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                string dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                if (Directory.Exists(dir))
                    foreach (string f in Directory.EnumerateFiles(dir, pattern).Order(StringComparer.Ordinal))
                        files.Add((f, Path.GetFileName(f)));
                continue;
            }
            files.Add((input, Path.GetFileName(input))); // reported as not found when processed
        }
        return files;
    }

    private static bool IsMediaName(string path)
    {
        string ext = Path.GetExtension(path);
        return MediaFormat.All.Any(f => f.MatchesExtension(ext));
    }

    /// <summary>Reads a whole file after checking its size against the limit, with typed errors.</summary>
    public static byte[] Read(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new LabelStampException(ErrorCode.FileNotFound, $"{path}: no such file");
        if (info.Length > maxBytes) throw new LabelStampException(ErrorCode.InputTooLarge, $"{path}: {info.Length} bytes is over the limit of {maxBytes} bytes");
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LabelStampException(ErrorCode.IoFailed, $"{path}: cannot read: {e.Message}", e);
        }
    }

    /// <summary>Writes atomically: a temporary file in the same directory, then a rename.</summary>
    public static void WriteAtomically(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            File.WriteAllBytes(temp, data);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new LabelStampException(ErrorCode.IoFailed, $"{path}: cannot write: {e.Message}", e);
        }
    }
}
