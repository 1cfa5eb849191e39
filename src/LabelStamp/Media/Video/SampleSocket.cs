using System.Net.Sockets;
using LabelStamp.Errors;

namespace LabelStamp.Media.Video;

/// <summary>
/// A Unix-domain stream socket inside the private workspace (mode 0700) through which the labeled audio
/// samples reach the video encoder as its second input (<c>unix:PATH</c>), so one ffmpeg process encodes
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
    /// <summary>sun_path holds 108 bytes on Linux, including the terminating NUL.</summary>
    private const int MaxPathBytes = 107;

    private readonly Socket _listener;

    private SampleSocket(string path, Socket listener)
    {
        Path = path;
        _listener = listener;
    }

    public string Path { get; }

    /// <summary>The encoder's input URL for this socket.</summary>
    public string Url => "unix:" + Path;

    public static SampleSocket Listen(string path, string name)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw new LabelStampException(ErrorCode.IoFailed,
                $"{name}: the temp directory path is too long for the encoder's audio socket ({path.Length} characters, at most {MaxPathBytes}); set TMPDIR to a shorter path");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            return new SampleSocket(path, listener);
        }
        catch (SocketException e)
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

    public void Dispose() => _listener.Dispose();
}
