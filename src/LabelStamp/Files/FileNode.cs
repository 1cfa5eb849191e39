namespace LabelStamp.Files;

/// <summary>
/// What the file system says a path is, before anything opens it. .NET's <see cref="FileInfo"/> cannot
/// tell a regular file from a FIFO or a character device (both show as <see cref="FileAttributes.Normal"/>,
/// and /dev/zero has Length 0), and reports the link's own length for a symbolic link; opening a FIFO
/// blocks until a writer comes and reading /dev/zero never ends, so the type has to come from stat.
/// On Linux this is statx(2); elsewhere a managed approximation that knows only regular files,
/// directories and links (the bounded read still protects the reader there).
/// </summary>
public readonly record struct FileNode(FileNodeKind Kind, long Size)
{
    /// <summary>The node at <paramref name="path"/> itself, a symbolic link not followed (lstat); null when nothing is there.</summary>
    public static FileNode? Lstat(string path) => Of(path, followLinks: false);

    /// <summary>The node <paramref name="path"/> finally names, links followed (stat); null when nothing is there
    /// (including a dangling link). A link chain that cannot be resolved (a loop) is reported as <see cref="FileNodeKind.SymbolicLink"/>.</summary>
    public static FileNode? Stat(string path) => Of(path, followLinks: true);

    /// <exception cref="PathTooLongException">A name or the path is longer than the file system allows.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory on the way cannot be searched.</exception>
    /// <exception cref="IOException">Any other failure of the call.</exception>
    public static FileNode? Of(string path, bool followLinks)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsLinux() ? UnixFileCalls.Stat(path, followLinks) : Managed(path, followLinks);
    }

    private static FileNode? Managed(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return new FileNode(FileNodeKind.SymbolicLink, 0);
        if (followLinks && info.LinkTarget is not null)
        {
            try { info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info; }
            catch (IOException) { return new FileNode(FileNodeKind.SymbolicLink, 0); }
        }
        if (Directory.Exists(info.FullName)) return new FileNode(FileNodeKind.Directory, 0);
        var file = new FileInfo(info.FullName);
        return file.Exists ? new FileNode(FileNodeKind.Regular, file.Length) : null;
    }
}
