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
/// the process CPU of each (minimum of R interleaved rounds per file; medians by size band) and of the two whole decodes
/// through <see cref="ImageCodec.Decode"/> as the stamp makes them. Exits 1 if any file differs.
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
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            ImageHeader header;
            try { header = ImageHeader.Read(bytes, MediaFormat.Jpeg, name); }
            catch (LabelStampException e) { Console.WriteLine($"{file}: not read ({e.Code})"); continue; }
            byte[] viaVips = VipsRows(bytes, header, name, out int bands);
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
                VipsRows(bytes, header, name, out _);
                double t1 = CpuClock.Own();
                JpegFrameDecoder.Decode(bytes, header.Width, header.Height);
                double t2 = CpuClock.Own();
                vips = Math.Min(vips, (t1 - t0) * 1e3);
                mine = Math.Min(mine, (t2 - t1) * 1e3);
            }
            timed.Add((ImageCorpusManifest.BandOf(header.Width, header.Height), vips, mine));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: same pixels; {header.Width}x{header.Height}, libvips {vips:F2} ms, alone {mine:F2} ms"));
        }
        Console.WriteLine();
        Console.WriteLine($"{files.Count} JPEG files: {same} the same pixels, {differ} differ, {declined} declined (left to libvips)");
        Console.WriteLine($"process CPU ms, per file the minimum of {runs}; medians by size band (short side):");
        Console.WriteLine("| size band | files | libvips rows | libjpeg-turbo alone | ratio, median per file |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var g in timed.GroupBy(t => t.Band).OrderBy(g => g.Min(t => t.Vips)))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.Count()} | {Stats.Median(g.Select(t => t.Vips)):F2} | {Stats.Median(g.Select(t => t.Direct)):F2} | {Stats.Median(g.Select(t => t.Direct / t.Vips)):F2} |"));
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return differ == 0 ? 0 : 1;
    }

    /// <summary>libvips' stored-orientation rows of the file, as <see cref="ImageCodec.Decode"/> read them before.</summary>
    private static byte[] VipsRows(byte[] bytes, ImageHeader header, string name, out int bands)
    {
        using var input = PinnedInput.Over(bytes);
        using var source = ImageCodec.Open(input, header, name, Enums.Access.Sequential);
        bands = source.Bands;
        return SequentialImage.ReadAllRows(source, name);
    }
}
