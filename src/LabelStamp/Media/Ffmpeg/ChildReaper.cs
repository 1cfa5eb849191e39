using System.Collections.Concurrent;
using System.Diagnostics;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// Everything this process started or created that must not outlive it: ffmpeg/ffprobe children and
/// private temp workspaces. Each item's own scope (a <c>using</c>, a <c>finally</c>) kills and deletes
/// them on every ordinary path — success, error, timeout, deadline, cancellation; this is the backstop
/// for the paths that never reach a <c>finally</c>: SIGTERM, SIGINT or SIGQUIT arriving while work is
/// in flight and the host exiting before it unwinds. The .NET runtime turns those signals into
/// <see cref="AppDomain.ProcessExit"/>, where whatever is still registered here is killed and deleted.
/// Process-wide on purpose: signals and process exit are facts about the whole process, not about one
/// component, so one registry per process is the only place that sees every child.
/// </summary>
public static class ChildReaper
{
    private static readonly ConcurrentDictionary<Process, byte> Processes = new();
    private static readonly ConcurrentDictionary<string, byte> Directories = new(StringComparer.Ordinal);

    static ChildReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => ReapAll();

    /// <summary>Children and workspaces alive right now (tests assert that nothing is left).</summary>
    public static int LiveProcesses => Processes.Count;

    public static int LiveDirectories => Directories.Count;

    public static void Track(Process process)
    {
        Processes.TryAdd(process, 0);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Processes.TryRemove(process, out _);
        // Exited may have fired before the handler was attached.
        try { if (process.HasExited) Processes.TryRemove(process, out _); }
        catch (InvalidOperationException) { Processes.TryRemove(process, out _); }
    }

    public static void Track(string directory) => Directories.TryAdd(directory, 0);

    public static void Untrack(string directory) => Directories.TryRemove(directory, out _);

    /// <summary>Kills every live child (with its descendants) and deletes every live workspace.</summary>
    public static void ReapAll()
    {
        foreach (var process in Processes.Keys)
        {
            Kill(process);
            Processes.TryRemove(process, out _);
        }
        foreach (string directory in Directories.Keys)
        {
            DeleteDirectory(directory);
            Directories.TryRemove(directory, out _);
        }
    }

    /// <summary>Kills a child and its descendants and waits (briefly) until it is gone, so that a
    /// workspace deleted next is not written to again by a dying encoder.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (process.HasExited) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(KillWait);
        }
        catch (InvalidOperationException) { /* already gone, or never started: nothing left to stop */ }
        catch (System.ComponentModel.Win32Exception) { /* exited between the check and the signal */ }
    }

    /// <summary>Deletes a workspace; retried a few times because a child killed a moment ago may still
    /// be closing a file in it ("directory not empty").</summary>
    public static void DeleteDirectory(string directory)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(20 << attempt); }
            catch (UnauthorizedAccessException) { return; }
        }
    }

    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);
}
