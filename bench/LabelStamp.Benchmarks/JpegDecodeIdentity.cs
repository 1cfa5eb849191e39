using System.Globalization;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Errors;
using NetVips;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `jpeg-decode-identity DIR [DIR…] [--runs R]`: every JPEG under the folders decoded twice, by libvips' loader (the rows
/// <see cref="ImageCodec.Decode"/> read before the twenty-eighth step) and by the system libjpeg-turbo alone
/// (<see cref="JpegFrameDecoder"/>, what Decode and the stamp's check use now): whether the stored-orientation pixels are
/// the same to the byte, or which files the direct path leaves to libvips (declined). Then, over the files both decode,
/// the process CPU of each decode (minimum of R interleaved rounds per file; medians by size band), and verify's reads
/// (<see cref="SequentialImage"/>: edge bands and the central window) from libvips' strips against the whole frame,
/// compared and timed the same way. One line per file, then the tables. Exits 1 if any file or area differs.
/// </summary>
public static class JpegDecodeIdentity
{
    public static int Run(string[] args)
    {
        int runs = 5;
        var dirs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else dirs.Add(args[i]);
        }
        if (dirs.Count == 0)
        {
            Console.Error.WriteLine("usage: jpeg-decode-identity DIR [DIR…] [--runs R]");
            return 2;
        }
        VipsRuntime.EnsureInitialised();
        var files = dirs.SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        int same = 0, differ = 0, declined = 0;
        var timed = new List<(string Band, double Vips, double Direct)>();
        var verifyTimed = new List<(string Band, double Vips, double Direct)>();
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            ImageHeader header;
            try { header = ImageHeader.Read(bytes, MediaFormat.Jpeg, name); }
            catch (LabelStampException e) { Console.WriteLine($"{file}: not read ({e.Code})"); continue; }
            byte[] viaVips = VipsRows(bytes, header, name, out int bands, out _);
            var direct = JpegFrameDecoder.Decode(bytes, header.Width, header.Height);
            if (direct is null || direct.Bands != bands)
            {
                declined++;
                Console.WriteLine($"{file}: declined ({(direct is null ? "null" : $"{direct.Bands} bands, libvips {bands}")})");
                continue;
            }
            if (!direct.Data.AsSpan().SequenceEqual(viaVips))
            {
                differ++;
                int firstDiff = direct.Data.AsSpan().CommonPrefixLength(viaVips);
                Console.WriteLine($"{file}: DIFFERS from byte {firstDiff} of {viaVips.Length}");
                continue;
            }
            same++;
            double vips = double.MaxValue, mine = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                double t0 = CpuClock.Own();
                VipsRows(bytes, header, name, out _, out _);
                double t1 = CpuClock.Own();
                JpegFrameDecoder.Decode(bytes, header.Width, header.Height);
                double t2 = CpuClock.Own();
                vips = Math.Min(vips, (t1 - t0) * 1e3);
                mine = Math.Min(mine, (t2 - t1) * 1e3);
            }
            double strips = double.MaxValue, whole = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                double t0 = CpuClock.Own();
                var a = VerifyAreas(bytes, header, name, jpegWholeFramePixels: 0);
                double t1 = CpuClock.Own();
                var b = VerifyAreas(bytes, header, name, SequentialImage.JpegWholeFramePixels);
                double t2 = CpuClock.Own();
                strips = Math.Min(strips, (t1 - t0) * 1e3);
                whole = Math.Min(whole, (t2 - t1) * 1e3);
                if (r == 0 && !a.Zip(b).All(p => p.First.Data.AsSpan().SequenceEqual(p.Second.Data)))
                {
                    differ++;
                    Console.WriteLine($"{file}: verify's areas DIFFER between libvips' strips and the whole frame");
                }
            }
            verifyTimed.Add((ImageCorpusManifest.BandOf(header.Width, header.Height), strips, whole));
            timed.Add((ImageCorpusManifest.BandOf(header.Width, header.Height), vips, mine));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: same pixels; {header.Width}x{header.Height}, libvips {vips:F2} ms, alone {mine:F2} ms"));
        }
        Console.WriteLine();
        Console.WriteLine($"{files.Count} JPEG files: {same} the same pixels, {differ} differ, {declined} declined (left to libvips)");
        Console.WriteLine($"process CPU ms, per file the minimum of {runs}; medians by size band (short side):");
        Table(timed, "libvips rows", "libjpeg-turbo alone");
        Console.WriteLine();
        Console.WriteLine("verify's reads (SequentialImage: 64-row bands at the top and bottom and the central window of up to 4,608 px a side),");
        Console.WriteLine("libvips' strips against the frame decoded whole by libjpeg-turbo; the same process CPU figures:");
        Table(verifyTimed, "libvips' strips", "whole frame");
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return differ == 0 ? 0 : 1;
    }

    private static void Table(List<(string Band, double Vips, double Direct)> rows, string vipsColumn, string directColumn)
    {
        Console.WriteLine($"| size band | files | {vipsColumn} | {directColumn} | ratio, median per file |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(t => t.Band).OrderBy(g => g.Min(t => t.Vips)))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(t => t.Vips)):F2} | {Stats.Median(g.Select(t => t.Direct)):F2} | {Stats.Median(g.Select(t => t.Direct / t.Vips)):F2} |"));
    }

    /// <summary>The areas verify reads of a file, through <see cref="SequentialImage"/> with the given whole-frame limit.</summary>
    private static PixelBuffer[] VerifyAreas(byte[] bytes, ImageHeader header, string name, long jpegWholeFramePixels)
    {
        using var image = SequentialImage.Open(bytes, header, name, SequentialImage.LossyAlphaWebpWholeFramePixels, jpegWholeFramePixels);
        int band = Math.Min(64, image.Height / 2), side = 4608;
        int ww = Math.Min(side, image.Width), wh = Math.Min(side, image.Height);
        return image.Read([new PixelRect(0, 0, image.Width, band), new PixelRect(0, image.Height - band, image.Width, band),
            new PixelRect((image.Width - ww) / 2, (image.Height - wh) / 2, ww, wh)]);
    }

    /// <summary>libvips' stored-orientation rows of the file, as <see cref="ImageCodec.Decode"/> read them before, with the
    /// loader's band count and EXIF orientation.</summary>
    internal static byte[] VipsRows(byte[] bytes, ImageHeader header, string name, out int bands, out int orientation)
    {
        using var input = PinnedInput.Over(bytes);
        using var source = ImageCodec.Open(input, header, name, Enums.Access.Sequential);
        bands = source.Bands;
        orientation = ImageOrientation.Of(source);
        return SequentialImage.ReadAllRows(source, name);
    }
}
