using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `jpeg-mutation-sweep DIR COUNT [SEED]`: damaged JPEGs through the stamp's decode, comparing the direct libjpeg-turbo path
/// (<see cref="JpegFrameDecoder"/>) with libvips' loader on each. COUNT files are made from the JPEGs under DIR (the seed,
/// default 28, fixes which file and which damage): 1-16 random bytes overwritten after the first 2, a truncation, or both.
/// Each goes through <see cref="ImageHeader.Read"/> and <see cref="ImageCodec.Decode"/> as a stamp would, and separately
/// through libvips' loader alone (the decode before the direct path). Counted: files whose header is refused; files
/// decoded by both (and whether the pixels are the same); refused by both, with the typed error; and the disagreements
/// — decoded by one path only — which must be none where the direct path decodes and libvips refuses (the stamp would
/// then label a file the project used to reject). Any exception that is not a <see cref="LabelStampException"/> is
/// printed and fails the sweep (exit 1), as is a disagreement of that kind.
/// </summary>
public static class JpegMutationSweep
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: jpeg-mutation-sweep DIR COUNT [SEED]");
            return 2;
        }
        int count = int.Parse(args[1], CultureInfo.InvariantCulture);
        int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 28;
        VipsRuntime.EnsureInitialised();
        var sources = Directory.EnumerateFiles(args[0], "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).Where(b => b.Length < 2_000_000).ToList();
        var random = new Random(seed);
        int headerRefused = 0, bothDecoded = 0, samePixels = 0, bothRefused = 0, directOnly = 0, vipsOnly = 0, untyped = 0;
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int n = 0; n < count; n++)
        {
            byte[] file = Damage(sources[random.Next(sources.Count)], random);
            ImageHeader header;
            try { header = ImageHeader.Read(file, MediaFormat.Jpeg, "m.jpg"); }
            catch (LabelStampException) { headerRefused++; continue; }
            catch (Exception e) { untyped++; Console.WriteLine($"#{n} header: {e.GetType().Name}: {e.Message}"); continue; }
            byte[]? stamp = null, vips = null;
            string? stampCode = null;
            try
            {
                using var decoded = ImageCodec.Decode(file, header, "m.jpg");
                stamp = decoded.Pixels.Data.AsSpan(0, decoded.Pixels.Stride * decoded.Pixels.Height).ToArray();
            }
            catch (LabelStampException e) { stampCode = e.Code.ToString(); }
            catch (Exception e) { untyped++; Console.WriteLine($"#{n} decode: {e.GetType().Name}: {e.Message}"); continue; }
            try { vips = VipsOnly(file, header); }
            catch (LabelStampException) { }
            catch (Exception e) { untyped++; Console.WriteLine($"#{n} libvips: {e.GetType().Name}: {e.Message}"); continue; }
            bool direct = JpegFrameDecoder.Decode(file, header.Width, header.Height) is not null;
            if (stamp is not null && vips is not null)
            {
                bothDecoded++;
                if (stamp.AsSpan().SequenceEqual(vips)) samePixels++;
            }
            else if (stamp is null && vips is null)
            {
                bothRefused++;
                codes[stampCode!] = codes.GetValueOrDefault(stampCode!) + 1;
            }
            else if (stamp is not null)
            {
                directOnly++;
                Console.WriteLine($"#{n}: the stamp's decode (direct {direct}) decodes a file libvips' loader refuses");
            }
            else vipsOnly++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} damaged JPEGs (seed {seed}, {sources.Count} sources): header refused {headerRefused}; decoded by both {bothDecoded} (same pixels {samePixels}); refused by both {bothRefused}; the stamp's decode only {directOnly}; libvips only {vipsOnly}; untyped exceptions {untyped}"));
        Console.WriteLine("typed errors of the files both refuse: " + string.Join(", ", codes.Select(c => $"{c.Key} {c.Value}")));
        return untyped == 0 && directOnly == 0 ? 0 : 1;
    }

    /// <summary>Overwrites 1-16 bytes after the SOI marker, truncates, or both.</summary>
    private static byte[] Damage(byte[] source, Random random)
    {
        byte[] file = (byte[])source.Clone();
        int kind = random.Next(3);
        if (kind != 1)
            for (int i = random.Next(1, 17); i > 0; i--) file[random.Next(2, file.Length)] = (byte)random.Next(256);
        if (kind != 0) file = file[..random.Next(file.Length / 8, file.Length)];
        return file;
    }

    /// <summary>libvips' loader's decode, as the stamp made it before the direct path, turned to display orientation.</summary>
    private static byte[] VipsOnly(byte[] file, ImageHeader header)
    {
        byte[] rows = JpegDecodeIdentity.VipsRows(file, header, "m.jpg", out int bands, out int orientation);
        if (orientation is < 2 or > 8) return rows;
        using var raw = Image.NewFromMemory(rows, header.Width, header.Height, bands, Enums.BandFormat.Uchar);
        var display = ImageOrientation.ToDisplay(raw, orientation);
        try { return display.WriteToMemory<byte>(); }
        finally { if (!ReferenceEquals(display, raw)) display.Dispose(); }
    }
}
