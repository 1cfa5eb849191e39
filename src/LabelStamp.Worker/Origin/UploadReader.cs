using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// Reads the file of a POST /verify: the raw body, or the first file part of a multipart/form-data body.
/// The cap is checked against Content-Length before anything is read, and again while streaming (chunked
/// uploads), so an oversized upload is refused without being buffered. Every byte buffered is first
/// reserved from the shared <see cref="UploadBudget"/>, and the upload lands in one array read straight from
/// the connection: it costs 1× its Content-Length (the growing MemoryStream and its final copy cost up to 3×).
/// Whatever the client sends, the outcome is a status and a fixed reason, never an exception.
/// </summary>
internal static class UploadReader
{
    /// <summary>RFC 2046 §5.1.1: a boundary is 1 to 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    public static async Task<UploadOutcome> ReadAsync(HttpRequest request, long maxBytes, UploadReservation reservation, CancellationToken ct)
    {
        long? declared = request.ContentLength;
        if (declared > maxBytes) return UploadOutcome.Refused(StatusCodes.Status413PayloadTooLarge, "Content-Length over MaxUploadBytes");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + (64 << 10); // multipart framing on top of the file
        // Reserved before a byte is read: Content-Length, or the cap for a chunked body (it may be that large).
        long reserved = declared ?? maxBytes;
        if (!reservation.TryReserve(reserved))
            return UploadOutcome.Refused(StatusCodes.Status503ServiceUnavailable, "upload budget (MaxUploadBytesInFlight) exhausted");
        try
        {
            Stream body = request.Body;
            if (request.ContentType is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                if (!MediaTypeHeaderValue.TryParse(type, out var parsed)
                    || HeaderUtilities.RemoveQuotes(parsed.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
                    return UploadOutcome.Refused(StatusCodes.Status400BadRequest, "multipart without a boundary of 1..70 characters");
                var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = 16 << 10 };
                MultipartSection? section;
                while ((section = await reader.ReadNextSectionAsync(ct).ConfigureAwait(false)) is not null)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                        break;
                }
                if (section is null)
                    return UploadOutcome.Refused(StatusCodes.Status400BadRequest, "multipart without a file part");
                // A multipart inside the file part is a form, never media: say so rather than verify its framing.
                if (section.ContentType is { } partType && partType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
                    return UploadOutcome.Refused(StatusCodes.Status400BadRequest, "nested multipart in the file part");
                body = section.Body;
            }
            return await BufferAsync(body, (int)reserved, atCap: declared is null, ct).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            // MultipartReader: part headers over the limit, too many of them, a line that is not a header.
            return UploadOutcome.Refused(StatusCodes.Status400BadRequest, "malformed multipart body");
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel: MinRequestBodyDataRate (408), MaxRequestBodySize (413), body shorter than Content-Length (400).
            return e.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => UploadOutcome.Refused(e.StatusCode, "body arrived slower than MinRequestBodyDataRate"),
                StatusCodes.Status413PayloadTooLarge => UploadOutcome.Refused(e.StatusCode, "body over MaxUploadBytes"),
                _ => UploadOutcome.Refused(StatusCodes.Status400BadRequest, "body ended before its declared length or bad framing"),
            };
        }
        catch (IOException)
        {
            // MultipartReaderStream when the body ends before the closing boundary; ConnectionResetException.
            return UploadOutcome.Refused(StatusCodes.Status400BadRequest, "body ended early (no closing boundary, or the connection closed)");
        }
    }

    /// <summary>
    /// One array of the reserved size, read into straight from the connection: Content-Length when known (for
    /// multipart the file part is smaller than the whole body, and only its bytes are exposed), else the cap.
    /// The array is not zeroed; only the bytes read are ever exposed.
    /// Two ways of reserving less for chunked bodies were measured and dropped, under a 256 MiB budget: a
    /// doubling buffer (its outgrown arrays of every size fragment the large-object heap: 1 GB peak RSS after
    /// 170 uploads of 60 MiB, the last 60 chunked) and pooled 64 KiB pieces copied into one array at the end
    /// (750 MB after 20 concurrent chunked ones: the pieces the pool drops pile up as garbage). Reserving the
    /// cap keeps chunked uploads at the known-length figure (340 MB for those 20).
    /// </summary>
    private static async Task<UploadOutcome> BufferAsync(Stream body, int reserved, bool atCap, CancellationToken ct)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(reserved);
        int length = 0, n;
        while (length < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            length += n;
        // A chunked body that filled the cap must end here: one more byte is over it. (A body of known length
        // cannot be longer: Kestrel ends it at Content-Length.)
        if (atCap && length == buffer.Length && await body.ReadAsync(new byte[1], ct).ConfigureAwait(false) > 0)
            return UploadOutcome.Refused(StatusCodes.Status413PayloadTooLarge, "streamed body over MaxUploadBytes");
        return length == 0
            ? UploadOutcome.Refused(StatusCodes.Status400BadRequest, "empty upload")
            : UploadOutcome.Read(buffer.AsMemory(0, length));
    }
}
