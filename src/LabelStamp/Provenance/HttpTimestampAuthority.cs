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
            using var stream = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
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
