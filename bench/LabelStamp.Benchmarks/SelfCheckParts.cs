using LabelStamp.Kernels;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- selfcheck-parts [runs] image,…`: where the embedder's self-check (<see cref="ImageMarkDetector.ReadsBack"/>)
/// and the chip-mean read of an unmarked image spend their time, part by part, thread CPU milliseconds
/// (min / median of interleaved runs): the keyed layout and sync spectra, luma, whitening, the fold, the
/// self-check's two-pass fold (<see cref="SelfCheckFold"/>: the three before it in one) through a whitened plane and
/// without one (each band high-passed twice), the sync statistic as folded and mirrored, both from one transform
/// (<see cref="ImageMarkSync.Statistics"/>), one decode, the whole self-check; then the chip-mean fold and
/// its statistic on the unmarked pixels, and a whole unmarked read. Images are corpus paths.
/// </summary>
public static class SelfCheckParts
{
    private const int P = ImageMarkLayout.Period;

    public static int Run(int runs, string[] images)
    {
        var key = BenchKeys.Corpus;
        var payload = MarkPayload.For(new MarkId(0x0123456789abcdef), key);
        string[] parts = ["layout", "sync", "chip ctor", "luma", "whiten", "fold", "two-pass fold", "fold, no plane", "stat", "stat(mirror)", "stat pair", "decode", "self-check", "check, key made", "chip fold", "chip stat", "read unmarked"];
        Console.WriteLine($"width {SpanDriver.BestWidth}, {runs} runs; thread CPU ms, min / median");
        Console.WriteLine($"{"image",-40} {"MP",5} " + string.Join(" ", parts.Select(p => $"{p,13}")));
        foreach (string name in images)
        {
            PixelBuffer original = VipsPixels.Load(name);
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            ImageMarkEmbedder.Embed(marked, key, payload);
            int w = Math.Min(marked.Width, 8 * P + 4), h = Math.Min(marked.Height, 8 * P + 4);
            int x0 = (marked.Width - w) / 2, y0 = (marked.Height - h) / 2;
            float[] luma = new float[w * h], white = new float[w * h], fold = new float[P * P], t = new float[P * P], tm = new float[P * P];
            float[] soft = new float[PayloadCodec.CodedBits];
            var times = new double[parts.Length][];
            for (int p = 0; p < parts.Length; p++) times[p] = new double[runs];
            // Every step untimed first, so the figures are tier-1 code (TierWarmUp); a warm-up pass writes slot 0, which the
            // first real run overwrites.
            TierWarmUp.Run(() => Pass(-1));
            for (int r = 0; r < runs; r++) Pass(r);

            void Pass(int r)
            {
                int ri = Math.Max(r, 0);
                ImageMarkLayout layout = null!;
                ImageMarkSync sync = null!;
                times[0][ri] = Time(() => layout = new ImageMarkLayout(key));
                times[1][ri] = Time(() => sync = new ImageMarkSync(layout));
                times[2][ri] = Time(() => _ = new ImageMarkChipFold(layout));
                times[3][ri] = Time(() => ImageMarkDetector.Luma(marked, luma, x0, y0, w, h));
                times[4][ri] = Time(() => ImageMarkDetector.Whiten(luma, w, h, white, 0, 0, w, h));
                times[5][ri] = Time(() => { Array.Clear(fold); ImageMarkDetector.FoldUntouched(white, w, 1, w - 1, 1, h - 1, x0, y0, fold); });
                times[6][ri] = Time(() => SelfCheckFold.Fold(marked, x0, y0, w, h, luma, white, fold));
                times[7][ri] = Time(() => SelfCheckFold.Fold(marked, x0, y0, w, h, luma, [], fold));
                times[8][ri] = Time(() => sync.Statistic(fold, t));
                times[9][ri] = Time(() => sync.Statistic(ImageMarkSync.Mirror(fold), t));
                times[10][ri] = Time(() => sync.Statistics(fold, t, tm));
                double d0 = CpuClock.Thread();
                ImageMarkDetector.SoftBits(fold, layout, 0, 0, soft);
                PayloadCodec.Decode(soft);
                times[11][ri] = (CpuClock.Thread() - d0) * 1000;
                times[12][ri] = Time(() => ImageMarkDetector.ReadsBack(marked, key, payload));
                times[13][ri] = CheckWithKeyMade(marked, key, payload);
                // The unmarked image's chip path, as the detector runs it: luma of the same region, phase 0.
                ImageMarkDetector.Luma(original, luma, x0, y0, w, h);
                float[]? chipFold = null;
                times[14][ri] = Time(() => chipFold = ImageMarkChipFold.Fold(luma, w, 1, 1, w - 1, h - 1, x0, y0, 0, 0));
                var chip = new ImageMarkChipFold(layout);
                float[] ct = new float[64 * 64];
                times[15][ri] = Time(() => { if (chipFold is not null) chip.Statistic(chipFold, ct); });
                times[16][ri] = Time(() => ImageMarkDetector.Read(original, key));
            }
            double mp = original.Width * (double)original.Height / 1e6;
            Console.WriteLine($"{Path.GetFileName(name),-40} {mp,5:F2} " + string.Join(" ", times.Select(v => $"{v.Min(),6:F2}/{Stats.Median(v),6:F2}")));
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>The self-check as the stamp's watermark runs it: the key's layout and spectra made once, beforehand
    /// (a build without <c>ImageMarkKeyMaterial</c> gets the whole self-check here).</summary>
    private static double CheckWithKeyMade(PixelBuffer marked, MarkKey key, MarkPayload payload)
    {
        var material = ImageMarkKeyMaterial.For(key);
        return Time(() => ImageMarkDetector.ReadsBack(marked, material, payload));
    }

    private static double Time(Action a)
    {
        double t0 = CpuClock.Thread();
        a();
        return (CpuClock.Thread() - t0) * 1000;
    }
}
