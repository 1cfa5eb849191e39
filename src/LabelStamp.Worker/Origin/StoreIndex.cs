using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LabelStamp.Errors;
using LabelStamp.Files;
using LabelStamp.Media;
using LabelStamp.Worker.Store;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// Finds store objects for the origin, in the store's labeled area only (<see cref="FileClaimCheckStore.LabeledArea"/>):
/// inputs (<see cref="FileClaimCheckStore.InputsArea"/>) and anything else in the store are never served,
/// by either route, so a CDN can never pull unlabeled generated media. The worker names objects <c>&lt;content id&gt;-&lt;16 hex of SHA-256&gt;&lt;ext&gt;</c>
/// (<see cref="FileClaimCheckStore.ObjectName"/>): by content ID the newest such object wins (a replay whose
/// C2PA signature differs writes a second, equivalent object); by object name (the file name of an
/// <c>ls-ref</c>) the match is exact. Hashes are computed once per (path, size, mtime) — objects are
/// written by rename and never change in place.
/// </summary>
public sealed partial class StoreIndex(string root, int cacheEntries = 4096)
{
    private readonly ConcurrentDictionary<(string, long, DateTime), StoredObject> _hashes = new();

    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The folder served: the store's labeled area (it may not exist yet: nothing labeled).</summary>
    public string Objects => Path.Combine(Root, FileClaimCheckStore.LabeledArea);

    /// <summary>
    /// The index of the store folder a file:// URI names. Unlike the workers' store, the origin only reads and
    /// never creates the folder: a mistyped --store is an error at start-up, not an origin that answers 404 to everything.
    /// </summary>
    public static StoreIndex FromUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"store '{uri}' is not a file:// URI");
        if (!Directory.Exists(parsed.LocalPath))
            throw new LabelStampException(ErrorCode.FileNotFound, $"serve: store folder '{parsed.LocalPath}' does not exist; create it or point --store at the workers' store");
        return new StoreIndex(parsed.LocalPath);
    }

    /// <summary>The newest object stored for <paramref name="contentId"/>, or null.</summary>
    public StoredObject? FindByContentId(string contentId)
    {
        if (!ContentIds.IsValid(contentId)) return null;
        string prefix = ContentIds.ToFileName(contentId) + "-";
        FileInfo? best = null;
        if (!IsPlainDirectory(Objects)) return null;
        foreach (var file in new DirectoryInfo(Objects).EnumerateFiles(prefix + "*", SearchOption.TopDirectoryOnly))
        {
            // The rest must be exactly the hash and an extension: "a-b" must not match objects of ID "a-b-c".
            if (!ObjectSuffix().IsMatch(file.Name.AsSpan(prefix.Length))) continue;
            if (!IsPlainObject(file.FullName)) continue;
            if (best is null || file.LastWriteTimeUtc > best.LastWriteTimeUtc
                || (file.LastWriteTimeUtc == best.LastWriteTimeUtc && string.CompareOrdinal(file.Name, best.Name) > 0))
                best = file;
        }
        return best is null ? null : Describe(best);
    }

    /// <summary>The object with exactly this name (no paths, no dot files), or null.</summary>
    public StoredObject? FindByName(string objectName)
    {
        if (objectName.Length is 0 or > 255 || objectName[0] == '.' || objectName.Contains('/') || objectName.Contains('\\')) return null;
        if (!IsPlainDirectory(Objects)) return null;
        var file = new FileInfo(Path.Combine(Objects, objectName));
        return file.DirectoryName == Objects && IsPlainObject(file.FullName) ? Describe(file) : null;
    }

    /// <summary>
    /// Only regular files are objects (issue 22): a symbolic link in the store (to /etc/passwd, to another
    /// tenant's files) is not served, nor is a FIFO or a device (hashing one would never end). Looked at
    /// with lstat, so a link is never followed; the root itself is the operator's and may be a link.
    /// </summary>
    /// <summary>The labeled area must be a real directory inside the store, not a link to elsewhere.</summary>
    private static bool IsPlainDirectory(string path)
    {
        try { return FileNode.Lstat(path) is { Kind: FileNodeKind.Directory }; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static bool IsPlainObject(string path)
    {
        try { return FileNode.Lstat(path) is { Kind: FileNodeKind.Regular }; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // unreadable: not served, as if absent
    }

    private StoredObject Describe(FileInfo file)
    {
        var key = (file.FullName, file.Length, file.LastWriteTimeUtc);
        if (_hashes.TryGetValue(key, out var known)) return known;
        string sha;
        MediaFormat? format;
        using (var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            Span<byte> head = stackalloc byte[512];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            try { format = MediaSniffer.Sniff(head[..n], file.Name); }
            catch (LabelStampException) { format = null; }
            stream.Position = 0;
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        var described = new StoredObject(file.FullName, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), sha, format);
        if (_hashes.Count >= cacheEntries) _hashes.Clear(); // bounded: a cold hash is only a re-read
        _hashes[key] = described;
        return described;
    }

    [GeneratedRegex("^[0-9a-f]{16}\\.[A-Za-z0-9]{1,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectSuffix();
}
