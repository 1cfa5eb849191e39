using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// Reads the file of a POST /verify: the raw body, or the first file part of a multipart/form-data body.
/// The cap is checked against Content-Length before anything is read, and again while streaming (chunked
/// uploads), so an oversized upload is refused without being buffered.
/// </summary>
public static class UploadReader
{
    /// <summary>The upload's bytes, or null with <paramref name="status"/> set (413 too large, 400 malformed).</summary>
    public static async Task<(byte[]? Bytes, int Status)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, StatusCodes.Status413PayloadTooLarge);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + (64 << 10); // multipart framing on top of the file
        Stream body = request.Body;
        if (request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            if (!MediaTypeHeaderValue.TryParse(type, out var parsed) || HeaderUtilities.RemoveQuotes(parsed.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
                return (null, StatusCodes.Status400BadRequest);
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 << 10 };
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct).ConfigureAwait(false)) is not null)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                    break;
            }
            if (section is null) return (null, StatusCodes.Status400BadRequest);
            body = section.Body;
        }
        return await CopyCappedAsync(body, maxBytes, ct).ConfigureAwait(false);
    }

    private static async Task<(byte[]? Bytes, int Status)> CopyCappedAsync(Stream body, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) return (null, StatusCodes.Status413PayloadTooLarge);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.Length == 0 ? (null, StatusCodes.Status400BadRequest) : (buffer.ToArray(), StatusCodes.Status200OK);
    }
}
