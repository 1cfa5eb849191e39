using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Worker.Broker;

/// <summary>
/// Finds the librdkafka that ships with Confluent.Kafka (librdkafka.redist puts it under
/// runtimes/&lt;rid&gt;/native next to the app, and a publish for one runtime — the launcher's and the image's — beside
/// the app itself) so the mock cluster is the same build the client uses.
/// </summary>
public static class LibrdkafkaLocator
{
    public static nint Load()
    {
        string[] candidates = Candidates(AppContext.BaseDirectory);
        if (Find(candidates) is { } found) return found.Handle;
        if (NativeLibrary.TryLoad("librdkafka", typeof(LibrdkafkaLocator).Assembly, null, out nint fallback))
            return fallback;
        throw new LabelStampException(ErrorCode.ToolMissing,
            $"librdkafka not found (looked in {string.Join(", ", candidates)}); it ships with the Confluent.Kafka package (librdkafka.redist)");
    }

    /// <summary>The first of <paramref name="candidates"/> that exists and loads on this machine, or null.</summary>
    internal static (string Path, nint Handle)? Find(IEnumerable<string> candidates)
    {
        foreach (string path in candidates)
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle))
                return (path, handle);
        return null;
    }

    /// <summary>Where an app in <paramref name="baseDir"/> may have librdkafka, in the order tried.</summary>
    internal static string[] Candidates(string baseDir)
    {
        string file = OperatingSystem.IsWindows() ? "librdkafka.dll" : OperatingSystem.IsMacOS() ? "librdkafka.dylib" : "librdkafka.so";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string native = Path.Combine(baseDir, "runtimes", $"{os}-{arch}", "native");
        // Same order as Confluent.Kafka's own loader: the glibc build needs libsasl2, which slim images
        // lack, so fall back to the self-contained centos8 build, then the musl one; in the runtime folder, then beside
        // the app.
        return [.. new[] { native, baseDir }.SelectMany(dir => new[] { file, "centos8-" + file, "alpine-" + file }
            .Select(name => Path.Combine(dir, name)))];
    }
}
