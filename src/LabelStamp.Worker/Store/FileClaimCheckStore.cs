using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Files;

namespace LabelStamp.Worker.Store;

/// <summary>
/// A directory as claim-check store (a shared volume in production). Writes go to a temporary file
/// that is renamed into place, so a reader never sees half an object and a crash leaves no torn file.
/// Inputs and labeled outputs live apart (spec §7: the origin serves labeled outputs only, never an
/// input): generation backends write into <see cref="InputsArea"/>, workers into <see cref="LabeledArea"/>,
/// and `serve` indexes only the latter. A reference may name an object anywhere under the root.
/// </summary>
public sealed class FileClaimCheckStore : IClaimCheckStore
{
    /// <summary>Where unlabeled inputs go (the generation side's claim checks).</summary>
    public const string InputsArea = "inputs";

    /// <summary>Where the workers' labeled outputs go: the only part of the store the origin serves.</summary>
    public const string LabeledArea = "labeled";

    private readonly string _root;
    private readonly string _writeDirectory;

    /// <param name="writeArea">The sub-folder this instance writes into (<see cref="InputsArea"/> or
    /// <see cref="LabeledArea"/>); null writes at the root (tests of the store itself).</param>
    public FileClaimCheckStore(string directory, string? writeArea = null)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _writeDirectory = writeArea is null ? _root : Path.Combine(_root, writeArea);
        Directory.CreateDirectory(_writeDirectory);
    }

    /// <summary>The same store, writing into <paramref name="area"/>.</summary>
    public FileClaimCheckStore Area(string area) => new(_root, area);

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
        string name = Path.GetFileName(path);
        // Inside the root only what the worker wrote: regular files, by rename. A link (the object itself or
        // a directory on the way) would make the path say "inside" while the bytes come from anywhere.
        RefuseLinkedDirectories(path, name);
        try
        {
            return await RegularFile.ReadAllAsync(path, maxBytes, followLinks: false, $"store object {name}", cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.FileNotFound)
        {
            throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"store object {name} does not exist", e);
        }
        catch (LabelStampException e) when (e.Code == ErrorCode.IoFailed)
        {
            throw new LabelStampException(ErrorCode.StoreFailed, $"reading store object {name} failed: {e.InnerException?.GetType().Name ?? "I/O error"}", e);
        }
    }

    /// <summary>Each directory between the root and the object, looked at itself (lstat): none may be a link.
    /// The root is the operator's choice and may be one.</summary>
    private void RefuseLinkedDirectories(string path, string name)
    {
        string[] parts = Path.GetRelativePath(_root, path).Split(Path.DirectorySeparatorChar);
        string current = _root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            FileNode? node;
            try { node = FileNode.Lstat(current); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LabelStampException(ErrorCode.StoreFailed, $"reading store object {name} failed: {ex.GetType().Name}", ex);
            }
            if (node is null)
                throw new LabelStampException(ErrorCode.ReferenceFetchFailed, $"store object {name} does not exist");
            if (node.Value.Kind == FileNodeKind.SymbolicLink)
                throw new LabelStampException(ErrorCode.SymlinkRefused, $"store object {name}: its path goes through a symbolic link inside the store; links are not followed");
        }
    }

    public async Task<Uri> WriteAsync(string contentId, ReadOnlyMemory<byte> content, string extension, CancellationToken cancellationToken)
    {
        string name = ObjectName(contentId, content.Span, extension);
        string final = Path.Combine(_writeDirectory, name);
        string temp = Path.Combine(_writeDirectory, $".{name}.{Guid.NewGuid():N}.tmp");
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
