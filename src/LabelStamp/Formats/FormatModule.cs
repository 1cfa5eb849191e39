using LabelStamp.Media;
using LabelStamp.Provenance;

namespace LabelStamp.Formats;

/// <summary>
/// Everything the product knows about one container format, in one place (the model is ImageSharp's per-format
/// configuration module): the bytes that identify it, the content types senders use for it, and where its C2PA
/// store lives. Image formats add their header reader, codec settings and XMP location (<see cref="ImageFormatModule"/>).
/// Modules are registered in <see cref="Pipeline.MediaCatalog.Formats"/>, in the order they are tried.
/// </summary>
public abstract class FormatModule
{
    public abstract MediaFormat Format { get; }

    /// <summary>How messages name the format to a person (e.g. "MP4/MOV/M4A").</summary>
    public virtual string DisplayName => Format.Name.ToUpperInvariant();

    /// <summary>True when <paramref name="head"/> (the file's first bytes) is this format.</summary>
    public abstract bool Matches(ReadOnlySpan<byte> head);

    /// <summary>False for a format recognised only to be refused by name (no codec in this build).</summary>
    public virtual bool Supported => true;

    /// <summary>Content types senders use for this format besides <see cref="MediaFormat.ContentType"/>.</summary>
    public virtual IReadOnlyList<string> ContentTypeAliases => [];

    /// <summary>Where a C2PA manifest store is embedded, or null when this format carries none.</summary>
    public virtual ManifestContainer? CreateManifestContainer() => null;

    /// <summary>The ffmpeg demuxer forced for this format whenever ffmpeg reads it (spec §10: never format
    /// auto-detection), or null for formats ffmpeg never reads (images go through libvips).</summary>
    public virtual string? FfmpegDemuxer => null;

    /// <summary>The ffmpeg muxer that writes this format back, or null.</summary>
    public virtual string? FfmpegMuxer => null;

    /// <summary>ISO BMFF assets are bound by <c>c2pa.hash.bmff.v3</c> (C2PA §18.6), others by a data hash.</summary>
    public virtual bool BindsByBmffHash => false;
}
