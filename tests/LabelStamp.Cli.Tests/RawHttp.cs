using System.Net.Sockets;
using System.Text;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// One HTTP/1.1 connection driven byte by byte, for what HttpClient will not do: send half a body and
/// stall, hang up mid-body, or wait for <c>100 Continue</c> as the sign a request was admitted.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _received = new();

    private RawHttp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        return new RawHttp(tcp);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The status of the next response head (100 Continue included), or -1 if the connection closed first.</summary>
    public async Task<int> ReadStatusAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        while (true)
        {
            string text = _received.ToString();
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _received.Remove(0, end + 4);
                LastHead = text[..end];
                return int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            int n = await _stream.ReadAsync(buffer, cts.Token);
            if (n == 0) return -1;
            _received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    /// <summary>The last response head read by <see cref="ReadStatusAsync"/>.</summary>
    public string LastHead { get; private set; } = "";

    /// <summary>True when nothing has arrived and the connection is still open (checked without blocking).</summary>
    public bool NothingReceived => _received.Length == 0 && _tcp.Available == 0;

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
