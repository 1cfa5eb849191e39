namespace LabelStamp.Worker.Store;

/// <summary>
/// Where media too large for a Kafka message lives; the message carries only its URI (claim-check
/// pattern). Objects are named by content ID and content hash, so a replay rewrites the same object.
/// </summary>
public interface IClaimCheckStore
{
    /// <summary>Whether this store owns the URI (and may read it).</summary>
    bool Owns(Uri reference);

    Task<byte[]> ReadAsync(Uri reference, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Writes atomically and returns the object's URI.</summary>
    Task<Uri> WriteAsync(string contentId, ReadOnlyMemory<byte> content, string extension, CancellationToken cancellationToken);
}
