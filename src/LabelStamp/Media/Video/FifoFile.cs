using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Video;

/// <summary>
/// A named pipe (FIFO, mode 0600) inside the private workspace: the labeled audio samples reach the
/// video encoder through it as a second input, so one ffmpeg process encodes video and audio and writes
/// the final file (no separate audio encode, mux or faststart rewrite). ffmpeg still reads only our
/// pipe or our private copy (spec §10). The write end is opened read-write: Linux opens a FIFO that
/// way without waiting for a peer, so a reader that never comes (ffmpeg died at start-up) cannot hang
/// us in open(2); a spare read end, opened at once too, lets <see cref="DrainAsync"/> unblock a writer
/// stuck on a full pipe whose reader died. Both handles are close-on-exec, so no child inherits a write
/// end and the encoder sees end of stream when the writer is disposed.
/// </summary>
public sealed class FifoFile : IDisposable
{
    private readonly FileStream _writer;
    private readonly FileStream _spare;

    private FifoFile(string path, FileStream writer, FileStream spare)
    {
        Path = path;
        _writer = writer;
        _spare = spare;
    }

    public string Path { get; }

    /// <summary>The write end; dispose it (or let the feeder do so) to signal end of stream.</summary>
    public Stream Writer => _writer;

    public static FifoFile Create(string path, string name)
    {
        if (!OperatingSystem.IsLinux())
            throw new LabelStampException(ErrorCode.IoFailed, $"{name}: the video encoder's audio pipe needs Linux FIFO semantics");
        if (MakeFifo(path, 0b110_000_000) != 0)
            throw new LabelStampException(ErrorCode.IoFailed, $"{name}: could not create the audio pipe for ffmpeg (errno {Marshal.GetLastPInvokeError()})");
        var writer = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            // A writer exists now (ours), so a read-only open returns at once.
            var spare = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return new FifoFile(path, writer, spare);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Reads and discards whatever is written until the writer is disposed: after the encoder
    /// failed, a feeder blocked on a full pipe gets through to its cancellation check.</summary>
    public async Task DrainAsync()
    {
        byte[] buffer = new byte[1 << 16];
        while (await _spare.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _spare.Dispose();
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code in this assembly.
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
