using System.Net.Http.Headers;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// RFC 3161 over HTTP (RFC 3161 §3.4): POST application/timestamp-query, reply application/timestamp-reply.
/// Synchronous because <see cref="Pipeline.IProvenanceWriter.Write"/> is; the worker runs stamping on
/// its own threads. Every failure is a <see cref="ErrorCode.SigningFailed"/> naming the TSA URL.
/// </summary>
public sealed class HttpTimestampAuthority(Uri url, HttpClient client) : ITimestampAuthority
{
    public Uri Url { get; } = url;

    public string Name => Url.ToString();

    /// <summary>A TSA reply is a token of a few KB; anything far larger is not one.</summary>
    private const int MaxReplyBytes = 1 << 20;

    public const string UrlVariable = "LABELSTAMP_TSA_URL";

    /// <summary>A TSA answers in well under a second; 30 s covers a slow one without holding a batch forever.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The TSA <paramref name="url"/> names (from <paramref name="source"/>), else the one $LABELSTAMP_TSA_URL names, else none.</summary>
    public static HttpTimestampAuthority? Resolve(string? url, string source) =>
        !string.IsNullOrEmpty(url) ? Create(url, DefaultTimeout, source)
        : Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } env ? Create(env, DefaultTimeout, "$" + UrlVariable)
        : null;

    /// <summary>The TSA at <paramref name="url"/> (absolute http or https) with its own client and a timeout per request.</summary>
    public static HttpTimestampAuthority Create(string url, TimeSpan timeout, string source)
    {
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
            throw new LabelStampException(ErrorCode.InvalidArgument, $"{source}: a TSA timeout of {timeout.TotalSeconds} s is outside 0 to 600 s");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new LabelStampException(ErrorCode.InvalidArgument, $"{source} '{url}': a TSA URL is an absolute http:// or https:// URL");
        return new HttpTimestampAuthority(uri, new HttpClient { Timeout = timeout, MaxResponseContentBufferSize = MaxReplyBytes });
    }

    public byte[] Timestamp(byte[] timeStampRequest)
    {
        using var content = new ByteArrayContent(timeStampRequest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = content };
        try
        {
            using var response = client.Send(request);
            if (!response.IsSuccessStatusCode)
                throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {Url} answered HTTP {(int)response.StatusCode}; the manifest was not time-stamped");
            if (response.Content.Headers.ContentLength > MaxReplyBytes)
                throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {Url} sent a reply of {response.Content.Headers.ContentLength} bytes; a time-stamp reply is a few KB");
            using var stream = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int n;
            while ((n = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + n > MaxReplyBytes)
                    throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {Url} sent a reply over {MaxReplyBytes} bytes; a time-stamp reply is a few KB");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (HttpRequestException e)
        {
            throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {Url} is unreachable ({e.Message}); check the TSA URL or disable time-stamping", e);
        }
        catch (TaskCanceledException e)
        {
            throw new LabelStampException(ErrorCode.SigningFailed, $"TSA {Url} timed out", e);
        }
    }
}
