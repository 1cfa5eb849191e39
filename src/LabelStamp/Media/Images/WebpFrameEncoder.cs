using System.Runtime.InteropServices;
using LabelStamp.Errors;

namespace LabelStamp.Media.Images;

/// <summary>
/// Lossy WebP encoding of our RGB frame by the system libwebp (libwebp.so.7), with the settings libvips'
/// <c>webpsave</c> uses for a still lossy image (the default preset at the quality, the effort as the
/// method, 4:2:0 without sharp YUV). libvips first copies the frame into a buffer of its own (a
/// sink to memory, 300 MB at 100 MP) and only then lets libwebp convert it to YUV; here libwebp reads
/// our pinned frame, so the only other frame-sized allocation is its YUV picture (1.5 bytes a pixel).
/// The output is the simple-format file (RIFF, "VP8 "); the caller adds metadata chunks.
/// When libwebp.so.7 is missing or its encoder ABI is not the one below, <see cref="Available"/> is
/// false and callers use libvips.
/// </summary>
internal static class WebpFrameEncoder
{
    private const string Library = "libwebp.so.7";

    /// <summary>WEBP_ENCODER_ABI_VERSION of libwebp 1.x (encode.h); libwebp checks the major byte.</summary>
    private const int EncoderAbiVersion = 0x020f;

    // Byte offsets in encode.h's structures on a 64-bit build. WebPConfig: lossless, quality, method
    // are its first three fields. WebPPicture (256 bytes): see the field list in encode.h.
    private const int ConfigMethod = 8;
    private const int PictureUseArgb = 0, PictureColorspace = 4, PictureWidth = 8, PictureHeight = 12;
    private const int PictureY = 16, PictureU = 24, PictureV = 32, PictureYStride = 40, PictureUvStride = 44;
    private const int PictureWriter = 96, PictureCustomPtr = 104, PictureErrorCode = 136;
    /// <summary>Room for the structures: larger than either (WebPConfig is about 130 bytes, WebPPicture 256).</summary>
    private const int StructBytes = 512;
    /// <summary>WebPMemoryWriter: mem, size, max_size, pad.</summary>
    private const int WriterBytes = 32;

    private static readonly Lazy<IntPtr> MemoryWrite = new(() =>
    {
        if (IntPtr.Size != 8) return IntPtr.Zero;
        try
        {
            var library = NativeLibrary.Load(Library);
            if (WebPGetEncoderVersion() >> 16 != 1) return IntPtr.Zero;
            return NativeLibrary.GetExport(library, "WebPMemoryWrite");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return IntPtr.Zero;
        }
    });

    /// <summary>Whether the system libwebp's encoder can be used.</summary>
    public static bool Available => MemoryWrite.Value != IntPtr.Zero;

    /// <summary>
    /// The RGB frame of <paramref name="decoded"/> (3 bands) as a lossy WebP at <paramref name="quality"/>
    /// and <paramref name="method"/> (libvips' effort), or null when libwebp refuses it before the frame
    /// is touched (the caller then uses libvips, which reports the reason). After that point a failure
    /// is an exception.
    /// <para>
    /// <paramref name="inPlace"/>: libwebp's import converts the whole frame into a YUV picture of its own,
    /// 1.5 bytes a pixel beside our 3 (150 MB more at 100 MP). In place, the frame is converted strip by
    /// strip (each strip imported by libwebp into a small picture, so the samples are exactly those of
    /// the whole import: libwebp converts rows in pairs, independently) and the YUV rows are written back
    /// into the frame's own memory, over RGB rows already read: luma row r at the start of RGB row r
    /// (stride 3 w), chroma row k after luma row 2k (stride 6 w). The encoder then reads the planes from
    /// there, and the frame, pinned until the encode ends, is released: its pixels are no longer RGB.
    /// </para>
    /// </summary>
    public static byte[]? EncodeRgb(DecodedImage decoded, int quality, int method, bool inPlace)
    {
        IntPtr config = IntPtr.Zero, picture = IntPtr.Zero, writer = IntPtr.Zero;
        bool pictureReady = false, writerReady = false;
        GCHandle frame = default;
        try
        {
            config = Zeroed(StructBytes);
            picture = Zeroed(StructBytes);
            writer = Zeroed(WriterBytes);
            if (WebPConfigInitInternal(config, 0 /* WEBP_PRESET_DEFAULT */, quality, EncoderAbiVersion) == 0) return null;
            Marshal.WriteInt32(config, ConfigMethod, method);
            if (WebPValidateConfig(config) == 0) return null;
            if (WebPPictureInitInternal(picture, EncoderAbiVersion) == 0) return null;
            pictureReady = true;
            if (inPlace)
            {
                frame = GCHandle.Alloc(decoded.Pixels.Data, GCHandleType.Pinned);
                if (!ConvertInPlace(picture, frame.AddrOfPinnedObject(), decoded.Pixels)) return null;
                decoded.ReleasePixels();
            }
            else if (!Import(picture, decoded)) return null;
            WebPMemoryWriterInit(writer);
            writerReady = true;
            Marshal.WriteIntPtr(picture, PictureWriter, MemoryWrite.Value);
            Marshal.WriteIntPtr(picture, PictureCustomPtr, writer);
            var mem = WebPEncode(config, picture) == 0 ? IntPtr.Zero : Marshal.ReadIntPtr(writer, 0);
            long size = Marshal.ReadInt64(writer, 8);
            if (mem == IntPtr.Zero || size <= 0 || size > Array.MaxLength)
                throw new LabelStampException(ErrorCode.Internal, $"libwebp could not encode the frame (error {Marshal.ReadInt32(picture, PictureErrorCode)})");
            var output = GC.AllocateUninitializedArray<byte>((int)size);
            Marshal.Copy(mem, output, 0, output.Length);
            return output;
        }
        finally
        {
            if (writerReady) WebPMemoryWriterClear(writer);
            if (pictureReady) WebPPictureFree(picture); // frees only what libwebp allocated: the in-place planes are the frame's
            if (frame.IsAllocated) frame.Free();
            Marshal.FreeHGlobal(writer);
            Marshal.FreeHGlobal(picture);
            Marshal.FreeHGlobal(config);
        }
    }

    /// <summary>Rows per strip of the in-place conversion: even, so every strip but the last holds whole
    /// row pairs (one chroma row each); 64 rows of the widest frame are a 3 MB import.</summary>
    private const int StripRows = 64;

    /// <summary>
    /// Converts the pinned RGB frame at <paramref name="rgb"/> into YUV 4:2:0 planes laid over it (see
    /// <see cref="EncodeRgb"/>) and points <paramref name="picture"/>'s planes there. False when libwebp
    /// refuses the first strip (nothing has been overwritten then); a later refusal, after rows were
    /// overwritten, is an exception.
    /// </summary>
    private static bool ConvertInPlace(IntPtr picture, IntPtr rgb, PixelBuffer frame)
    {
        int w = frame.Width, h = frame.Height, stride = frame.Stride, chromaWidth = (w + 1) / 2;
        // Each destination lies inside RGB rows the strip has already handed to libwebp: luma row r at
        // 3w·r, chroma row k at 6w·k + w (U) and 6w·k + w + ⌈w/2⌉ (V), all before the next strip's rows.
        var strip = Zeroed(StructBytes);
        var row = new byte[Math.Max(w, chromaWidth)];
        try
        {
            for (int top = 0; top < h; top += StripRows)
            {
                int rows = Math.Min(StripRows, h - top);
                if (WebPPictureInitInternal(strip, EncoderAbiVersion) == 0) return Refused(top);
                Marshal.WriteInt32(strip, PictureUseArgb, 0);
                Marshal.WriteInt32(strip, PictureWidth, w);
                Marshal.WriteInt32(strip, PictureHeight, rows);
                bool imported = WebPPictureImportRGB(strip, rgb + (nint)((long)top * stride), stride) != 0;
                try
                {
                    if (!imported || Marshal.ReadIntPtr(strip, PictureY) == IntPtr.Zero || Marshal.ReadInt32(strip, PictureYStride) != w) return Refused(top);
                    IntPtr y = Marshal.ReadIntPtr(strip, PictureY), u = Marshal.ReadIntPtr(strip, PictureU), v = Marshal.ReadIntPtr(strip, PictureV);
                    int uvStride = Marshal.ReadInt32(strip, PictureUvStride);
                    for (int r = 0; r < rows; r++)
                        Move(y + (nint)r * w, rgb + (nint)((long)(top + r) * stride), w, row);
                    for (int k = 0; k < (rows + 1) / 2; k++)
                    {
                        long pair = (long)(top / 2 + k) * 2 * stride;
                        Move(u + (nint)k * uvStride, rgb + (nint)(pair + w), chromaWidth, row);
                        Move(v + (nint)k * uvStride, rgb + (nint)(pair + w + chromaWidth), chromaWidth, row);
                    }
                }
                finally
                {
                    WebPPictureFree(strip);
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal(strip);
        }
        Marshal.WriteInt32(picture, PictureUseArgb, 0);
        Marshal.WriteInt32(picture, PictureColorspace, 0); // WEBP_YUV420
        Marshal.WriteInt32(picture, PictureWidth, w);
        Marshal.WriteInt32(picture, PictureHeight, h);
        Marshal.WriteIntPtr(picture, PictureY, rgb);
        Marshal.WriteIntPtr(picture, PictureU, rgb + w);
        Marshal.WriteIntPtr(picture, PictureV, rgb + w + chromaWidth);
        Marshal.WriteInt32(picture, PictureYStride, stride);
        Marshal.WriteInt32(picture, PictureUvStride, 2 * stride);
        return true;
    }

    private static bool Refused(int top) =>
        top == 0 ? false : throw new LabelStampException(ErrorCode.Internal, $"libwebp refused to convert the rows from {top} on, after the rows above were converted");

    /// <summary>Native to native through a managed row (no unsafe code in this assembly).</summary>
    private static void Move(IntPtr from, IntPtr to, int count, byte[] row)
    {
        Marshal.Copy(from, row, 0, count);
        Marshal.Copy(row, 0, to, count);
    }

    /// <summary>The frame converted into a YUV picture of libwebp's own by its whole-frame import.</summary>
    private static bool Import(IntPtr picture, DecodedImage decoded)
    {
        var pixels = decoded.Pixels;
        if (pixels.Bands != 3) throw new ArgumentException("RGB frames only", nameof(decoded));
        var pin = GCHandle.Alloc(pixels.Data, GCHandleType.Pinned);
        try
        {
            Marshal.WriteInt32(picture, PictureUseArgb, 0);
            Marshal.WriteInt32(picture, PictureWidth, pixels.Width);
            Marshal.WriteInt32(picture, PictureHeight, pixels.Height);
            if (WebPPictureImportRGB(picture, pin.AddrOfPinnedObject(), pixels.Stride) == 0) return false;
            // The layout check that matters: the import filled the luma plane where encode.h says it is.
            return Marshal.ReadIntPtr(picture, PictureY) != IntPtr.Zero && Marshal.ReadInt32(picture, PictureYStride) == pixels.Width;
        }
        finally
        {
            pin.Free();
        }
    }

    private static IntPtr Zeroed(int bytes)
    {
        var p = Marshal.AllocHGlobal(bytes);
        Marshal.Copy(new byte[bytes], 0, p, bytes);
        return p;
    }

    [DllImport(Library)]
    private static extern int WebPGetEncoderVersion();

    [DllImport(Library)]
    private static extern int WebPConfigInitInternal(IntPtr config, int preset, float quality, int version);

    [DllImport(Library)]
    private static extern int WebPValidateConfig(IntPtr config);

    [DllImport(Library)]
    private static extern int WebPPictureInitInternal(IntPtr picture, int version);

    [DllImport(Library)]
    private static extern int WebPPictureImportRGB(IntPtr picture, IntPtr rgb, int stride);

    [DllImport(Library)]
    private static extern void WebPPictureFree(IntPtr picture);

    [DllImport(Library)]
    private static extern void WebPMemoryWriterInit(IntPtr writer);

    [DllImport(Library)]
    private static extern void WebPMemoryWriterClear(IntPtr writer);

    [DllImport(Library)]
    private static extern int WebPEncode(IntPtr config, IntPtr picture);
}
