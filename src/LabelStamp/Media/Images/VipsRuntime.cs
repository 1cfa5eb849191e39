using LabelStamp.Errors;

namespace LabelStamp.Media.Images;

/// <summary>
/// Process-wide libvips settings, applied once before the first image: untrusted loaders blocked
/// (we only ever call the format modules' loaders by name — JPEG, PNG, WebP, HEIF for AVIF — never format auto-detection), the
/// operation cache off (every item is new; caching would only hold memory), and libvips' own thread
/// pool kept small because LabelStamp already parallelises across items. libvips and GLib print
/// warnings about damaged files straight to stderr, raw (bytes from the file included, several lines
/// per file); they are routed to <see cref="WarningSink"/> instead, one escaped line each, so the
/// CLI's one-line-per-error output and the worker's structured log stay intact.
/// </summary>
public static class VipsRuntime
{
    private static readonly string[] Domains = ["VIPS", "GLib", "GLib-GObject"];

    private static readonly Lazy<bool> Initialised = new(() =>
    {
        NetVips.NetVips.BlockUntrusted = true;
        NetVips.Cache.Max = 0;
        NetVips.Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = 1;
        foreach (string domain in Domains)
            NetVips.Log.SetLogHandler(domain, NetVips.Enums.LogLevelFlags.Warning | NetVips.Enums.LogLevelFlags.Critical | NetVips.Enums.LogLevelFlags.Message,
                (d, _, message) => WarningSink?.Invoke(PrintableText.Escape($"{d}: {message}")));
        return true;
    });

    /// <summary>Where libvips' warnings go (already one printable line). By default nowhere: the typed
    /// error of the item says what is wrong with it; the worker points this at its log.</summary>
    public static Action<string> WarningSink { get; set; } = static _ => { };

    public static void EnsureInitialised() => _ = Initialised.Value;
}
