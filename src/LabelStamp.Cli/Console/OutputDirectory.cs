using LabelStamp.Errors;

namespace LabelStamp.Cli.Console;

/// <summary>
/// The -o directory of a batch, checked before any work: it must be a directory (or creatable as one) in
/// which a file can be created and deleted. Permission bits alone do not say that (root writes into a
/// 0555 directory; /proc refuses whatever the bits say), so a probe file is made and removed. A directory
/// this run created and left empty (every item failed, or the run stopped) is removed again on dispose.
/// </summary>
public sealed class OutputDirectory : IDisposable
{
    private readonly bool _created;

    private OutputDirectory(string path, bool created)
    {
        Path = path;
        _created = created;
    }

    public string Path { get; }

    public static OutputDirectory Prepare(string path)
    {
        if (File.Exists(path))
            throw new LabelStampException(ErrorCode.OutputConflict, $"-o {path}: is a file, not a directory; name a directory for the labeled files");
        bool created = !Directory.Exists(path);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (PathTooLongException e)
        {
            throw new LabelStampException(ErrorCode.PathTooLong,
                $"-o {path}: output path is longer than the file system allows (most file systems allow 255 bytes per name and 4095 per path): choose a shorter -o", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new LabelStampException(ErrorCode.IoFailed, $"-o {path}: cannot create the output directory: {e.Message}", e);
        }
        var directory = new OutputDirectory(path, created);
        string probe = System.IO.Path.Combine(path, ".ls-probe-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            // CreateNew: never write through something already at the name.
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            directory.Dispose();
            throw new LabelStampException(ErrorCode.IoFailed, $"-o {path}: cannot write in the output directory: {e.Message}", e);
        }
        return directory;
    }

    public void Dispose()
    {
        if (!_created) return;
        try
        {
            if (Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place: an empty directory is harmless, and the run's own result is what matters.
        }
    }
}
