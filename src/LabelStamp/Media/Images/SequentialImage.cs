using System.Runtime.InteropServices;
using LabelStamp.Errors;
using NetVips;

namespace LabelStamp.Media.Images;

/// <summary>
/// An image decoded once, top to bottom, keeping only chosen rectangles of it. `verify` needs the
/// bands along the edges (the visible label) and a central window (the watermark), not the frame: a
/// 100-megapixel RGBA PNG decoded whole is 400 MB of pixels, and libvips' random access held a second
/// copy. The loader runs in sequential mode (a few rows in flight), strips are fetched in order, and
/// each strip's part of every rectangle is copied out; rectangles are given in display orientation and
/// read in stored orientation, so an EXIF-rotated JPEG streams the same way. Alpha is kept: the watermark
/// detector reads it (a hidden pixel takes its visible neighbours' luma, as in the stamp's own check), and
/// without it a stamped transparent image with dithered alpha read as unmarked. The one exception is a lossy
/// WebP with alpha over <see cref="LossyAlphaWebpWholeFramePixels"/>: its colour areas come from libwebp's
/// cropping decoder, which never holds the frame (<see cref="WebpCropDecoder"/>), and its alpha is dropped. A grey or
/// YCbCr JPEG of at most <see cref="JpegWholeFramePixels"/> is decoded whole by libjpeg-turbo alone instead
/// (<see cref="JpegFrameDecoder"/>: the same pixels as libvips' strips, without libvips' pipeline around the decode)
/// and the areas are copied out of that frame.
/// </summary>
public sealed class SequentialImage : IDisposable
{
    /// <summary>Rows per fetch: large enough that libvips' per-call overhead is negligible, small
    /// enough that a strip of the widest image allowed (32,768 px × 3 bands) stays near 6 MB.</summary>
    private const int StripRows = 64;

    /// <summary>Pixels up to which a lossy WebP with alpha is streamed by libvips with its alpha (its loader
    /// decodes the whole frame: 96 MB of RGBA at this size); above it, colour areas only, through libwebp
    /// (a 100 MP one peaked at 393 MiB that way, against a 512 MiB bound for verify).</summary>
    public const long LossyAlphaWebpWholeFramePixels = 24_000_000;

    /// <summary>Pixels up to which a JPEG is decoded whole by libjpeg-turbo (48 MB of RGB at this size, where verify's
    /// bound is 512 MiB for 100 MP), not streamed through libvips' strips: verify's reads at 0.63-0.73 of the strips' CPU
    /// by size band (bench/WATERMARK.md, twenty-eighth step).</summary>
    public const long JpegWholeFramePixels = 16_000_000;

    private readonly Image _pixels;
    /// <summary>The encoded bytes the sequential loader reads from while strips are fetched: pinned until
    /// <see cref="_pixels"/> is disposed, never before (<see cref="PinnedInput"/>).</summary>
    private readonly PinnedInput _input;
    /// <summary>Set when the file is a lossy WebP that the system libwebp decodes area by area
    /// (<see cref="WebpCropDecoder"/>); null when libvips streams the strips.</summary>
    private readonly byte[]? _lossyWebp;
    /// <summary>Set when the file is a JPEG for libjpeg-turbo to decode whole (<see cref="JpegWholeFramePixels"/>); null when
    /// libvips streams the strips. A file that decode declines is streamed too (libvips then reports any damage).</summary>
    private readonly byte[]? _jpeg;
    private readonly int _orientation;
    private readonly string _name;

    private SequentialImage(Image pixels, PinnedInput input, bool webp, bool wholeJpeg, int orientation, string name)
    {
        _pixels = pixels;
        _input = input;
        _lossyWebp = webp && pixels.Bands == 3 && WebpCropDecoder.Reads(input.Bytes) ? input.Bytes : null;
        _jpeg = wholeJpeg && pixels.Bands is 1 or 3 && JpegFrameDecoder.Available ? input.Bytes : null;
        _orientation = orientation;
        _name = name;
        bool turned = orientation is >= 5 and <= 8;
        Width = turned ? pixels.Height : pixels.Width;
        Height = turned ? pixels.Width : pixels.Height;
    }

    /// <summary>Display width.</summary>
    public int Width { get; }

    /// <summary>Display height.</summary>
    public int Height { get; }

    /// <summary>Bands of every rectangle read: 1 (grey), 2 (grey and alpha), 3 (RGB) or 4 (RGBA).</summary>
    public int Bands => _pixels.Bands;

    /// <summary>Opens the loader (header only; no pixel is decoded yet) with the checks of
    /// <see cref="ImageCodec.Decode"/>.</summary>
    public static SequentialImage Open(ReadOnlyMemory<byte> data, ImageHeader header, string name) =>
        Open(data, header, name, LossyAlphaWebpWholeFramePixels, JpegWholeFramePixels);

    /// <summary><see cref="Open(ReadOnlyMemory{byte}, ImageHeader, string)"/> with the size above which a lossy WebP
    /// with alpha is read as colour areas through libwebp, and the size up to which a JPEG is decoded whole by
    /// libjpeg-turbo (tests take each path with small files).</summary>
    internal static SequentialImage Open(ReadOnlyMemory<byte> data, ImageHeader header, string name, long lossyAlphaWebpWholeFramePixels,
        long jpegWholeFramePixels = JpegWholeFramePixels)
    {
        var input = PinnedInput.Over(data);
        Image? source = null;
        try
        {
            source = ImageCodec.Open(input, header, name, Enums.Access.Sequential);
            int orientation = ImageOrientation.Of(source);
            bool alpha = source.Bands is 2 or 4;
            bool webp = header.Format == MediaFormat.WebP && !header.WebpLossless;
            bool wholeJpeg = header.Format == MediaFormat.Jpeg && (long)source.Width * source.Height <= jpegWholeFramePixels;
            if (!alpha || !webp || (long)source.Width * source.Height <= lossyAlphaWebpWholeFramePixels)
                return new SequentialImage(source, input, webp, wholeJpeg, orientation, name);
            // The band extract holds libvips' reference to the loader, so the pin stays with it.
            var colour = source.ExtractBand(0, n: source.Bands - 1);
            source.Dispose();
            return new SequentialImage(colour, input, webp, wholeJpeg: false, orientation, name);
        }
        catch (Exception e)
        {
            source?.Dispose();
            input.Dispose();
            if (e is VipsException vips) throw ImageCodec.Translate(vips, name);
            throw;
        }
    }

    /// <summary>
    /// The pixels of each display-space rectangle, in display orientation, from one pass over the
    /// stored rows. Rows below the lowest rectangle are not decoded; the rows between rectangles are
    /// decoded and dropped. Decoder errors are the typed errors of <see cref="ImageCodec.Decode"/>.
    /// </summary>
    public PixelBuffer[] Read(IReadOnlyList<PixelRect> rectangles, CancellationToken cancellationToken = default) =>
        Read(rectangles.Select(r => new ImageArea(r, 1)).ToList(), cancellationToken);

    /// <summary>As <see cref="Read(IReadOnlyList{PixelRect}, CancellationToken)"/>, each area shrunk
    /// by its factor while it is read (the mean of each factor × factor block, rounded), so only the
    /// shrunk pixels are ever held.</summary>
    public PixelBuffer[] Read(IReadOnlyList<ImageArea> areas, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(areas);
        int bands = Bands;
        var targets = new Target[areas.Count];
        int first = int.MaxValue, end = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            var (r, k) = areas[i];
            if (r.Width <= 0 || r.Height <= 0 || r.X < 0 || r.Y < 0 || r.Right > Width || r.Bottom > Height)
                throw new ArgumentOutOfRangeException(nameof(areas), $"{r} is not inside the {Width}×{Height} image");
            if (k < 1 || r.Width % k != 0 || r.Height % k != 0)
                throw new ArgumentOutOfRangeException(nameof(areas), $"{r} is not a whole number of {k} × {k} blocks");
            targets[i] = new Target(ToStored(r), k, bands);
            first = Math.Min(first, targets[i].Stored.Y);
            end = Math.Max(end, targets[i].Stored.Bottom);
        }
        if (_lossyWebp is not null)
        {
            foreach (var t in targets) ReadLossyWebp(t, cancellationToken);
            return Array.ConvertAll(targets, ToDisplay);
        }
        if (_jpeg is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (JpegFrameDecoder.Decode(_jpeg, _pixels.Width, _pixels.Height) is { } frame && frame.Bands == bands)
            {
                TakeFromFrame(frame, targets);
                return Array.ConvertAll(targets, ToDisplay);
            }
        }
        try
        {
            using var region = Region.New(_pixels);
            for (int y = first; y < end; y += StripRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(StripRows, end - y);
                int left = int.MaxValue, right = 0;
                foreach (var t in targets)
                    if (t.Stored.Y < y + rows && t.Stored.Bottom > y) { left = Math.Min(left, t.Stored.X); right = Math.Max(right, t.Stored.Right); }
                // Skipped strips are still decoded by the sequential loader (it reads forward), just not copied.
                if (left >= right) continue;
                // vips_region_fetch rather than NetVips' Region.Fetch, which copies each strip into a new
                // managed array: at 64 rows of a wide image that is a large-object-heap array per strip,
                // 300 MB of garbage for a 100 MP image, all of it resident until a full collection.
                IntPtr strip = RegionFetch(region.DangerousGetHandle(), left, y, right - left, rows, out _);
                if (strip == IntPtr.Zero) throw new VipsException($"unable to decode rows {y} to {y + rows}");
                try
                {
                    int stripStride = (right - left) * bands;
                    foreach (var t in targets)
                        for (int row = Math.Max(y, t.Stored.Y), to = Math.Min(y + rows, t.Stored.Bottom); row < to; row++)
                            t.Take(strip + (row - y) * stripStride + (t.Stored.X - left) * bands, row - t.Stored.Y);
                }
                finally
                {
                    NetVips.NetVips.Free(strip);
                }
            }
            var result = new PixelBuffer[targets.Length];
            for (int i = 0; i < targets.Length; i++) result[i] = ToDisplay(targets[i]);
            return result;
        }
        catch (VipsException e)
        {
            throw ImageCodec.Translate(e, _name);
        }
    }

    /// <summary>Every row of <paramref name="image"/> (opened for sequential access), all bands, in stored
    /// orientation: fetched strip by strip into one array, so the frame is held once (stamping needs all
    /// of it; <see cref="Read(IReadOnlyList{ImageArea}, CancellationToken)"/> is for keeping parts).</summary>
    internal static byte[] ReadAllRows(Image image, string name)
    {
        int width = image.Width, height = image.Height, stride = width * image.Bands;
        // Every row is copied in below (or the array is dropped with the error), so it is not zeroed first: the
        // memset of new arrays was 2.3 % of a 256 px JPEG's decode bench in perf (bench/WATERMARK.md, fifteenth step).
        var data = GC.AllocateUninitializedArray<byte>(checked((int)((long)stride * height)));
        try
        {
            using var region = Region.New(image);
            for (int y = 0; y < height; y += StripRows)
            {
                int rows = Math.Min(StripRows, height - y);
                IntPtr strip = RegionFetch(region.DangerousGetHandle(), 0, y, width, rows, out _);
                if (strip == IntPtr.Zero) throw new VipsException($"unable to decode rows {y} to {y + rows}");
                try { Marshal.Copy(strip, data, y * stride, rows * stride); }
                finally { NetVips.NetVips.Free(strip); }
            }
        }
        catch (VipsException e)
        {
            throw ImageCodec.Translate(e, name);
        }
        return data;
    }

    /// <summary>Pixels of margin around a WebP crop. libwebp upsamples chroma from the rows and columns
    /// next to each pixel, and at a crop's edges it has only the crop's own; a macroblock (16 px) of
    /// margin on every side gives the area the pixels of a whole-frame decode. Every side needs it: a
    /// crop at a macroblock-aligned origin with no margin past its far edges still differed.</summary>
    private const int WebpCropMargin = 16;

    /// <summary>One area of a lossy WebP through libwebp's cropping decoder: only the macroblock rows
    /// down to the area's last row (plus the margin) are decoded, and only the crop's pixels are
    /// written. The crop starts on an even position (libwebp rounds odd origins down).</summary>
    private void ReadLossyWebp(Target t, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var r = t.Stored;
        int sw = _pixels.Width, sh = _pixels.Height;
        int x = Math.Max(0, r.X - WebpCropMargin) & ~1, y = Math.Max(0, r.Y - WebpCropMargin) & ~1;
        int width = Math.Min(sw, r.Right + WebpCropMargin) - x, height = Math.Min(sh, r.Bottom + WebpCropMargin) - y;
        bool direct = t.Shrink == 1 && (x, y, width, height) == (r.X, r.Y, r.Width, r.Height);
        byte[] rgb = direct ? t.Data : new byte[(long)width * height * 3];
        if (!WebpCropDecoder.DecodeRgb(_lossyWebp!, x, y, width, height, rgb))
            throw new LabelStampException(ErrorCode.CorruptInput, $"{_name}: corrupt image data (libwebp could not decode rows {y} to {y + height})");
        if (direct) return;
        var pin = GCHandle.Alloc(rgb, GCHandleType.Pinned);
        try
        {
            IntPtr origin = pin.AddrOfPinnedObject() + ((r.Y - y) * width + (r.X - x)) * 3;
            for (int row = 0; row < r.Height; row++) t.Take(origin + row * width * 3, row);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>Every area's rows copied out of a whole stored-orientation frame.</summary>
    private static void TakeFromFrame(PixelBuffer frame, Target[] targets)
    {
        var pin = GCHandle.Alloc(frame.Data, GCHandleType.Pinned);
        try
        {
            IntPtr origin = pin.AddrOfPinnedObject();
            foreach (var t in targets)
                for (int row = 0; row < t.Stored.Height; row++)
                    t.Take(origin + (nint)(t.Stored.Y + row) * frame.Stride + t.Stored.X * frame.Bands, row);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>One area being read: its stored rectangle and the (shrunk) pixels gathered so far.</summary>
    private sealed class Target
    {
        private readonly int _bands;
        private readonly byte[]? _row;
        private readonly int[]? _sums;

        public Target(PixelRect stored, int shrink, int bands)
        {
            Stored = stored;
            Shrink = shrink;
            _bands = bands;
            Data = new byte[(long)(stored.Width / shrink) * (stored.Height / shrink) * bands];
            if (shrink > 1)
            {
                _row = new byte[stored.Width * bands];
                _sums = new int[stored.Width / shrink * bands];
            }
        }

        public PixelRect Stored { get; }
        public int Shrink { get; }
        public byte[] Data { get; }

        /// <summary>Row <paramref name="y"/> of the area (rows arrive in order), at <paramref name="source"/>.</summary>
        public void Take(IntPtr source, int y)
        {
            int rowBytes = Stored.Width * _bands;
            if (_sums is null) { Marshal.Copy(source, Data, y * rowBytes, rowBytes); return; }
            Marshal.Copy(source, _row!, 0, rowBytes);
            int k = Shrink, bands = _bands;
            for (int x = 0, p = 0; x < _sums.Length; x += bands)
                for (int dx = 0; dx < k; dx++)
                    for (int b = 0; b < bands; b++) _sums[x + b] += _row![p++];
            if (y % k != k - 1) return;
            int area = k * k, o = y / k * _sums.Length;
            for (int i = 0; i < _sums.Length; i++) Data[o + i] = (byte)((_sums[i] + area / 2) / area);
            Array.Clear(_sums);
        }
    }

    /// <summary>The stored-orientation rectangle that <see cref="ImageOrientation.ToDisplay"/> turns into
    /// <paramref name="r"/>: the bounding box of its two opposite corners mapped back.</summary>
    private PixelRect ToStored(PixelRect r)
    {
        var (ax, ay) = StoredPoint(r.X, r.Y);
        var (bx, by) = StoredPoint(r.Right - 1, r.Bottom - 1);
        return new PixelRect(Math.Min(ax, bx), Math.Min(ay, by), Math.Abs(ax - bx) + 1, Math.Abs(ay - by) + 1);
    }

    /// <summary>The stored pixel shown at display (x, y) for each EXIF orientation (the inverse of
    /// <see cref="ImageOrientation.ToDisplay"/>; libvips' rot90 turns clockwise).</summary>
    private (int X, int Y) StoredPoint(int x, int y)
    {
        int sw = _pixels.Width, sh = _pixels.Height;
        return _orientation switch
        {
            2 => (sw - 1 - x, y),
            3 => (sw - 1 - x, sh - 1 - y),
            4 => (x, sh - 1 - y),
            5 => (y, x),
            6 => (y, sh - 1 - x),
            7 => (sw - 1 - y, sh - 1 - x),
            8 => (sw - 1 - y, x),
            _ => (x, y),
        };
    }

    private PixelBuffer ToDisplay(Target t)
    {
        int w = t.Stored.Width / t.Shrink, h = t.Stored.Height / t.Shrink;
        if (_orientation is < 2 or > 8) return new PixelBuffer(t.Data, w, h, Bands);
        using var raw = Image.NewFromMemory(t.Data, w, h, Bands, Enums.BandFormat.Uchar);
        var shown = ImageOrientation.ToDisplay(raw, _orientation);
        try
        {
            return new PixelBuffer(shown.WriteToMemory<byte>(), shown.Width, shown.Height, shown.Bands);
        }
        finally
        {
            if (!ReferenceEquals(shown, raw)) shown.Dispose();
        }
    }

    public void Dispose()
    {
        _pixels.Dispose();
        _input.Dispose();
    }

    /// <summary>libvips' copy-out of a region's pixels (g_malloc'd; freed by the caller). The library
    /// name is NetVips' own, so it resolves to the same libvips.</summary>
    [DllImport("libvips.so.42", EntryPoint = "vips_region_fetch")]
    private static extern IntPtr RegionFetch(IntPtr region, int left, int top, int width, int height, out nuint length);
}
