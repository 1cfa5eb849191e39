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

    public static async Task<MediaWorkspace> CreateAsync(ReadOnlyMemory<byte> input, string extension, CancellationToken cancellationToken)
    {
        string dir = Path.Combine(Path.GetTempPath(), "labelstamp-media-" + Guid.NewGuid().ToString("N"));
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

    private static void TryDelete(string dir)
    {
        ChildReaper.DeleteDirectory(dir);
        ChildReaper.Untrack(dir);
    }
}
