using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- embed-parts [runs] [image,…]`: the image embed's parts timed alone on one thread (mask pass,
/// SSIM statistics pass, SSIM budget, the PSNR budget's headroom count, the whole embed, and the whole embed with the key's layout made beforehand
/// as the stamp runs it: MP/s is of that one), min and median milliseconds of thread CPU time (the time the scheduler gave other
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
        Console.WriteLine($"width {SpanDriver.BestWidth}, {runs} runs; ms min / median");
        Console.WriteLine($"{"image",-28} {"MP",6} {"mask",13} {"statistics",13} {"budget",13} {"headroom",13} {"whole embed",13} {"layout made",13} {"MP/s (min)",10}");
        foreach (string name in images)
        {
            PixelBuffer original = VipsPixels.Load(File.Exists(name) ? name : Samples.Path("images", name));
            var work = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            int bw = (original.Width + 7) / 8, bh = (original.Height + 7) / 8;
            byte[] bins = new byte[bw * bh], gains = new byte[bw * bh];
            var t = new double[6][];
            for (int p = 0; p < 6; p++) t[p] = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                t[0][r] = Time(() => PerceptualMask.BlockBins(original, 8, bins, VectorWidth.Auto));
                BlockStatistics stats = null!;
                t[1][r] = Time(() => stats = BlockStatistics.Measure(original, 8, VectorWidth.Auto));
                for (int b = 0; b < gains.Length; b++) gains[b] = 32;   // amplitude 16: the budget always binds
                t[2][r] = Time(() => SsimBudget.Apply(stats, gains, bw));
                stats.Dispose();
                t[5][r] = Time(() => _ = new HeadroomSamples(original, bins, bw, 8));
                original.Data.CopyTo(work.Data, 0);
                t[3][r] = Time(() => ImageMarkEmbedder.Embed(work, key, payload));
                original.Data.CopyTo(work.Data, 0);
                t[4][r] = Time(() => ImageMarkEmbedder.Embed(work, layout, payload));
            }
            double mp = original.Width * (double)original.Height / 1e6;
            string Cell(double[] v) => $"{v.Min(),6:F2}/{Median(v),6:F2}";
            Console.WriteLine($"{Path.GetFileName(name),-28} {mp,6:F2} {Cell(t[0])} {Cell(t[1])} {Cell(t[2])} {Cell(t[5])} {Cell(t[3])} {Cell(t[4])} {mp / (t[4].Min() / 1000),10:F0}");
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

    private static double Median(double[] v)
    {
        double[] s = (double[])v.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
