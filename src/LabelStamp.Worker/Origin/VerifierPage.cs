using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// The verifier page at <c>/</c>: one HTML file, one stylesheet and one dependency-free script shipped as
/// resources of this assembly (no CDN, no build step, works offline). The page sends the file the user
/// picks to POST /verify and draws the answer; it keeps nothing and sends nothing else. A strict
/// Content-Security-Policy allows only this origin's own script, style and API, plus blob:/data: images
/// for the user's own file and the preview frame.
/// </summary>
internal sealed class VerifierPage
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src blob:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly Dictionary<string, (byte[] Bytes, string ContentType, string ETag)> _files = new(StringComparer.Ordinal);

    public VerifierPage()
    {
        var assembly = typeof(VerifierPage).Assembly;
        foreach (var (name, type) in new[] { ("index.html", "text/html; charset=utf-8"), ("verifier.css", "text/css; charset=utf-8"), ("verifier.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("verifier/" + name)
                               ?? throw new InvalidOperationException($"verifier page resource {name} is missing from the build");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            _files[name] = (bytes, type, "\"" + Convert.ToHexString(SHA256.HashData(bytes))[..32].ToLowerInvariant() + "\"");
        }
    }

    public IEnumerable<string> Files => _files.Keys;

    public IResult Serve(HttpContext ctx, string name)
    {
        var (bytes, type, etag) = _files[name];
        var headers = ctx.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = etag;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Content-Security-Policy"] = ContentSecurityPolicy;
        if (ctx.Request.Headers.IfNoneMatch == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(bytes, type);
    }
}
