using System.Runtime.InteropServices;

namespace LabelStamp.Media.Images;

/// <summary>
/// A JPEG frame decoded by the system libjpeg-turbo through its TurboJPEG API (libturbojpeg.so.0) straight into a
/// buffer we own: a stamp's input (<see cref="ImageCodec.Decode"/>, libvips' loader opened for the metadata alone), its
/// check of its own JPEG output (<see cref="ImageCodec.DecodeWritten"/>) and verify's areas of a JPEG up to
/// <see cref="SequentialImage.JpegWholeFramePixels"/>. libvips' loader runs the same library with
/// the same settings (the accurate integer IDCT, smooth chroma upsampling), so the pixels are the same to the byte (bench
/// `jpeg-decode-identity`: 1,543 corpus files in 14 layouts, JpegFrameDecoderTests); around the decode it builds image
/// objects and region buffers and hands the rows from a worker thread to the caller's, which cost more than the decode
/// itself at small sizes: per file 0.41× libvips' process CPU at 256-384 px (about 1.0-1.3 ms against 0.4-0.5), 0.52-0.53×
/// at 385-768, 0.63-0.65× at 1537-3000 (band medians of two runs, bench/WATERMARK.md, twenty-eighth step).
/// Only 8-bit JPEG with one (grey) or three (YCbCr) components of the expected size is taken. Anything else, a libjpeg
/// warning (<see cref="StopOnWarning"/>) or a missing library gives null, and the caller decodes through libvips, which
/// reports any damage in the project's terms.
/// </summary>
internal static class JpegFrameDecoder
{
    private const string Library = "libturbojpeg.so.0";

    // turbojpeg.h (TurboJPEG 2.x, the API libjpeg-turbo 2.0 and later export under this soname).
    private const int ColourspaceYcbcr = 1, ColourspaceGrey = 2;
    private const int PixelFormatRgb = 0, PixelFormatGrey = 6;
    /// <summary>TJFLAG_STOPONWARNING: a warning (corrupt data the decoder could skip over) ends the decode with an
    /// error instead of a frame with grey or repeated blocks, as libvips' fail-on-warning loader does.</summary>
    private const int StopOnWarning = 8192;

    private static readonly Lazy<bool> Probe = new(() =>
    {
        try
        {
            nint handle = tjInitDecompress();
            if (handle == 0) return false;
            _ = tjDestroy(handle);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>Whether the system libturbojpeg can be used.</summary>
    public static bool Available => Probe.Value;

    /// <summary>
    /// The stored-orientation frame of <paramref name="jpeg"/>, one band for a grey file and RGB for a YCbCr one, when it
    /// is <paramref name="width"/> × <paramref name="height"/> and decodes without a warning; otherwise null.
    /// </summary>
    public static PixelBuffer? Decode(byte[] jpeg, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (!Available) return null;
        nint handle = tjInitDecompress();
        if (handle == 0) return null;
        try
        {
            if (tjDecompressHeader3(handle, jpeg, (nuint)jpeg.Length, out int w, out int h, out _, out int colourspace) != 0
                || w != width || h != height)
                return null;
            (int bands, int format) = colourspace switch
            {
                ColourspaceYcbcr => (3, PixelFormatRgb),
                ColourspaceGrey => (1, PixelFormatGrey),
                _ => (0, 0),
            };
            if (bands == 0) return null;
            var pixels = GC.AllocateUninitializedArray<byte>(checked(width * height * bands));
            return tjDecompress2(handle, jpeg, (nuint)jpeg.Length, pixels, width, width * bands, height, format, StopOnWarning) == 0
                ? new PixelBuffer(pixels, width, height, bands)
                : null;
        }
        finally
        {
            _ = tjDestroy(handle);
        }
    }

    [DllImport(Library)]
    private static extern nint tjInitDecompress();

    [DllImport(Library)]
    private static extern int tjDestroy(nint handle);

    [DllImport(Library)]
    private static extern int tjDecompressHeader3(nint handle, byte[] jpeg, nuint size, out int width, out int height, out int subsampling, out int colourspace);

    [DllImport(Library)]
    private static extern int tjDecompress2(nint handle, byte[] jpeg, nuint size, byte[] destination, int width, int pitch, int height, int pixelFormat, int flags);
}
