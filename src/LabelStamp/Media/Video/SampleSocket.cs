using System.Net.Sockets;
using LabelStamp.Errors;
using LabelStamp.Files;

namespace LabelStamp.Media.Video;

/// <summary>
/// A Unix-domain stream socket inside the private workspace (mode 0700) through which the labeled audio
/// samples reach the video encoder as its second input (<c>unix:NAME</c>), so one ffmpeg process encodes
/// video and audio and writes the final file. It replaces a FIFO because a FIFO needs a rendezvous: a
/// reader's open(2) blocks until a writer holds the other end, so an audio feeder that finished (or
/// failed) before the encoder reached its second input left the encoder blocked in open for ever
/// (a 22 KB MP4 with a damaged audio <c>stsd</c> hung about half the runs). Here the listener exists
/// before the encoder starts and nothing blocks on the other side: the encoder's connect completes at
/// once (the kernel queues it), or fails at once with "connection refused" once the listener is gone;
/// our accept is cancellable, so the only wait left is bounded by the item's token.
/// </summary>
public sealed class SampleSocket : IDisposable
{
    private readonly Socket _listener;
    private readonly string _path;

    private SampleSocket(string directory, string fileName, Socket listener)
    {
        FileName = fileName;
        _path = Path.Combine(directory, fileName);
        _listener = listener;
    }

    /// <summary>The socket's name inside the workspace.</summary>
    public string FileName { get; }

    /// <summary>
    /// The encoder's input URL for this socket: relative, so the encoder must run with the workspace as
    /// its working directory. sun_path holds at most 107 bytes, and a workspace under a long TMPDIR
    /// (a CI runner's, a container's mount) is longer than that; a relative name never is.
    /// </summary>
    public string Url => "unix:" + FileName;

    /// <summary>Creates the socket <paramref name="fileName"/> in <paramref name="directory"/> and listens on it.</summary>
    public static SampleSocket Listen(string directory, string fileName, string name)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // Bound through an O_PATH descriptor of the directory, for the same length reason as Url:
            // /proc/self/fd/N/audio.sock is short whatever the directory's path is.
            using (var dir = UnixFileCalls.OpenDirectoryPath(directory))
                listener.Bind(new UnixDomainSocketEndPoint($"/proc/self/fd/{dir.DangerousGetHandle()}/{fileName}"));
            listener.Listen(1);
            return new SampleSocket(directory, fileName, listener);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new LabelStampException(ErrorCode.IoFailed, $"{name}: could not open the audio socket for ffmpeg: {e.Message}", e);
        }
    }

    /// <summary>Waits for the encoder's connection and returns the stream to write samples into; dispose
    /// it to signal end of stream. Cancelled with the item (deadline, encoder failure, shutdown).</summary>
    public async Task<Stream> AcceptAsync(CancellationToken cancellationToken)
    {
        var connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new NetworkStream(connection, ownsSocket: true);
    }

    /// <summary>Closes the listener and removes its name, so the same workspace can listen under it again (the automatic
    /// video mark's second pass).</summary>
    public void Dispose()
    {
        _listener.Dispose();
        try { File.Delete(_path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the workspace's removal takes it */ }
    }
}
