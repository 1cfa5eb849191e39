using LabelStamp.Media;

namespace LabelStamp.Worker.Origin;

/// <summary>One object of the store as the origin serves it: path, strong ETag (SHA-256 of the bytes) and sniffed type.</summary>
public sealed record StoredObject(string Path, long Length, DateTimeOffset LastModified, string Sha256, MediaFormat? Format)
{
    public string ContentType => Format?.ContentType ?? "application/octet-stream";
}
