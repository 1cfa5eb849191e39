using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- mark-digest CORPUS_DIR [--every K]`: one line per corpus image with what the mark does to it and reads from
/// it — SHA-256 of the marked pixels, the self-check's answer, the ID and presence statistic (round-trip
/// format) read from the marked pixels and the statistic of the unmarked ones. Two builds that print the same
/// lines embed and read identically on those images (diff the outputs); a speed change must leave them alone.
/// </summary>
public static class MarkDigest
{
    public static int Run(string[] args)
    {
        string root = args[0];
        int every = args.Length > 2 && args[1] == "--every" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var key = BenchKeys.Corpus;
        var payload = MarkPayload.For(new MarkId(0x0123456789abcdef), key);
        string[] files = File.ReadAllLines(Path.Combine(root, "manifest.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        for (int i = 0; i < files.Length; i += every)
        {
            PixelBuffer original = VipsPixels.Load(Path.Combine(root, files[i]));
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            ImageMarkEmbedder.Embed(marked, key, payload);
            bool check = ImageMarkDetector.ReadsBack(marked, key, payload);
            var read = ImageMarkDetector.Read(marked, key);
            var unmarked = ImageMarkDetector.Read(original, key);
            Console.WriteLine(string.Join('\t', files[i], Convert.ToHexStringLower(SHA256.HashData(marked.Data))[..16], check,
                read.Detection?.Payload.ToString() ?? "-", read.PresenceStatistic.ToString("R", CultureInfo.InvariantCulture),
                unmarked.Detection?.Payload.ToString() ?? "-", unmarked.PresenceStatistic.ToString("R", CultureInfo.InvariantCulture)));
        }
        return 0;
    }
}
