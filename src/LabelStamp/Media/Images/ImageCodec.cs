using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Formats;
using LabelStamp.Metadata.Containers;
using LabelStamp.Pipeline;
using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>
/// NetVips in and out. Decoding calls the format module's loader by name (never libvips' auto-detection)
/// and fails on truncation instead of padding with grey. Encoding writes the same format with the module's
/// settings matched to the input (<see cref="ImageHeader"/>) and carries over EXIF, ICC, IPTC and other
/// metadata untouched; XMP is left out here because the metadata layer rewrites it.
/// </summary>
public static class ImageCodec
{
    /// <summary>Decoder warnings (corrupt entropy data, bad markers) are errors: a labeled copy of a broken
    /// file would look like our fault, and the producer should fix its output instead.</summary>
    private const Enums.FailOn Strictness = Enums.FailOn.Warning;

    /// <summary>Decodes to display orientation. The returned source image carries the metadata to keep.</summary>
    public static DecodedImage Decode(ReadOnlyMemory<byte> data, ImageHeader header, string name)
    {
        PinnedInput? input = PinnedInput.Over(data);
        Image? source = null;
        try
        {
            // Sequential: the rows are copied out strip by strip as they are decoded, so the pixels exist
            // once (random access decoded the frame into libvips' own buffer and then copied it out: two
            // frames, 600 MB more at 100 MP). Only an EXIF-rotated image takes a second frame, to turn it.
            source = Open(input, header, name, Enums.Access.Sequential);
            int orientation = ImageOrientation.Of(source);
            var stored = LossyWebpFrame(input.Bytes, header, source, name) ?? JpegFrame(input.Bytes, header, source)
                ?? new PixelBuffer(SequentialImage.ReadAllRows(source, name), source.Width, source.Height, source.Bands);
            PixelBuffer pixels = stored;
            if (orientation is >= 2 and <= 8)
            {
                using var raw = Image.NewFromMemory(stored.Data, stored.Width, stored.Height, stored.Bands, Enums.BandFormat.Uchar);
                var display = ImageOrientation.ToDisplay(raw, orientation);
                try { pixels = new PixelBuffer(display.WriteToMemory<byte>(), display.Width, display.Height, display.Bands); }
                finally { if (!ReferenceEquals(display, raw)) display.Dispose(); }
            }
            var result = new DecodedImage(source, pixels, orientation, input);
            source = null; // ownership of both moves to the result
            input = null;
            return result;
        }
        catch (VipsException e)
        {
            throw Translate(e, name);
        }
        finally
        {
            source?.Dispose();
            input?.Dispose();
        }
    }

    /// <summary>
    /// The display-oriented pixels of a file this process has just encoded from a frame decoded with
    /// <paramref name="header"/> and <paramref name="orientation"/> (the stamp's check of its own lossy output):
    /// the pixels <see cref="Decode"/> gives, without what only a foreign file needs. The header is the input's
    /// (the encoder keeps size, format and lossless-ness; only the quality may differ, which no decoder reads),
    /// so the written file is not parsed again; an opaque lossy WebP in display orientation goes straight to
    /// libwebp, the decoder <see cref="Decode"/> reaches through <see cref="LossyWebpFrame"/>, without opening
    /// libvips' loader for metadata the check does not read (0.3 ms of a 384 px file's 1.5 ms decode,
    /// 1.2 of 11.7 ms at 1920 × 1080: bench/WATERMARK.md, thirteenth step), and a JPEG in display orientation to
    /// libjpeg-turbo alone (<see cref="JpegFrameDecoder"/>: the same decode without libvips' pipeline around it).
    /// </summary>
    internal static PixelBuffer DecodeWritten(byte[] file, ImageHeader header, int orientation, string name)
    {
        if (orientation == 1 && header.Format == MediaFormat.Jpeg && JpegFrameDecoder.Decode(file, header.Width, header.Height) is { } jpeg)
            return jpeg;
        if (orientation == 1 && header.Format == MediaFormat.WebP && !header.WebpLossless && WebpCropDecoder.ReadsOpaque(file))
        {
            var rgb = GC.AllocateUninitializedArray<byte>(checked(header.Width * header.Height * 3));
            if (!WebpCropDecoder.DecodeRgb(file, 0, 0, header.Width, header.Height, rgb))
                throw new LabelStampException(ErrorCode.Internal, $"{name}: libwebp could not decode the file just encoded");
            return new PixelBuffer(rgb, header.Width, header.Height, 3);
        }
        using var decoded = Decode(file, header, name);
        return decoded.Pixels;
    }

    /// <summary>
    /// A lossy RGB WebP's frame decoded by the system libwebp straight into the frame we keep
    /// (<see cref="WebpCropDecoder"/> over the whole canvas), or null for libvips' rows. libvips' WebP
    /// loader decodes the whole frame into a buffer of its own whatever the access mode, so the
    /// sequential read held two frames at once (stamp of a 100 MP lossy WebP: 850 MB at the end of the
    /// decode). The pixels are the same libwebp decode (WebpCropDecoder's tests compare them with
    /// libvips'); the loader opened on <paramref name="source"/> stays for the metadata and reads none.
    /// </summary>
    private static PixelBuffer? LossyWebpFrame(byte[] file, ImageHeader header, Image source, string name)
    {
        if (header.Format != MediaFormat.WebP || header.WebpLossless || source.Bands != 3 || !WebpCropDecoder.Reads(file)) return null;
        var rgb = GC.AllocateUninitializedArray<byte>(checked(source.Width * source.Height * 3));
        if (!WebpCropDecoder.DecodeRgb(file, 0, 0, source.Width, source.Height, rgb))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{name}: corrupt image data (libwebp could not decode the frame)");
        return new PixelBuffer(rgb, source.Width, source.Height, 3);
    }

    /// <summary>
    /// A JPEG's frame decoded by the system libjpeg-turbo alone (<see cref="JpegFrameDecoder"/>), or null for libvips' rows:
    /// the same library and settings, so the same pixels, without libvips' pipeline around the decode, which cost more
    /// than the decode itself up to a few megapixels (bench/WATERMARK.md, twenty-eighth step). Only a frame the loader
    /// opened on <paramref name="source"/> sees as one or three 8-bit bands, of the header's size, is taken; that loader
    /// stays for the metadata and reads no pixels. A file libjpeg warns about is left to libvips, which reports the
    /// damage in the project's terms (or decodes it, as before, if its own loader has nothing to say).
    /// </summary>
    private static PixelBuffer? JpegFrame(byte[] file, ImageHeader header, Image source)
    {
        if (header.Format != MediaFormat.Jpeg || source.Bands is not (1 or 3)) return null;
        var frame = JpegFrameDecoder.Decode(file, source.Width, source.Height);
        return frame?.Bands == source.Bands ? frame : null;
    }

    /// <summary>
    /// Opens the loader for the sniffed format and checks what it found against the header and what
    /// LabelStamp handles (8-bit, at most 4 bands, not CMYK). Pixels are decoded when first read:
    /// <see cref="Enums.Access.Sequential"/> reads them top to bottom once, holding a few rows
    /// (<see cref="SequentialImage"/>); <see cref="Enums.Access.Random"/> holds them all.
    /// The loader reads <paramref name="input"/> until the last pixel is fetched: the caller keeps it
    /// undisposed until the image, and every image made from it, is disposed.
    /// </summary>
    internal static Image Open(PinnedInput input, ImageHeader header, string name, Enums.Access access)
    {
        Image? source = null;
        try
        {
            // A source over the pinned bytes, not the *loadBuffer calls: those copy the whole file into
            // a libvips blob, a second copy of every input (240 MB for a JPEG of 4,000 APP11 segments).
            source = Module(header, name).Load(input.Source, access, Strictness);
            if (source.Width != header.Width || source.Height != header.Height)
                throw new LabelStampException(ErrorCode.FormatMismatch,
                    $"{name}: header says {header.Width}×{header.Height} but the decoder found {source.Width}×{source.Height}");
            if (source.Format != Enums.BandFormat.Uchar)
                throw new LabelStampException(ErrorCode.UnsupportedPixelFormat,
                    $"{name}: {source.Format} samples (e.g. 16-bit PNG) are not supported; LabelStamp labels 8-bit images");
            if (source.Bands > 4 || source.Interpretation is Enums.Interpretation.Cmyk)
                throw new LabelStampException(ErrorCode.UnsupportedPixelFormat,
                    $"{name}: {source.Interpretation} images with {source.Bands} bands are not supported; convert to sRGB or greyscale");
            var opened = source;
            source = null;
            return opened;
        }
        catch (VipsException e)
        {
            throw Translate(e, name);
        }
        finally
        {
            source?.Dispose();
        }
    }

    /// <summary>The bytes as one array without copying when they are one already (a 100 MP JPEG is tens
    /// of megabytes; every copy counts against verify's memory bound).</summary>
    internal static byte[] WholeArray(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    /// <summary>Encodes display-oriented pixels back to the input's format, orientation, metadata and settings.
    /// A large frame (<see cref="ImageEncodeOptions.IsLarge"/>) is handed over to the encoder: once the
    /// file is made, <paramref name="decoded"/>'s pixels can no longer be read.</summary>
    /// <param name="xmp">The packet for formats whose XMP only the encoder can write (<see cref="ImageFormatModule.XmpInEncoder"/>)
    /// or that put it in while the encoder's pieces are joined (<see cref="ImageFormatModule.XmpAtJoin"/>).</param>
    public static byte[] Encode(DecodedImage decoded, ImageHeader header, ImageEncodeOptions options, string name, string? xmp = null)
    {
        // The libwebp path first: it converts the frame in place, so nothing below may read it after.
        if (LossyWebp(decoded, header, options, name) is { } direct) return direct;
        var module = Module(header, name);
        if (xmp is not null && !module.XmpAtJoin) return Save(decoded, name, image => module.SaveWithXmp(image, header, options, xmp, name));
        var pieces = new List<byte[]>();
        Save(decoded, name, image => { module.SaveTo(image, header, options, name, pieces); return pieces; });
        // The encoder has read the last row: a large frame (300 MB at 100 MP) is let go before the file is
        // joined from its pieces, whose array then takes the frame's place instead of adding to it.
        if (options.IsLarge(header.Width, header.Height))
        {
            decoded.ReleasePixels();
            GC.Collect();
        }
        return xmp is null ? Join(pieces) : module.JoinWithXmp(pieces, xmp, name);
    }

    /// <summary>The frame as a libvips image in stored orientation with the source's metadata, given to
    /// <paramref name="save"/>. Its own method, not inlined, so that no reference to the frame stays in
    /// the caller's stack frame once it returns (unoptimised code keeps locals reported until the end of
    /// the method), and <see cref="Encode"/> can release it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Save<T>(DecodedImage decoded, string name, Func<Image, T> save)
    {
        var px = decoded.Pixels;
        var source = decoded.Source;
        try
        {
            using var raw = Image.NewFromMemory(px.Data, px.Width, px.Height, px.Bands, Enums.BandFormat.Uchar);
            using var tagged = raw.Copy(interpretation: source.Interpretation, xres: source.Xres, yres: source.Yres);
            var stored = ImageOrientation.ToStored(tagged, decoded.Orientation);
            using var storedOwner = ReferenceEquals(stored, tagged) ? null : stored;
            using var image = stored.Mutate(m =>
            {
                foreach (string field in source.GetFields())
                    if (IsCarriedMetadata(field)) m.Set(source.GetTypeOf(field), field, source.Get(field));
            });
            return save(image);
        }
        catch (VipsException e)
        {
            throw new LabelStampException(ErrorCode.Internal, $"{name}: encoding failed: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>The encoder's pieces as one file (the piece itself when there is one).</summary>
    internal static byte[] Join(List<byte[]> pieces)
    {
        if (pieces.Count == 1) return pieces[0];
        long total = pieces.Sum(p => (long)p.Length);
        if (total > Array.MaxLength) throw new LabelStampException(ErrorCode.MetadataTooLarge, "the encoded image would exceed 2 GiB");
        var file = GC.AllocateUninitializedArray<byte>((int)total);
        int at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(file, at);
            at += piece.Length;
        }
        return file;
    }

    /// <summary>
    /// A lossy RGB WebP in stored orientation, encoded by the system libwebp over our frame
    /// (<see cref="WebpFrameEncoder"/>): libvips' webpsave copies the frame into a buffer of its own
    /// before libwebp converts it, 300 MB more at 100 MP. The metadata libvips would carry (ICC profile,
    /// EXIF; XMP is written later by the metadata layer) goes into the extended format's chunks. Null
    /// for every other case, and when libwebp is not there or refuses: libvips then encodes.
    /// </summary>
    private static byte[]? LossyWebp(DecodedImage decoded, ImageHeader header, ImageEncodeOptions options, string name)
    {
        if (header.Format != MediaFormat.WebP || header.WebpLossless || decoded.Orientation is >= 2 and <= 8 || !WebpFrameEncoder.Available
            || decoded.Pixels.Bands != 3)
            return null;
        int width = decoded.Pixels.Width, height = decoded.Pixels.Height;
        byte[]? icc = Blob(decoded.Source, "icc-profile-data"), exif = Blob(decoded.Source, "exif-data");
        var encoded = WebpFrameEncoder.EncodeRgb(decoded, options.WebpQuality, options.WebpEffort(width, height), inPlace: options.IsLarge(width, height));
        if (encoded is null || (icc is null && exif is null)) return encoded;
        var riff = RiffFile.Parse(encoded, name);
        WebpCanvas.EnsureExtended(riff, (icc is null ? 0 : WebpCanvas.FlagIcc) | (exif is null ? 0 : WebpCanvas.FlagExif), name);
        // Chunk order of the extended format: VP8X, ICCP, the image data, EXIF, XMP (added later, last).
        if (icc is not null) riff.Set(new RiffChunk("ICCP", icc), 1);
        if (exif is not null) riff.Set(new RiffChunk("EXIF", exif), riff.Chunks.Count);
        return riff.ToArray();
    }

    private static byte[]? Blob(Image source, string field) =>
        source.GetTypeOf(field) != IntPtr.Zero && source.Get(field) is byte[] { Length: > 0 } blob ? blob : null;

    /// <summary>Metadata fields copied from the source: binary blobs except XMP, PNG text, orientation.</summary>
    private static bool IsCarriedMetadata(string field) =>
        field is "exif-data" or "icc-profile-data" or "iptc-data" or "orientation"
        || field.StartsWith("png-comment-", StringComparison.Ordinal);

    private static ImageFormatModule Module(ImageHeader header, string name) =>
        MediaCatalog.ImageModuleFor(header.Format) ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {header.Format} is not an image format");

    internal static LabelStampException Translate(VipsException e, string name)
    {
        string first = FirstLine(e.Message);
        bool truncated = e.Message.Contains("truncat", StringComparison.OrdinalIgnoreCase)
                         || e.Message.Contains("premature end", StringComparison.OrdinalIgnoreCase)
                         || e.Message.Contains("not enough", StringComparison.OrdinalIgnoreCase)
                         || e.Message.Contains("out of data", StringComparison.OrdinalIgnoreCase);
        return new LabelStampException(truncated ? ErrorCode.TruncatedInput : ErrorCode.CorruptInput,
            $"{name}: {(truncated ? "truncated" : "corrupt")} image data ({first})", e);
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0) ?? message;
        return line.Length > 160 ? line[..160] : line;
    }
}
