using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LabelStamp.Files;

/// <summary>
/// The Linux calls behind <see cref="FileNode"/> and <see cref="RegularFile"/>. statx(2) rather than
/// stat(2): its buffer has one layout on every architecture (struct stat differs between x86-64 and
/// arm64), so the offsets below are fixed by the kernel ABI (include/uapi/linux/stat.h).
/// DllImport rather than LibraryImport: the generated stub would need unsafe code in this assembly.
/// </summary>
internal static class UnixFileCalls
{
    private const int AtCurrentDirectory = -100;      // AT_FDCWD
    private const int AtSymlinkNoFollow = 0x100;      // AT_SYMLINK_NOFOLLOW
    private const int AtEmptyPath = 0x1000;           // AT_EMPTY_PATH: stat the descriptor itself
    private const uint StatxTypeModeSize = 0x1 | 0x2 | 0x200; // STATX_TYPE | STATX_MODE | STATX_SIZE
    private const int StatxBufferBytes = 256;
    private const int StatxModeOffset = 28;           // __u16 stx_mode
    private const int StatxSizeOffset = 40;           // __u64 stx_size

    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;        // O_NONBLOCK (asm-generic, x86 and arm alike)
    private const int OpenCloseOnExec = 0x80000;      // O_CLOEXEC (asm-generic, x86 and arm alike)
    private const int OpenPathOnly = 0x200000;        // O_PATH (asm-generic, x86 and arm alike)

    private const int EPerm = 1, ENoEnt = 2, EAccess = 13, ENotDir = 20, ENameTooLong = 36, ELoop = 40;

    /// <summary>PATH_MAX on Linux: realpath(3) writes at most this many bytes, the terminating NUL included.</summary>
    private const int PathMax = 4096;

    public static FileNode? Stat(string path, bool followLinks)
    {
        byte[] buffer = new byte[StatxBufferBytes];
        if (StatX(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow, StatxTypeModeSize, buffer) == 0)
            return Decode(buffer);
        int errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            ENoEnt or ENotDir => null,
            ELoop => new FileNode(FileNodeKind.SymbolicLink, 0),
            _ => throw Failure(errno, path, "stat"),
        };
    }

    /// <summary>The node behind an open descriptor: what was actually opened, whatever the path names now.</summary>
    public static FileNode Stat(SafeFileHandle handle)
    {
        byte[] buffer = new byte[StatxBufferBytes];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (StatX((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxTypeModeSize, buffer) != 0)
                throw Failure(Marshal.GetLastPInvokeError(), "(open file)", "fstat");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return Decode(buffer);
    }

    /// <summary>
    /// Opens for reading without ever blocking in open(2): O_NONBLOCK makes a FIFO that was put in place
    /// after the type check open at once instead of waiting for a writer (regular files ignore the flag
    /// when read). With <paramref name="noFollow"/>, a last component that is a link fails (ELOOP)
    /// instead of being followed.
    /// </summary>
    public static SafeFileHandle OpenForReading(string path, bool noFollow)
    {
        int flags = OpenReadOnly | OpenNonBlocking | OpenCloseOnExec | (noFollow ? NoFollowFlag() : 0);
        int fd = Open(path, flags);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENoEnt) throw new FileNotFoundException("no such file", path);
            throw Failure(errno, path, "open");
        }
        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    /// <summary>
    /// An O_PATH descriptor for a directory: it names the directory without granting reads, and
    /// <c>/proc/self/fd/N/NAME</c> then reaches an entry inside it by a short path, whatever the length
    /// of the directory's own path (used where the kernel caps path length, as sun_path does).
    /// </summary>
    public static SafeFileHandle OpenDirectoryPath(string path)
    {
        int fd = Open(path, OpenPathOnly | OpenCloseOnExec);
        if (fd < 0) throw Failure(Marshal.GetLastPInvokeError(), path, "open");
        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    /// <summary>Whether opening failed because the last component is a link (O_NOFOLLOW's ELOOP).</summary>
    public static bool IsLinkRefusal(IOException e) => e.HResult == ELoop;

    /// <summary>The canonical absolute path (every link and "." or ".." resolved), or null when a component does not exist.</summary>
    public static string? RealPath(string path)
    {
        byte[] resolved = new byte[PathMax];
        if (RealPathCall(path, resolved) == IntPtr.Zero)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir) return null;
            throw Failure(errno, path, "realpath");
        }
        int length = Array.IndexOf(resolved, (byte)0);
        return System.Text.Encoding.UTF8.GetString(resolved, 0, length < 0 ? resolved.Length : length);
    }

    private static FileNode Decode(byte[] statx)
    {
        // The kernel fills the buffer in the machine's own byte order.
        int mode = BitConverter.ToUInt16(statx, StatxModeOffset) & 0xF000;
        long size = (long)Math.Min(BitConverter.ToUInt64(statx, StatxSizeOffset), long.MaxValue);
        var kind = mode switch
        {
            0x8000 => FileNodeKind.Regular,
            0x4000 => FileNodeKind.Directory,
            0xA000 => FileNodeKind.SymbolicLink,
            0x1000 => FileNodeKind.Fifo,
            0x2000 => FileNodeKind.CharacterDevice,
            0x6000 => FileNodeKind.BlockDevice,
            0xC000 => FileNodeKind.Socket,
            _ => FileNodeKind.Unknown,
        };
        return new FileNode(kind, size);
    }

    /// <summary>O_NOFOLLOW is one of the few open flags whose value differs by architecture (arch/*/include/uapi/asm/fcntl.h).</summary>
    private static int NoFollowFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le or Architecture.Armv6 => 0x8000,
        _ => 0x20000,
    };

    /// <summary>The exception .NET itself would throw for the errno, with the errno kept as HResult.</summary>
    private static Exception Failure(int errno, string path, string call) => errno switch
    {
        ENameTooLong => new PathTooLongException($"{call}: file name or path too long") { HResult = errno },
        EAccess or EPerm => new UnauthorizedAccessException($"{call}: permission denied") { HResult = errno },
        ELoop => new IOException($"{call}: too many levels of symbolic links", errno),
        _ => new IOException($"{call} failed on {Path.GetFileName(path)} (errno {errno})", errno),
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatX(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPathCall([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] resolved);
}
