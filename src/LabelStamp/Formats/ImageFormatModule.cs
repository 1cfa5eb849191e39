using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;
using NetVips;

namespace LabelStamp.Formats;

/// <summary>
/// An image format: its header (size for the pixel-bomb check, the encoder settings to match), its libvips loader and
/// saver called by name (never libvips' auto-detection), and where its XMP packet lives.
/// </summary>
public abstract class ImageFormatModule : FormatModule
{
    /// <summary>Metadata libvips carries from the source image; XMP is left out because the metadata layer rewrites it.</summary>
    protected const Enums.ForeignKeep KeepAllButXmp =
        Enums.ForeignKeep.Exif | Enums.ForeignKeep.Icc | Enums.ForeignKeep.Iptc | Enums.ForeignKeep.Other;

    /// <summary>Reads the container header without decoding a pixel.</summary>
    public abstract ImageHeader ReadHeader(ReadOnlyMemory<byte> data, string name);

    /// <summary>The libvips loader for this format, over a source of the file's bytes.</summary>
    public abstract Image Load(Source source, Enums.Access access, Enums.FailOn failOn);

    /// <summary>Encodes with settings matched to the input's <paramref name="header"/>.</summary>
    public abstract byte[] Save(Image image, ImageHeader header, ImageEncodeOptions options, string name);

    /// <summary>Encodes as <see cref="Save"/> does, into <paramref name="output"/> piece by piece. By default
    /// the whole file in one piece; a module whose libvips saver writes to a target overrides it, so that
    /// the file is built in pieces we own rather than in libvips' growing buffer that is then copied.</summary>
    public virtual void SaveTo(Image image, ImageHeader header, ImageEncodeOptions options, string name, List<byte[]> output) =>
        output.Add(Save(image, header, options, name));

    /// <summary>The file's XMP packet, or null; a packet over <see cref="MetadataLimits.MaxXmpBytes"/> is refused before it is decoded.</summary>
    public abstract string? ReadXmp(ReadOnlyMemory<byte> file, string name, MetadataLimits limits);

    /// <summary>A copy of <paramref name="file"/> with its XMP replaced by (or set to) <paramref name="xmp"/>, pixels untouched.</summary>
    public abstract byte[] WriteXmp(ReadOnlyMemory<byte> file, string xmp, string name);

    /// <summary>True when the XMP packet must be given to the encoder (<see cref="SaveWithXmp"/>) because it sits in a
    /// structure only the encoder writes; false when <see cref="WriteXmp"/> edits any file of this format.</summary>
    public virtual bool XmpInEncoder => false;

    /// <summary>True when this format's encoder, with the settings <paramref name="header"/> asks for, does not give
    /// back the pixels it was given (a lossy codec): the stamp then checks the watermark on the encoded file.</summary>
    public virtual bool EncodesLossily(ImageHeader header) => false;

    /// <summary>The quality a lossy encode with <paramref name="header"/> and <paramref name="options"/> runs at (the
    /// encoder's 1-100 scale, which differs from codec to codec), or null for a lossless output.</summary>
    public virtual int? LossyQuality(ImageHeader header, ImageEncodeOptions options) => null;

    /// <summary>Settings for a re-encode that keeps more of the frame than <paramref name="header"/> and
    /// <paramref name="options"/> do (a higher lossy quality), or null when this format has none left. The stamp
    /// takes them, one step at a time, when the mark it embedded does not read back from its own lossy encode.</summary>
    public virtual (ImageHeader Header, ImageEncodeOptions Options)? Finer(ImageHeader header, ImageEncodeOptions options) => null;

    /// <summary>The quality a lossy encode at <paramref name="quality"/> is raised to when the mark does not survive
    /// it, or null at the top: two steps, so a failing file costs at most two more encodes.</summary>
    protected static int? FinerQuality(int quality) => quality switch
    {
        < ImageEncodeOptions.MarkKeepingQuality => ImageEncodeOptions.MarkKeepingQuality,
        < ImageEncodeOptions.TopQuality => ImageEncodeOptions.TopQuality,
        _ => null,
    };

    /// <summary>True when <see cref="JoinWithXmp"/> puts the packet in while the encoder's pieces are joined, which saves
    /// <see cref="WriteXmp"/>'s parse and copy of the whole file.</summary>
    public virtual bool XmpAtJoin => false;

    /// <summary>The file made of the encoder's <paramref name="pieces"/> (<see cref="SaveTo"/>, in order) with
    /// <paramref name="xmp"/> in place: byte for byte what <see cref="WriteXmp"/> makes of the joined file. By default
    /// exactly that, joined and then edited.</summary>
    public virtual byte[] JoinWithXmp(List<byte[]> pieces, string xmp, string name) => WriteXmp(ImageCodec.Join(pieces), xmp, name);

    /// <summary>Encodes with the XMP packet in place. By default the encoder's output is edited (<see cref="WriteXmp"/>);
    /// formats whose XMP sits in a structure only the encoder writes set it before encoding instead.</summary>
    public virtual byte[] SaveWithXmp(Image image, ImageHeader header, ImageEncodeOptions options, string xmp, string name) =>
        WriteXmp(Save(image, header, options, name), xmp, name);
}
