using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>
/// Encoded image bytes handed to libvips without a copy: a libvips source over the managed array,
/// which stays pinned (and reachable) until this is disposed. libvips' loaders read their source
/// lazily: the header when the image is opened, the pixels when they are first fetched, which for
/// <c>verify</c>'s sequential decode is long after the load call returned. NetVips' <see cref="Source"/>
/// unpins its array when it is disposed, so a source disposed right after the load left libvips with
/// a pointer into an array the garbage collector was free to move (compaction) or, when the array was
/// a copy only the source referred to, to free and reuse: pixels read from whatever lay there then, or
/// a segfault. Whoever opens an image from this disposes every image made from it first, then this.
/// </summary>
internal sealed class PinnedInput : IDisposable
{
    private PinnedInput(byte[] bytes)
    {
        Bytes = bytes;
        Source = Source.NewFromMemory(bytes);
    }

    /// <summary>The pinned array (the caller's own when it was one whole array).</summary>
    public byte[] Bytes { get; }

    /// <summary>The source libvips reads; valid until <see cref="Dispose"/>.</summary>
    public Source Source { get; }

    /// <summary>Pins <paramref name="data"/>'s array (copying only when the memory is not one whole array).</summary>
    public static PinnedInput Over(ReadOnlyMemory<byte> data)
    {
        VipsRuntime.EnsureInitialised();
        return new PinnedInput(ImageCodec.WholeArray(data));
    }

    public void Dispose() => Source.Dispose();
}
