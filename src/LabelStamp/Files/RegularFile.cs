using LabelStamp.Errors;
using Microsoft.Win32.SafeHandles;

namespace LabelStamp.Files;

/// <summary>
/// Reads a file that someone else named (a command-line input, a store object) so that no poison path
/// can stall or flood the reader (issue 22): the type is checked before opening — devices, FIFOs,
/// sockets and directories are refused with <see cref="ErrorCode.NotRegularFile"/>, links with
/// <see cref="ErrorCode.SymlinkRefused"/> when the caller does not follow them — then the open itself
/// cannot block (O_NONBLOCK) and what was opened is checked again (a swap between check and open is
/// refused the same way), and the read stops at the limit plus one byte whatever the size said.
/// </summary>
public static class RegularFile
{
    /// <summary>The size of the regular file at <paramref name="path"/>; throws the typed refusal otherwise.</summary>
    /// <param name="followLinks">True when the caller was given this very path (a link the user named is
    /// theirs to name); false inside stores, where a link is never an object.</param>
    /// <param name="shown">How messages name the file (a path, "store object X").</param>
    public static long Require(string path, bool followLinks, string shown)
    {
        FileNode? node;
        try { node = FileNode.Of(path, followLinks); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Describe(e, shown);
        }
        if (node is not { } found) throw new LabelStampException(ErrorCode.FileNotFound, $"{shown}: no such file");
        return found.Kind == FileNodeKind.Regular ? found.Size : throw Refusal(found.Kind, followLinks, shown);
    }

    /// <summary>
    /// The whole file, at most <paramref name="maxBytes"/> bytes. The size from stat decides nothing
    /// about how much is read: a file still being appended to, or one that reports 0 bytes and has
    /// content (/proc), is read up to the limit and one byte more, and refused if that byte exists.
    /// </summary>
    public static async Task<byte[]> ReadAllAsync(string path, long maxBytes, bool followLinks, string shown, CancellationToken cancellationToken)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength); // what one byte array can hold
        var (handle, size) = OpenChecked(path, maxBytes, followLinks, shown);
        using (handle)
        {
            var read = new BoundedRead(size, maxBytes, shown);
            try
            {
                while (read.Next() is { } window)
                    read.Advance(await RandomAccess.ReadAsync(handle, window, read.Offset, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Describe(e, shown); }
            return read.Result();
        }
    }

    /// <summary>The synchronous <see cref="ReadAllAsync"/>, for small files read at start-up (keys, certificates).</summary>
    public static byte[] ReadAll(string path, long maxBytes, bool followLinks, string shown)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength); // what one byte array can hold
        var (handle, size) = OpenChecked(path, maxBytes, followLinks, shown);
        using (handle)
        {
            var read = new BoundedRead(size, maxBytes, shown);
            try
            {
                while (read.Next() is { } window)
                    read.Advance(RandomAccess.Read(handle, window.Span, read.Offset));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Describe(e, shown); }
            return read.Result();
        }
    }

    /// <summary>Checks the type, opens without blocking, and checks what was opened: a swap between the
    /// check and the open (a FIFO or a device put in place) is refused the same way.</summary>
    private static (SafeFileHandle Handle, long Size) OpenChecked(string path, long maxBytes, bool followLinks, string shown)
    {
        long size = Require(path, followLinks, shown);
        if (size > maxBytes) throw TooLarge(shown, size, maxBytes);
        SafeFileHandle handle;
        try
        {
            handle = OperatingSystem.IsLinux()
                ? UnixFileCalls.OpenForReading(path, noFollow: !followLinks)
                : File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException) { throw new LabelStampException(ErrorCode.FileNotFound, $"{shown}: no such file"); }
        catch (IOException e) when (OperatingSystem.IsLinux() && UnixFileCalls.IsLinkRefusal(e))
        {
            throw new LabelStampException(ErrorCode.SymlinkRefused, $"{shown}: became a symbolic link before it was opened; links are not followed here");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Describe(e, shown); }
        try
        {
            FileNode opened;
            try { opened = OperatingSystem.IsLinux() ? UnixFileCalls.Stat(handle) : new FileNode(FileNodeKind.Regular, RandomAccess.GetLength(handle)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Describe(e, shown); }
            if (opened.Kind != FileNodeKind.Regular)
                throw new LabelStampException(ErrorCode.NotRegularFile, $"{shown}: became {Article(opened.Kind)} between the check and the open; refused without reading it");
            if (opened.Size > maxBytes) throw TooLarge(shown, opened.Size, maxBytes);
            return (handle, opened.Size);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The buffer of one bounded read: first the size stat announced, then, only if one more
    /// byte is there, growing up to the limit plus that byte.</summary>
    private sealed class BoundedRead(long expected, long maxBytes, string shown)
    {
        private byte[] _buffer = new byte[expected];
        private readonly byte[] _probe = new byte[1];
        private bool _probing, _done;

        public int Offset { get; private set; }

        /// <summary>Where the next read goes, or null when the file has ended.</summary>
        public Memory<byte>? Next()
        {
            if (_done) return null;
            _probing = Offset == _buffer.Length;
            return _probing ? _probe : _buffer.AsMemory(Offset);
        }

        public void Advance(int n)
        {
            if (n == 0) { _done = true; return; }
            if (!_probing) { Offset += n; return; }
            // The file goes on past the size it had: keep reading, but never past the limit.
            if (Offset >= maxBytes)
                throw new LabelStampException(ErrorCode.InputTooLarge, $"{shown}: grew past the limit of {maxBytes} bytes while being read");
            Array.Resize(ref _buffer, (int)Math.Min(maxBytes, Math.Max(2L * _buffer.Length, 1 << 16)));
            _buffer[Offset++] = _probe[0];
        }

        public byte[] Result() => Offset == _buffer.Length ? _buffer : _buffer[..Offset];
    }

    private static LabelStampException Refusal(FileNodeKind kind, bool followLinks, string shown) => kind switch
    {
        FileNodeKind.SymbolicLink when followLinks => new(ErrorCode.SymlinkRefused, $"{shown}: symbolic link loop (or a chain of more than 40 links); not followed"),
        FileNodeKind.SymbolicLink => new(ErrorCode.SymlinkRefused, $"{shown}: is a symbolic link; links are not followed here"),
        _ => new(ErrorCode.NotRegularFile, $"{shown}: is {Article(kind)}, not a regular file; refused without reading it"),
    };

    private static string Article(FileNodeKind kind) => kind switch
    {
        FileNodeKind.Regular => "a regular file",
        FileNodeKind.Directory => "a directory",
        FileNodeKind.SymbolicLink => "a symbolic link",
        FileNodeKind.Fifo => "a FIFO (named pipe)",
        FileNodeKind.CharacterDevice => "a character device",
        FileNodeKind.BlockDevice => "a block device",
        FileNodeKind.Socket => "a socket",
        _ => "a special file",
    };

    private static LabelStampException TooLarge(string shown, long size, long maxBytes) =>
        new(ErrorCode.InputTooLarge, $"{shown}: {size} bytes is over the limit of {maxBytes} bytes");

    private static LabelStampException Describe(Exception e, string shown) => e is PathTooLongException
        ? new(ErrorCode.PathTooLong, $"{shown}: file name or path is longer than the file system allows", e)
        : new(ErrorCode.IoFailed, $"{shown}: cannot read: {e.Message}", e);
}
