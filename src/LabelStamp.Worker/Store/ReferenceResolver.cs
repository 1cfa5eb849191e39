using LabelStamp.Errors;

namespace LabelStamp.Worker.Store;

/// <summary>Turns an ls-ref header into bytes: the store's own file:// objects, or allow-listed http(s) hosts.</summary>
public sealed class ReferenceResolver
{
    private readonly IClaimCheckStore? _store;
    private readonly HttpReferenceReader? _http;

    public ReferenceResolver(IClaimCheckStore? store, HttpReferenceReader? http)
    {
        _store = store;
        _http = http;
    }

    public Task<byte[]> ReadAsync(string reference, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(reference, UriKind.Absolute, out var uri))
            throw new LabelStampException(ErrorCode.ContractViolation, "ls-ref is not an absolute URI");
        if (_store is not null && _store.Owns(uri))
            return _store.ReadAsync(uri, maxBytes, cancellationToken);
        if (_http is not null && _http.IsAllowed(uri))
            return _http.ReadAsync(uri, maxBytes, cancellationToken);
        throw new LabelStampException(ErrorCode.ReferenceNotAllowed, $"ls-ref scheme '{uri.Scheme}' or location is not allowed: only the configured store and HttpAllowedHosts");
    }
}
