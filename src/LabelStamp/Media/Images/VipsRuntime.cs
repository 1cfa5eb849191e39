namespace LabelStamp.Media.Images;

/// <summary>
/// Process-wide libvips settings, applied once before the first image: untrusted loaders blocked
/// (we only ever call the JPEG, PNG and WebP loaders by name, never format auto-detection), the
/// operation cache off (every item is new; caching would only hold memory), and libvips' own thread
/// pool kept small because LabelStamp already parallelises across items.
/// </summary>
public static class VipsRuntime
{
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        NetVips.NetVips.BlockUntrusted = true;
        NetVips.Cache.Max = 0;
        NetVips.Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = 1;
        return true;
    });

    public static void EnsureInitialised() => _ = Initialised.Value;
}
