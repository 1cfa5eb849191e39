using System.Runtime.InteropServices;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Media.Images;

/// <summary>
/// Rectangles of a lossy WebP decoded by the system libwebp (libwebp.so.7) with its cropping option,
/// for <c>verify</c>'s bounded decode (<see cref="SequentialImage"/>). libvips' WebP loader decodes the
/// whole frame into memory whatever the access mode (a 100 MP WebP peaked at 863 MB); libwebp decodes a
/// lossy frame macroblock row by macroblock row down to the rectangle's last row and writes only the
/// rectangle's pixels, into a buffer we own. Lossless (VP8L) frames are decoded whole by libwebp too,
/// so they stay with libvips under their own pixel limit. When libwebp.so.7 is missing (the Dockerfile
/// installs libwebp7) or its structures do not have the layout below, <see cref="Available"/> is false
/// and callers use libvips.
/// </summary>
internal static class WebpCropDecoder
{
    private const string Library = "libwebp.so.7";

    /// <summary>WEBP_DECODER_ABI_VERSION of libwebp 1.x (decode.h): the layout of the structures below.</summary>
    private const int DecoderAbiVersion = 0x0209;

    /// <summary>Lossy frames only: <c>WebPBitstreamFeatures.format</c> is 1 for VP8, 2 for VP8L.</summary>
    private const int FormatLossy = 1;

    private static readonly Lazy<bool> Probe = new(() =>
    {
        if (Marshal.SizeOf<DecoderConfig>() != 240) return false;
        try
        {
            var config = new DecoderConfig();
            return WebPInitDecoderConfigInternal(ref config, DecoderAbiVersion) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>Whether the system libwebp can be used.</summary>
    public static bool Available => Probe.Value;

    /// <summary>Whether <paramref name="webp"/> is one lossy, still frame this decoder reads (false when
    /// libwebp is missing or does not recognise the file).</summary>
    public static bool Reads(byte[] webp) => LossyStill(webp, out _);

    /// <summary>Whether <paramref name="webp"/> is one lossy, still frame without alpha that this decoder reads: the files
    /// libvips' loader opens with three bands (it takes the alpha band from the same bitstream features).</summary>
    public static bool ReadsOpaque(byte[] webp) => LossyStill(webp, out bool alpha) && !alpha;

    private static bool LossyStill(byte[] webp, out bool hasAlpha)
    {
        hasAlpha = false;
        if (!Available) return false;
        var features = new BitstreamFeatures();
        if (WebPGetFeaturesInternal(webp, (nuint)webp.Length, ref features, DecoderAbiVersion) != 0) return false;
        hasAlpha = features.HasAlpha != 0;
        return features.Format == FormatLossy && features.HasAnimation == 0;
    }

    /// <summary>
    /// Decodes the stored-orientation rectangle starting at (<paramref name="x"/>, <paramref name="y"/>),
    /// both even (libwebp rounds odd crop origins down), as RGB rows of <paramref name="width"/> × 3 bytes
    /// into <paramref name="rgb"/>. Returns false when libwebp reports the data corrupt or truncated.
    /// libwebp keeps a whole-frame alpha plane (1 byte a pixel, 100 MB at 100 MP) for as long as it
    /// decodes a frame that has one, whatever the crop or output mode, and verify's peak grew by more
    /// than twice that over its areas (a 100 MP lossy WebP with alpha: 640 MB against 402 MB without);
    /// colour alone needs none of it, so libwebp is given the "VP8 " chunk alone, which holds every
    /// colour sample (the alpha of a lossy WebP is its own ALPH chunk).
    /// </summary>
    public static bool DecodeRgb(byte[] webp, int x, int y, int width, int height, byte[] rgb)
    {
        if ((x | y) % 2 != 0) throw new ArgumentException($"crop origin ({x}, {y}) must be even");
        if (rgb.LongLength < (long)width * height * 3) throw new ArgumentException("output buffer too small");
        var (start, length) = ColourChunk(webp);
        var config = new DecoderConfig();
        if (WebPInitDecoderConfigInternal(ref config, DecoderAbiVersion) == 0) return false;
        config.Options.UseCropping = 1;
        config.Options.CropLeft = x;
        config.Options.CropTop = y;
        config.Options.CropWidth = width;
        config.Options.CropHeight = height;
        var input = GCHandle.Alloc(webp, GCHandleType.Pinned);
        var pin = GCHandle.Alloc(rgb, GCHandleType.Pinned);
        try
        {
            config.Output.Colorspace = 0; // MODE_RGB
            config.Output.IsExternalMemory = 1;
            config.Output.Rgba = pin.AddrOfPinnedObject();
            config.Output.Stride = width * 3;
            config.Output.Size = (nuint)((long)width * height * 3);
            int status = WebPDecode(input.AddrOfPinnedObject() + start, (nuint)length, ref config);
            WebPFreeDecBuffer(ref config.Output);
            return status == 0;
        }
        finally
        {
            pin.Free();
            input.Free();
        }
    }

    /// <summary>
    /// Where the "VP8 " chunk (header included) of an extended-format lossy WebP starts and how long
    /// it is, from the project's RIFF reader; the whole file when there is no VP8X, no such chunk, or
    /// the container does not parse (libwebp then decides, from the whole file, what is wrong with it).
    /// </summary>
    internal static (int Start, int Length) ColourChunk(byte[] webp)
    {
        RiffFile riff;
        try { riff = RiffFile.Parse(webp, "webp"); }
        catch (LabelStampException) { return (0, webp.Length); }   // libwebp reports the damage itself
        RiffChunk? colour = riff.Chunks[0].FourCC == "VP8X" ? riff.Chunks.Find(c => c.FourCC == "VP8 ") : null;
        if (colour is null || !MemoryMarshal.TryGetArray(colour.Data, out ArraySegment<byte> data)) return (0, webp.Length);
        return (data.Offset - 8, data.Count + 8);
    }

    // The structures of libwebp's decode.h (ABI 0x0209), field for field; sizes 40 + 120 + 76 (+4 tail padding).

    [StructLayout(LayoutKind.Sequential)]
    private struct BitstreamFeatures
    {
        public int Width, Height, HasAlpha, HasAnimation, Format;
        private uint _pad0, _pad1, _pad2, _pad3, _pad4;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DecBuffer
    {
        public int Colorspace, Width, Height, IsExternalMemory;
        // union { WebPRGBABuffer RGBA; WebPYUVABuffer YUVA; }: 80 bytes, of which RGBA uses the first 24.
        public IntPtr Rgba;
        public int Stride;
        private int _strideAlignment;
        public nuint Size;
        private long _yuva0, _yuva1, _yuva2, _yuva3, _yuva4, _yuva5, _yuva6;
        private uint _pad0, _pad1, _pad2, _pad3;
        private IntPtr _privateMemory;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DecoderOptions
    {
        public int BypassFiltering, NoFancyUpsampling, UseCropping, CropLeft, CropTop, CropWidth, CropHeight;
        public int UseScaling, ScaledWidth, ScaledHeight, UseThreads, DitheringStrength, Flip, AlphaDitheringStrength;
        private uint _pad0, _pad1, _pad2, _pad3, _pad4;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DecoderConfig
    {
        public BitstreamFeatures Input;
        public DecBuffer Output;
        public DecoderOptions Options;
    }

    [DllImport(Library)]
    private static extern int WebPInitDecoderConfigInternal(ref DecoderConfig config, int version);

    [DllImport(Library)]
    private static extern int WebPGetFeaturesInternal(byte[] data, nuint size, ref BitstreamFeatures features, int version);

    [DllImport(Library)]
    private static extern int WebPDecode(IntPtr data, nuint size, ref DecoderConfig config);

    [DllImport(Library)]
    private static extern void WebPFreeDecBuffer(ref DecBuffer buffer);
}
