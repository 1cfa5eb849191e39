using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LabelStamp.Benchmarks;

/// <summary>
/// CPU seconds used by this process plus every child it has reaped (getrusage RUSAGE_CHILDREN: ffmpeg
/// and ffprobe runs count once they have exited). On a shared 2-core machine wall time swings with the
/// other users' load; the CPU a run needs does not, and with x264 keeping both cores busy it is what
/// the wall time tends to on an idle machine.
/// </summary>
public static class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRUsage(int who, out RUsage usage);

    private const int ChildrenWho = -1;

    /// <summary>Seconds of CPU so far (own threads + reaped children); 0 for the children part off Linux.</summary>
    public static double Now() => Own() + Children();

    /// <summary>Seconds of CPU this process's threads have used.</summary>
    public static double Own() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private const int ThreadCpuClock = 3;   // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Seconds of CPU the calling thread has used (nanosecond resolution on Linux): a part's cost
    /// without the time the scheduler gave other processes, which wall time counts on a loaded machine.</summary>
    public static double Thread() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var t) == 0 ? t.Seconds + t.Nanoseconds / 1e9 : Own();

    /// <summary>Seconds of CPU used by every child reaped so far (0 off Linux).</summary>
    public static double Children() =>
        OperatingSystem.IsLinux() && GetRUsage(ChildrenWho, out var u) == 0
            ? u.UserSeconds + u.UserMicros / 1e6 + u.SystemSeconds + u.SystemMicros / 1e6
            : 0;
}
