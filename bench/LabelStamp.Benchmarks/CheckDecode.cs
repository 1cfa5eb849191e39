using System.Globalization;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- check-decode RUNS FILE[,FILE...]`: ways to decode a stamp's own lossy output for its self-check, in process CPU
/// (libvips decodes on a worker thread of its own), minimum and median of RUNS interleaved rounds: the stamp's path
/// (header parse + <see cref="ImageCodec.Decode"/>), the decode without the header parse, libvips' buffer loader in
/// random access, for a JPEG the buffer loader in each sequential mode and the system libturbojpeg alone (the stamp's
/// check since the twenty-eighth step; each checked to give <see cref="ImageCodec.Decode"/>'s pixels), and for a lossy RGB
/// WebP the system libwebp alone. Each file is first re-encoded as the stamp
/// would (plain decode + encode) so the decoded file is one our encoder wrote.
/// </summary>
public static class CheckDecode
{
    public static int Run(int runs, string[] files)
    {
        VipsRuntime.EnsureInitialised();
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            var format = MediaSniffer.Sniff(input, name);
            var header = ImageHeader.Read(input, format, name);
            byte[] written;
            using (var d = ImageCodec.Decode(input, header, name)) written = ImageCodec.Encode(d, header, new ImageEncodeOptions(), name);
            var variants = new List<(string Name, Action Work)>
            {
                ("header + Decode (stamp)", () => { var h = ImageHeader.Read(written, format, name); using var d = ImageCodec.Decode(written, h, name); }),
                ("Decode, header given", () => { using var d = ImageCodec.Decode(written, header, name); }),
                ("header parse alone", () => ImageHeader.Read(written, format, name)),
                ("vips buffer, random", () =>
                {
                    using var image = format == MediaFormat.Jpeg ? Image.JpegloadBuffer(written, access: Enums.Access.Random)
                        : format == MediaFormat.Png ? Image.PngloadBuffer(written, access: Enums.Access.Random) : Image.WebploadBuffer(written, access: Enums.Access.Random);
                    _ = image.WriteToMemory<byte>();
                }),
            };
            // libvips' JPEG loader has no DCT or upsampling option (the ones that change pixels); its access mode is the
            // pixel-identical choice (sequential-unbuffered is deprecated in 8.18 and runs as sequential): checked against
            // the stamp's decode before it is timed.
            byte[] reference;
            using (var d = ImageCodec.Decode(written, header, name)) reference = d.Pixels.Data;
            if (format == MediaFormat.Jpeg)
                foreach (var (label, access) in new[] { ("vips buffer, sequential", Enums.Access.Sequential) })
                {
                    using (var probe = Image.JpegloadBuffer(written, access: access))
                        Console.WriteLine($"{name}: {label} gives the stamp's pixels: {probe.WriteToMemory<byte>().AsSpan().SequenceEqual(reference)}");
                    variants.Add((label, () =>
                    {
                        using var image = Image.JpegloadBuffer(written, access: access);
                        _ = image.WriteToMemory<byte>();
                    }));
                }
            if (format == MediaFormat.Jpeg && JpegFrameDecoder.Decode(written, header.Width, header.Height) is { } direct)
            {
                Console.WriteLine($"{name}: libturbojpeg alone gives the stamp's pixels: {direct.Data.AsSpan().SequenceEqual(reference)}");
                variants.Add(("libturbojpeg alone", () => JpegFrameDecoder.Decode(written, header.Width, header.Height)));
            }
            if (format == MediaFormat.WebP && WebpCropDecoder.Reads(written))
                variants.Add(("libwebp alone", () =>
                {
                    var rgb = GC.AllocateUninitializedArray<byte>(header.Width * header.Height * 3);
                    WebpCropDecoder.DecodeRgb(written, 0, 0, header.Width, header.Height, rgb);
                }));
            var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (int r = 0; r <= runs; r++)
                foreach (var (label, work) in variants)
                {
                    double t0 = CpuClock.Own();
                    work();
                    double ms = (CpuClock.Own() - t0) * 1e3;
                    if (r > 0) times[label].Add(ms);
                }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {header.Width}x{header.Height}, written {written.Length:N0} bytes; process CPU ms, min / median of {runs}"));
            foreach (var (label, v) in times)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-26} {v.Min(),8:F2} {Stats.Median(v),8:F2}"));
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
