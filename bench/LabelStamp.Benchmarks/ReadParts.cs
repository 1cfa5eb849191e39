using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- read-parts [runs] image,…`: where a read of a marked image (<see cref="ImageMarkDetector.Read(PixelBuffer, LabelStamp.Labels.MarkKey)"/>)
/// spends its time, step by step, thread CPU milliseconds (min / median of interleaved runs), each step alone on the
/// image marked in memory as the digests mark it (<see cref="DigestCorpus"/>): the key material (layout and sync spectra),
/// luma and whitening of the region a read analyses, the autocorrelation with its lattice search (<see cref="ImageMarkDetector.FindLattice"/>),
/// the untouched fold, the sync statistic pair (as folded and mirrored), one decode (soft bits and Viterbi); then whole
/// reads: marked (making the key, as <c>detect-cost</c> times it, and with the key made), the unmarked original, and a
/// 0.75× resized copy of the marked image (which cannot read at the untouched geometry). Images are corpus paths.
/// </summary>
public static class ReadParts
{
    private const int P = ImageMarkLayout.Period;
    /// <summary>The read's analysed side (<c>ImageMarkDetector.AnalysedSide</c>: eight periods and a border).</summary>
    private const int AnalysedSide = 8 * P + 2;

    public static int Run(int runs, string[] images)
    {
        var key = BenchKeys.Corpus;
        string[] parts = ["key", "luma", "whiten", "lattice", "fold", "stat pair", "decode", "read", "read, key made", "read unmarked", "read 0.75x"];
        var resize = ImageAttackSuite.All().First(a => a.ToString() == "resize 0.75x");
        Console.WriteLine($"{runs} runs; thread CPU ms, min / median");
        Console.WriteLine($"{"image",-48} {"MP",5} " + string.Join(" ", parts.Select(p => $"{p,15}")));
        foreach (string name in images)
        {
            PixelBuffer original = VipsPixels.Load(name);
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            ImageMarkEmbedder.Embed(marked, key, DigestCorpus.Payload);
            PixelBuffer resized = resize.Apply(marked);
            int lw = Math.Min(marked.Width, AnalysedSide + 2), lh = Math.Min(marked.Height, AnalysedSide + 2);
            int lx0 = (marked.Width - lw) / 2, ly0 = (marked.Height - lh) / 2;
            int ww = Math.Min(lw, AnalysedSide), wh = Math.Min(lh, AnalysedSide);
            int wx0 = (lw - ww) / 2, wy0 = (lh - wh) / 2;
            var (fx0, fx1, fy0, fy1) = ImageMarkDetector.UntouchedFoldWindow(lw, lh);
            float[] luma = new float[lw * lh], white = new float[lw * lh], fold = new float[P * P], t = new float[P * P], tm = new float[P * P];
            float[] soft = new float[PayloadCodec.CodedBits];
            var material = ImageMarkKeyMaterial.For(key);
            var sync = material.Sync.WithOwnScratch();
            int n = ImageMarkDetector.AutocorrelationSize(lw, lh);
            var times = new double[parts.Length][];
            for (int p = 0; p < parts.Length; p++) times[p] = new double[runs];
            // Untimed passes of every step first (TierWarmUp): the timed runs measure the steps' tier-1 code, not the JIT.
            TierWarmUp.Run(() => Pass(-1));
            for (int r = 0; r < runs; r++) Pass(r);

            void Pass(int r)
            {
                var row = new double[parts.Length];
                row[0] = Time(() => _ = ImageMarkKeyMaterial.For(key));
                row[1] = Time(() => ImageMarkDetector.Luma(marked, luma, lx0, ly0, lw, lh));
                row[2] = Time(() => ImageMarkDetector.Whiten(luma, lw, lh, white, wx0, wy0, wx0 + ww, wy0 + wh));
                row[3] = Time(() => ImageMarkDetector.FindLattice(white, lw, lh, n, out _, out _, out _, out _));
                row[4] = Time(() => { Array.Clear(fold); ImageMarkDetector.FoldUntouched(white, lw, fx0, fx1, fy0, fy1, lx0, ly0, fold); });
                row[5] = Time(() => sync.Statistics(fold, t, tm));
                row[6] = Time(() => { ImageMarkDetector.SoftBits(fold, material.Layout, 0, 0, soft); PayloadCodec.Decode(soft); });
                row[7] = Time(() => ImageMarkDetector.Read(marked, key));
                row[8] = Time(() => ImageMarkDetector.Read(marked, material));
                row[9] = Time(() => ImageMarkDetector.Read(original, key));
                row[10] = Time(() => ImageMarkDetector.Read(resized, key));
                if (r >= 0) for (int p = 0; p < parts.Length; p++) times[p][r] = row[p];
            }
            double mp = original.Width * (double)original.Height / 1e6;
            string file = Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(name)))!, name);
            Console.WriteLine($"{file,-48} {mp,5:F2} " + string.Join(" ", times.Select(v => $"{v.Min(),7:F2}/{Stats.Median(v),7:F2}")));
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static double Time(Action a)
    {
        double t0 = CpuClock.Thread();
        a();
        return (CpuClock.Thread() - t0) * 1000;
    }
}
