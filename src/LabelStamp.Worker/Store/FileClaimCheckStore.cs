using System.Security.Cryptography;
using LabelStamp.Errors;

namespace LabelStamp.Worker.Store;

/// <summary>
/// A directory as claim-check store (a shared volume in production). Writes go to a temporary file
/// that is renamed into place, so a reader never sees half an object and a crash leaves no torn file.
/// </summary>
public sealed class FileClaimCheckStore : IClaimCheckStore
{
    private readonly string _root;

    public FileClaimCheckStore(string directory)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        Directory.CreateDirectory(_root);
    }

    public static FileClaimCheckStore FromUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"store '{uri}' is not a file:// URI");
        return new FileClaimCheckStore(parsed.LocalPath);
    }

    public string Root => _root;

    public bool Owns(Uri reference) => reference.IsFile && IsUnderRoot(reference.LocalPath);

    public async Task<byte[]> ReadAsync(Uri reference, long maxBytes, CancellationToken cancellationToken)
    {
        // Only objects inside the store: an ls-ref must never read /etc/passwd or another tenant's files.
        if (!Owns(reference))
            throw new LabelStampException(ErrorCode.ReferenceNotAllowed, "ls-ref points outside the configured store");
        string path = Path.GetFullPath(reference.LocalPath);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"store object {Path.GetFileName(path)} does not exist");
            if (info.Length > maxBytes)
                throw new LabelStampException(ErrorCode.InputTooLarge, $"store object {Path.GetFileName(path)} is {info.Length} bytes, over the limit of {maxBytes}");
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new LabelStampException(ErrorCode.StoreFailed, $"reading store object {Path.GetFileName(path)} failed: {ex.GetType().Name}", ex);
        }
    }

    public async Task<Uri> WriteAsync(string contentId, ReadOnlyMemory<byte> content, string extension, CancellationToken cancellationToken)
    {
        string name = ObjectName(contentId, content.Span, extension);
        string final = Path.Combine(_root, name);
        string temp = Path.Combine(_root, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            // Same name ⇒ same bytes (the name holds the hash), so overwriting on replay is harmless.
            File.Move(temp, final, overwrite: true);
            return new Uri(final);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new LabelStampException(ErrorCode.StoreFailed, $"writing store object {name} failed: {ex.GetType().Name}", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Content ID (made file-name safe) + the first 16 hex digits of SHA-256 + extension.</summary>
    public static string ObjectName(string contentId, ReadOnlySpan<byte> content, string extension)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return $"{ContentIds.ToFileName(contentId)}-{Convert.ToHexStringLower(hash[..8])}{extension}";
    }

    private bool IsUnderRoot(string path)
    {
        string full = Path.GetFullPath(path);
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* a stray temp file is harmless: names never collide and readers skip dot files */ }
    }
}
