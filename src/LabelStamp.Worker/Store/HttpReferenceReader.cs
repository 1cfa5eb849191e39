using LabelStamp.Errors;

namespace LabelStamp.Worker.Store;

/// <summary>
/// Reads http(s) claim-check references, but only from configured hosts, with a size cap and a timeout:
/// a message must not make the worker fetch internal URLs (SSRF) or stream without end.
/// </summary>
public sealed class HttpReferenceReader
{
    private readonly HttpClient _http;
    private readonly HashSet<string> _allowedHosts;
    private readonly TimeSpan _timeout;

    public HttpReferenceReader(HttpClient http, IEnumerable<string> allowedHosts, TimeSpan timeout)
    {
        _http = http;
        _allowedHosts = new HashSet<string>(allowedHosts, StringComparer.OrdinalIgnoreCase);
        _timeout = timeout;
    }

    public bool IsAllowed(Uri reference) =>
        (reference.Scheme == Uri.UriSchemeHttps || reference.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(reference.UserInfo)
        && _allowedHosts.Contains(reference.IdnHost);

    public async Task<byte[]> ReadAsync(Uri reference, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsAllowed(reference))
            throw new LabelStampException(ErrorCode.ReferenceNotAllowed, "ls-ref host is not in HttpAllowedHosts");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, reference);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            // Redirects are not followed (handler setting): a redirect could leave the allow-list.
            if (!response.IsSuccessStatusCode)
                throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"ls-ref fetch returned HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > maxBytes)
                throw new LabelStampException(ErrorCode.InputTooLarge, $"ls-ref object is {response.Content.Headers.ContentLength} bytes, over the limit of {maxBytes}");
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    throw new LabelStampException(ErrorCode.InputTooLarge, $"ls-ref object is over the limit of {maxBytes} bytes");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"ls-ref fetch timed out after {_timeout.TotalSeconds:0}s");
        }
        catch (HttpRequestException ex)
        {
            throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"ls-ref fetch failed: {ex.HttpRequestError}", ex);
        }
    }
}
