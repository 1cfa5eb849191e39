using LabelStamp.Errors;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// A private temporary directory (mode 0700) holding a copy of one input, deleted on dispose.
/// ffmpeg only ever opens paths in here, with the <c>file:</c> prefix and a protocol whitelist, so a
/// name or content can never make it open anything else. A copy rather than a pipe because M4A with
/// its moov box last, MP3/Ogg durations and the metadata copy (the original as a second input) all
/// need a seekable file.
/// </summary>
public sealed class MediaWorkspace : IDisposable
{
    private MediaWorkspace(string directory, string input)
    {
        Directory = directory;
        InputPath = input;
    }

    public string Directory { get; }
    public string InputPath { get; }

    public string PathFor(string fileName) => Path.Combine(Directory, fileName);

    private const string Prefix = "labelstamp-media-";

    /// <summary>Age after which another process's workspace is stale: four times the longest an item may run
    /// (<see cref="Pipeline.MediaLimits.DeadlineCap"/>, 30 min), so a live stamp's copy is never taken.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(2);

    /// <summary>The first workspace of a process sweeps the stale ones once.</summary>
    private static int _swept;

    public static async Task<MediaWorkspace> CreateAsync(ReadOnlyMemory<byte> input, string extension, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _swept, 1) == 0) SweepStale(Path.GetTempPath(), DateTime.UtcNow - StaleAfter);
        string dir = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N"));
        try
        {
            var created = OperatingSystem.IsWindows()
                ? System.IO.Directory.CreateDirectory(dir)
                : System.IO.Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            ChildReaper.Track(created.FullName);
            string path = Path.Combine(created.FullName, "input" + extension);
            await using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await fs.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            return new MediaWorkspace(created.FullName, path);
        }
        catch (Exception e)
        {
            // Cancelled (deadline, shutdown) or failed mid-copy: nothing may stay behind.
            TryDelete(dir);
            if (e is IOException) throw new LabelStampException(ErrorCode.IoFailed, $"could not write a temporary copy for ffmpeg: {e.Message}", e);
            throw;
        }
    }

    public void Dispose() => TryDelete(Directory);

    /// <summary>
    /// Deletes the workspaces under <paramref name="tempRoot"/> last written before <paramref name="olderThan"/> (UTC).
    /// A process killed outright (SIGKILL, the out-of-memory killer, a container stopped without grace) cannot run its
    /// own clean-up, and its workspace holds a copy of someone's media; the next process to make a workspace removes
    /// it. Errors are ignored: a directory another user owns, or one deleted meanwhile, is not ours to report.
    /// </summary>
    /// <returns>How many workspaces were deleted.</returns>
    public static int SweepStale(string tempRoot, DateTime olderThan)
    {
        int deleted = 0;
        try
        {
            foreach (string dir in System.IO.Directory.EnumerateDirectories(tempRoot, Prefix + "*"))
            {
                try
                {
                    if (System.IO.Directory.GetLastWriteTimeUtc(dir) >= olderThan) continue;
                    ChildReaper.DeleteDirectory(dir);
                    if (!System.IO.Directory.Exists(dir)) deleted++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* not ours, or gone */ }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* no temp directory to read */ }
        return deleted;
    }

    private static void TryDelete(string dir)
    {
        ChildReaper.DeleteDirectory(dir);
        ChildReaper.Untrack(dir);
    }
}
