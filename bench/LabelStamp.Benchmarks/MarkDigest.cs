using System.Globalization;
using System.Security.Cryptography;
using LabelStamp.Marks.Image;

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
        var (key, payload) = (BenchKeys.Corpus, DigestCorpus.Payload);
        foreach (var (file, original, marked) in DigestCorpus.EveryKth(root, every))
        {
            bool check = ImageMarkDetector.ReadsBack(marked, key, payload);
            var read = ImageMarkDetector.Read(marked, key);
            var unmarked = ImageMarkDetector.Read(original, key);
            Console.WriteLine(string.Join('\t', file, Convert.ToHexStringLower(SHA256.HashData(marked.Data))[..16], check,
                read.Detection?.Payload.ToString() ?? "-", read.PresenceStatistic.ToString("R", CultureInfo.InvariantCulture),
                unmarked.Detection?.Payload.ToString() ?? "-", unmarked.PresenceStatistic.ToString("R", CultureInfo.InvariantCulture)));
        }
        return 0;
    }
}
