using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// Grows a process pipe from Linux's default 64 KiB to 1 MiB (the unprivileged maximum,
/// /proc/sys/fs/pipe-max-size) with fcntl(F_SETPIPE_SZ). A raw 720p frame is 1.4 MB: through 64 KiB
/// every frame costs ≈ 22 reader/writer wake-ups on each of the two frame pipes, a measurable share
/// of the system time on a machine whose two cores x264 already fills. Best effort: a refusal (older
/// kernel, lower limit, not a pipe) leaves the default and changes nothing else.
/// </summary>
public static class PipeCapacity
{
    public const int Bytes = 1 << 20;
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    /// <summary>True when the pipe behind <paramref name="stream"/> now holds <see cref="Bytes"/>.</summary>
    public static bool TryGrow(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe) return false;
        int fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        return Fcntl(fd, SetPipeSize, Bytes) >= Bytes;
    }
}
