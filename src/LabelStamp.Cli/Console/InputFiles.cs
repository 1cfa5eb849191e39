using LabelStamp.Errors;
using LabelStamp.Files;
using LabelStamp.Media;

namespace LabelStamp.Cli.Console;

/// <summary>
/// Expands command-line inputs: plain files, directories (recursively, media extensions only) and
/// globs in the last path segment ("shots/*.png", for shells that pass them through unexpanded).
/// Each file keeps the path relative to the input that named it, so outputs mirror the input tree.
/// A path named on the command line (or matched by its glob) is the user's choice and is read even
/// through a link; inside a directory walk, links are not followed by default (issue 22): a link to
/// a directory never (a link to ".." would recurse forever), a link to a file only with
/// <c>followLinks</c> and only when it resolves inside the named directory. Each refused link is an
/// item of its own that fails with <see cref="ErrorCode.SymlinkRefused"/>.
/// </summary>
public static class InputFiles
{
    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> inputs, bool followLinks = false) => Expand(inputs, followLinks, out _);

    /// <param name="notMedia">Files a directory walk passed over because their names are not media
    /// (.svg, .txt, …), for the summary: a silent skip would look like a file lost.</param>
    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> inputs, bool followLinks, out int notMedia)
    {
        notMedia = 0;
        var files = new List<InputFile>();
        foreach (string input in inputs)
        {
            if (File.Exists(input)) { files.Add(new InputFile(input, Path.GetFileName(input))); continue; }
            if (Directory.Exists(input)) { files.AddRange(Walk(input, followLinks, ref notMedia)); continue; }
            string pattern = Path.GetFileName(input);
            if (pattern.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                string dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                int before = files.Count;
                if (Directory.Exists(dir))
                    foreach (string f in Directory.EnumerateFiles(dir, pattern).Order(StringComparer.Ordinal))
                        files.Add(new InputFile(f, Path.GetFileName(f)));
                if (files.Count == before)
                    files.Add(InputFile.Refuse(input, pattern, ErrorCode.FileNotFound, $"{input}: no file matches {pattern} in {dir}"));
                continue;
            }
            files.Add(new InputFile(input, Path.GetFileName(input))); // reported as not found when processed
        }
        return files;
    }

    /// <summary>The media files under <paramref name="root"/>, in ordinal order of their paths, descending
    /// only into real directories, so the walk ends on any tree (no link is ever a way down).</summary>
    private static List<InputFile> Walk(string root, bool followLinks, ref int notMedia)
    {
        var found = new List<InputFile>();
        string? realRoot;
        try { realRoot = RealPath.Of(root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [InputFile.Refuse(root, Path.GetFileName(root), ErrorCode.IoFailed, $"{root}: cannot resolve the directory: {e.Message}")];
        }
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out string? dir))
        {
            List<FileSystemInfo> entries;
            try
            {
                // Hidden entries too, as the recursive enumeration before this one listed them.
                entries = [.. new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                found.Add(InputFile.Refuse(dir, Path.GetRelativePath(root, dir), ErrorCode.IoFailed, $"{dir}: cannot list the directory: {e.Message}"));
                continue;
            }
            foreach (var entry in entries)
            {
                string path = Path.Combine(dir, entry.Name);
                string relative = Path.GetRelativePath(root, path);
                if (entry.LinkTarget is not null)
                {
                    if (Link(path, relative, root, realRoot, followLinks) is { } item) found.Add(item);
                    else notMedia++;
                }
                else if (entry is DirectoryInfo) pending.Push(path);
                else if (IsMediaName(path)) found.Add(new InputFile(path, relative)); // FIFOs and devices too: reading refuses them (LS111)
                else notMedia++;
            }
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    /// <summary>A link met in a walk: refused, or (with <paramref name="followLinks"/>) a link to a file
    /// inside the tree; null for a link to a non-media file, skipped like any non-media file.</summary>
    private static InputFile? Link(string path, string relative, string root, string? realRoot, bool followLinks)
    {
        if (Directory.Exists(path))
            return InputFile.Refuse(path, relative, ErrorCode.SymlinkRefused, $"{path}: is a symbolic link to a directory; directory links are never followed (they can loop)");
        if (!IsMediaName(path)) return null;
        if (!followLinks)
            return InputFile.Refuse(path, relative, ErrorCode.SymlinkRefused, $"{path}: is a symbolic link; not followed (--follow-links follows links to files inside {root})");
        string? target;
        try { target = RealPath.Of(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return InputFile.Refuse(path, relative, ErrorCode.SymlinkRefused, $"{path}: symbolic link cannot be resolved ({e.Message}); not followed");
        }
        if (target is null)
            return InputFile.Refuse(path, relative, ErrorCode.SymlinkRefused, $"{path}: symbolic link to a file that does not exist; not followed");
        if (realRoot is null || !RealPath.IsInside(target, realRoot))
            return InputFile.Refuse(path, relative, ErrorCode.SymlinkRefused, $"{path}: symbolic link leads outside {root}; not followed");
        return new InputFile(path, relative);
    }

    private static bool IsMediaName(string path)
    {
        string ext = Path.GetExtension(path);
        return MediaFormat.All.Any(f => f.MatchesExtension(ext));
    }

    /// <summary>Reads one item: its refusal if the expansion refused it, else the whole file within the
    /// size limit, refusing anything but a regular file before opening it (<see cref="RegularFile"/>).</summary>
    public static Task<byte[]> ReadAsync(InputFile file, long maxBytes, CancellationToken cancellationToken)
    {
        file.ThrowIfRefused();
        return RegularFile.ReadAllAsync(file.Path, maxBytes, followLinks: true, file.Path, cancellationToken);
    }

    /// <summary>
    /// Writes atomically: a temporary file in the same directory, then a rename. The temporary name is
    /// short and fixed in length (".ls-" + 12 hex + ".tmp", 20 bytes): one derived from the output name
    /// overflowed NAME_MAX (255 bytes) for names that fit themselves. The temporary file never outlives
    /// a failure.
    /// </summary>
    public static void WriteAtomically(string path, byte[] data)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, ".ls-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        bool created = false, moved = false;
        try
        {
            Directory.CreateDirectory(directory);
            // CreateNew: never write through something already at the temporary name (a planted link).
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                created = true;
                stream.Write(data);
            }
            File.Move(temp, path, overwrite: true);
            moved = true;
        }
        catch (PathTooLongException e)
        {
            int nameBytes = System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(path));
            int pathBytes = System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(path));
            throw new LabelStampException(ErrorCode.PathTooLong,
                $"{path}: output path is longer than the file system allows (its name has {nameBytes} bytes and the whole path {pathBytes}; most file systems allow 255 bytes per name and 4095 per path): rename the input or choose a shorter -o", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LabelStampException(ErrorCode.IoFailed, $"{path}: cannot write: {e.Message}", e);
        }
        finally
        {
            if (created && !moved) DeleteTemporary(temp);
        }
    }

    private static void DeleteTemporary(string temp)
    {
        try { File.Delete(temp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write's own error is the one the user must see; the leftover is named so it can be removed.
            System.Console.Error.WriteLine($"labelstamp: could not remove temporary file {PrintableText.Escape(temp)}: {PrintableText.Escape(e.Message)}");
        }
    }
}
