using System.Globalization;
using LabelStamp.Kernels;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- ssim-level CORPUS_DIR [--every K]`: the SSIM budget's loss level λ found by the embed's search
/// (<c>SsimLossLevel</c>) against the reference bisection, on every K-th corpus image's own blocks, under the gains the
/// embed plans for it and under uniform plans at amplitudes 1, 2, 3, 4, 6, 8, 12 and 16 (the budget binds on most of
/// those, at every kind of level), so a corpus run tries thousands of real block sets. One line per image (trials the
/// search took per plan, or "-" where the budget did not bind), then the disagreements (must be 0) and the trials'
/// distribution.
/// </summary>
public static class SsimLevelAgreement
{
    private static readonly int[] Uniform = [1, 2, 3, 4, 6, 8, 12, 16];

    public static int Run(string[] args)
    {
        string root = args[0];
        int every = args.Length > 2 && args[1] == "--every" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        string[] files = File.ReadAllLines(Path.Combine(root, "manifest.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        int cases = 0, bound = 0, disagreements = 0;
        var trialCounts = new SortedDictionary<int, int>();
        for (int i = 0; i < files.Length; i += every)
        {
            PixelBuffer image = VipsPixels.Load(Path.Combine(root, files[i]));
            int bw = (image.Width + 7) / 8, bh = (image.Height + 7) / 8, n = bw * bh;
            byte[] bins = new byte[n], planned = new byte[n], gainOfBin = new byte[256];
            PerceptualMask.BlockBins(image, 8, bins, VectorWidth.Auto);
            ImageMarkEmbedder.ChooseGains(image, bins, bw, ImageMarkEmbedder.DefaultStrength,
                PerceptualMask.FlatGainFor(image.Width, image.Height), gainOfBin);
            for (int b = 0; b < n; b++) planned[b] = gainOfBin[bins[b]];
            using BlockStatistics stats = BlockStatistics.Measure(image, 8, VectorWidth.Auto);
            var line = new List<string> { files[i] };
            for (int plan = -1; plan < Uniform.Length; plan++)
            {
                byte[] gains = plan < 0 ? planned : Enumerable.Repeat(SsimBudget.GainOfAmplitude(Uniform[plan]), n).ToArray();
                float reference = SsimBudget.Level(stats, gains, SsimBudget.MeanLoss, VectorWidth.Auto, reference: true, out _);
                float found = SsimBudget.Level(stats, gains, SsimBudget.MeanLoss, VectorWidth.Auto, reference: false, out int trials);
                cases++;
                bool same = BitConverter.SingleToInt32Bits(reference) == BitConverter.SingleToInt32Bits(found);
                if (!same)
                {
                    disagreements++;
                    Console.WriteLine($"DISAGREE {files[i]} plan {(plan < 0 ? "embed" : Uniform[plan].ToString(CultureInfo.InvariantCulture))}: reference {reference:R}, search {found:R}");
                }
                if (float.IsNaN(found)) { line.Add("-"); continue; }
                bound++;
                trialCounts[trials] = trialCounts.GetValueOrDefault(trials) + 1;
                line.Add(trials.ToString(CultureInfo.InvariantCulture));
            }
            Console.WriteLine(string.Join('\t', line));
        }
        Console.WriteLine($"block sets {cases}, budget bound on {bound}, disagreements {disagreements}");
        Console.WriteLine("trials: " + string.Join(", ", trialCounts.Select(kv => $"{kv.Key}: {kv.Value}")));
        return disagreements == 0 ? 0 : 1;
    }
}
