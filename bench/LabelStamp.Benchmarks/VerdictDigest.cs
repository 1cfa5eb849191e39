using System.Globalization;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- verdict-digest CORPUS_DIR [--every K] [ATTACK|ATTACK…]`: every field of the detector's verdict, printed in full
/// (the decoded ID, its false-positive probability, candidates, geometry, the presence statistic and its bound), for
/// every K-th corpus image marked in memory, read clean, after each attack (default "jpeg q75|rotate10 10deg") and
/// unmarked. Two builds that print the same lines decide identically on those reads (diff the outputs): the check a
/// detect speed change must pass, where `mark-digest` covers the clean and unmarked reads only.
/// </summary>
public static class VerdictDigest
{
    public static int Run(string[] args)
    {
        string root = args[0];
        int every = args.Length > 2 && args[1] == "--every" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        string attacks = args.Length > 3 ? args[3] : "jpeg q75|rotate10 10deg";
        VipsRuntime.EnsureInitialised();
        var suite = ImageAttackSuite.All();
        var chosen = attacks.Split('|', StringSplitOptions.TrimEntries).Select(n => suite.First(a => a.ToString() == n)).ToArray();
        foreach (var (file, original, marked) in DigestCorpus.EveryKth(root, every))
        {
            var cases = new List<(string Name, PixelBuffer Pixels)> { ("clean", marked) };
            cases.AddRange(chosen.Select(a => (a.ToString(), a.Apply(marked))));
            cases.Add(("unmarked", original));
            foreach (var (name, pixels) in cases)
            {
                var v = ImageMarkDetector.Read(pixels, BenchKeys.Corpus);
                Console.WriteLine(string.Join('\t', file, name, v.Detection?.ToString() ?? "-",
                    v.PresenceStatistic.ToString("R", CultureInfo.InvariantCulture),
                    v.PresenceFalsePositiveProbability.ToString("R", CultureInfo.InvariantCulture), v.Present));
            }
        }
        return 0;
    }
}
