using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What a key fixes for the image mark, made once and shared by every embed, self-check and read under it:
/// the chip layout and the sync pattern's spectra (two 256² transforms, about 1 ms: a fifth of a small
/// image's self-check, measured in bench/WATERMARK.md, eighth step; the mirrored corners' spectrum is derived from one of them). Immutable, so one instance may serve
/// several threads; each search takes its own scratch planes (<see cref="ImageMarkSync.WithOwnScratch"/>).
/// </summary>
internal sealed class ImageMarkKeyMaterial
{
    private ImageMarkKeyMaterial(MarkKey key)
    {
        Key = key;
        Layout = new ImageMarkLayout(key);
        KeyNibble = MarkPayload.KeyNibbleOf(key);
        Sync = ImageMarkSync.SpectraOnly(Layout);
    }

    public MarkKey Key { get; }
    public ImageMarkLayout Layout { get; }
    public byte KeyNibble { get; }
    /// <summary>The key's sync spectra; never run a statistic on this instance, take <see cref="ImageMarkSync.WithOwnScratch"/>.</summary>
    public ImageMarkSync Sync { get; }

    public static ImageMarkKeyMaterial For(MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ImageMarkKeyMaterial(key);
    }

    /// <summary>This material when it was made for this very key object, else a new one: the key's bytes never
    /// leave <see cref="MarkKey"/>, and a worker holds one key object for all its messages.</summary>
    public static ImageMarkKeyMaterial Reuse(ImageMarkKeyMaterial? last, MarkKey key) =>
        last is not null && ReferenceEquals(last.Key, key) ? last : For(key);
}
