using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- embed-parts [runs] [image,…]`: the image embed's parts timed alone on one thread, each on what the one
/// before it gave, as the embed runs them (mask pass, PSNR gains with the headroom count, the headroom count alone,
/// SSIM statistics pass, SSIM budget, the budget forced to bisect, flat-area gathering, the tile pass, the whole embed,
/// and the whole embed with the key's layout made beforehand as the stamp runs it: MP/s is of that one), min and median milliseconds of thread CPU time (the time the scheduler gave other
/// processes is not counted) and MP/s of the
/// whole, at the best vector width. Images are paths or samples-media names (a speed figure, not a
/// robustness one). Interleaved runs, so every part sees the same load; on a shared machine the minimum
/// is the robust figure.
/// </summary>
public static class EmbedParts
{
    public static int Run(int runs, string[] images)
    {
        var key = BenchKeys.Corpus;
        var payload = MarkPayload.For(new MarkId(0x0123456789abcdef), key);
        // As the stamp holds it (ImageMarkKeyMaterial): the key's layout made once, not per embed.
        var layout = new ImageMarkLayout(key);
        sbyte[] chips = layout.ChipValues(PayloadCodec.Encode(payload));
        string[] parts = ["mask", "PSNR gains", "full count", "statistics", "SSIM budget", "bound budget", "flat areas", "tile pass", "whole embed", "layout made"];
        Console.WriteLine($"width {SpanDriver.BestWidth}, {runs} runs; thread CPU ms min / median (PSNR gains include the headroom count as the "
            + "embed makes it: none, headroom 0-7 or every class; full count = every class counted on its own; "
            + "bound budget = the SSIM budget with every block planned at amplitude 16, so it always bisects)");
        Console.WriteLine($"{"image",-28} {"MP",6} " + string.Join(' ', parts.Select(p => $"{p,13}")) + $" {"MP/s (min)",10}");
        foreach (string name in images)
        {
            PixelBuffer original = VipsPixels.Load(File.Exists(name) ? name : Samples.Path("images", name));
            var work = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            int bw = (original.Width + 7) / 8, bh = (original.Height + 7) / 8;
            double flat = PerceptualMask.FlatGainFor(original.Width, original.Height);
            byte[] bins = new byte[bw * bh], gains = new byte[bw * bh], planned = new byte[bw * bh], bound = new byte[bw * bh];
            byte[] gainOfBin = new byte[256];
            var t = new double[parts.Length][];
            for (int p = 0; p < parts.Length; p++) t[p] = new double[runs];
            // Tier-1 code for every part of this image's paths before its first figure (TierWarmUp).
            TierWarmUp.Run(() => Pass(-1));
            for (int r = 0; r < runs; r++) Pass(r);

            void Pass(int r)
            {
                Set(t[0], r, Time(() => PerceptualMask.BlockBins(original, 8, bins, VectorWidth.Auto)));
                Set(t[1], r, Time(() => ImageMarkEmbedder.ChooseGains(original, bins, bw, ImageMarkEmbedder.DefaultStrength, flat, gainOfBin)));
                Set(t[2], r, Time(() => _ = new HeadroomSamples(original, bins, bw, 8)));
                for (int b = 0; b < gains.Length; b++) planned[b] = gainOfBin[bins[b]];
                BlockStatistics stats = null!;
                Set(t[3], r, Time(() => stats = BlockStatistics.Measure(original, 8, VectorWidth.Auto)));
                planned.CopyTo(gains, 0);
                Set(t[4], r, Time(() => SsimBudget.Apply(stats, gains, bw)));
                Array.Fill(bound, (byte)32);   // amplitude 16: the budget always binds
                Set(t[5], r, Time(() => SsimBudget.Apply(stats, bound, bw)));
                stats.Dispose();
                Set(t[6], r, Time(() => FlatAreaConcentration.Apply(original, gains, bw)));
                original.Data.CopyTo(work.Data, 0);
                Set(t[7], r, Time(() => ImageMarkEmbedder.AddTile(work, chips, gains, VectorWidth.Auto)));
                original.Data.CopyTo(work.Data, 0);
                Set(t[8], r, Time(() => ImageMarkEmbedder.Embed(work, key, payload)));
                original.Data.CopyTo(work.Data, 0);
                Set(t[9], r, Time(() => ImageMarkEmbedder.Embed(work, layout, payload)));
            }
            double mp = original.Width * (double)original.Height / 1e6;
            string Cell(double[] v) => $"{v.Min(),6:F3}/{Median(v),6:F3}";
            Console.WriteLine($"{Path.GetFileName(name),-28} {mp,6:F2} " + string.Join(' ', t.Select(Cell)) + $" {mp / (t[9].Min() / 1000),10:F0}");
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>Keeps a run's figure; warm-up runs (r &lt; 0) are dropped.</summary>
    private static void Set(double[] times, int r, double ms)
    {
        if (r >= 0) times[r] = ms;
    }

    private static double Time(Action a)
    {
        double t0 = CpuClock.Thread();
        a();
        return (CpuClock.Thread() - t0) * 1000;
    }

    private static double Median(double[] v)
    {
        double[] s = (double[])v.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
