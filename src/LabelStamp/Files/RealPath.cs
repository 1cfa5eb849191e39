namespace LabelStamp.Files;

/// <summary>
/// The canonical absolute form of a path (every link, "." and ".." resolved): the one sound way to
/// tell whether a link's target lies inside a tree, since a target's directories can be links too.
/// </summary>
public static class RealPath
{
    /// <summary>The canonical path, or null when some component does not exist (a dangling link).</summary>
    public static string? Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsLinux()) return UnixFileCalls.RealPath(path);
        // Elsewhere: the final link target only (directories on the way are taken as they are).
        var info = new FileInfo(Path.GetFullPath(path));
        FileSystemInfo final = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return final.Exists || Directory.Exists(final.FullName) ? Path.TrimEndingDirectorySeparator(final.FullName) : null;
    }

    /// <summary>Whether canonical <paramref name="path"/> is <paramref name="root"/> or below it (both canonical).</summary>
    public static bool IsInside(string path, string root)
    {
        string prefix = Path.TrimEndingDirectorySeparator(root);
        return path.Equals(prefix, StringComparison.Ordinal)
            || (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length
                && (path[prefix.Length] == Path.DirectorySeparatorChar || prefix == "/"));
    }
}
