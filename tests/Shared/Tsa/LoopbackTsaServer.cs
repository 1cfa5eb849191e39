using System.Net;
using System.Net.Sockets;
using System.Text;
using LabelStamp.Provenance;

namespace LabelStamp.TestSupport;

/// <summary>
/// Serves an <see cref="ITimestampAuthority"/> over HTTP/1.1 on 127.0.0.1 (an ephemeral port) the way RFC 3161 §3.4
/// describes: POST application/timestamp-query, reply application/timestamp-reply. One request per connection,
/// bounded reads; <see cref="FailWith"/> makes it answer an HTTP error instead. Stops when disposed.
/// </summary>
internal sealed class LoopbackTsaServer : IDisposable
{
    private const int MaxHeaderBytes = 16 * 1024, MaxBodyBytes = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ITimestampAuthority _tsa;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _served;

    public LoopbackTsaServer(ITimestampAuthority tsa)
    {
        _tsa = tsa;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/tsa";

    /// <summary>Requests answered with a time-stamp.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>When set, every request is answered with this HTTP status and no token.</summary>
    public int? FailWith { get; set; }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            stream.ReadTimeout = stream.WriteTimeout = 10_000;
            var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int headerEnd = -1;
            while (headerEnd < 0)
            {
                int n = await stream.ReadAsync(chunk);
                if (n == 0 || buffer.Length + n > MaxHeaderBytes + MaxBodyBytes) return;
                buffer.Write(chunk, 0, n);
                headerEnd = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0 && buffer.Length > MaxHeaderBytes) return;
            }
            string head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headerEnd);
            int length = 0;
            foreach (var line in head.Split("\r\n"))
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim());
            if (length is < 0 or > MaxBodyBytes) return;
            while (buffer.Length < headerEnd + 4 + length)
            {
                int n = await stream.ReadAsync(chunk);
                if (n == 0) return;
                buffer.Write(chunk, 0, n);
            }
            byte[] body = buffer.GetBuffer().AsSpan(headerEnd + 4, length).ToArray();
            int status = FailWith ?? 200;
            byte[] reply = [];
            if (status == 200)
            {
                reply = _tsa.Timestamp(body);
                Interlocked.Increment(ref _served);
            }
            string header = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {reply.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
            await stream.WriteAsync(reply);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(5000); } catch (AggregateException) { /* the loop ends on cancellation */ }
        _stop.Dispose();
    }
}
