using System.Diagnostics;
using System.Globalization;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-informed-still CLIP[,CLIP...] EXTRA[,EXTRA...]` (issue 18, round 15; exploration, not product code): can the
/// static video mark win back a still shot, where the picture's own share of each cell's statistic is the same in every
/// frame and the frames' mean does not average it away? The embedder knows that share: per cell, the detector's statistic
/// (sin²-weighted mean − plain mean) of the picture, h. A cell whose h pushes against its chip gets extra bump amplitude
/// in the chip's direction, enough to cancel h (a bump of amplitude a gives a statistic of 0.3125 a), capped at EXTRA
/// levels ("informed"). Compared with the product's uniform amplitude 6 and with a uniform amplitude raised to the same
/// pattern energy as the informed one ("same energy"), so a gain is not just more energy. Per clip: the first frame's
/// luma (Y as stored), marked, looped into a 3 s 25 fps grey clip (chroma 128), x264 veryfast CRF 18 as a stamp would be,
/// then x264 veryfast CRF 23 and CRF 30; each decoded and read by <see cref="VideoMarkDetector"/> on the mean of its 75
/// frames: bits corrected and z, or "miss". PSNR of the pattern against the picture (the clamp included).
/// </summary>
public static class InformedStillMark
{
    private const double BumpStatistic = 0.3125; // E[w²]/E[w] − E[w] for w = sin²·sin²: 9/16 − 1/4
    private const int Fps = 25, Frames = 75;

    public static int Run(string[] clips, double[] extras, string work)
    {
        var key = BenchKeys.Sequential(1);
        var payload = MarkPayload.For(new Labels.MarkId(0x1a2b_3c4d_5e6f_7081), key);
        Directory.CreateDirectory(work);
        Console.WriteLine("| clip | variant | pattern PSNR dB | mean amplitude | pixels | stamp (CRF 18) | CRF 23 vf | CRF 30 vf |");
        Console.WriteLine("|---|---|---:|---:|---|---|---|---|");
        foreach (string clip in clips)
        {
            var (w, h) = GrayFrames.Size(clip);
            byte[] host = GrayFrames.Read(clip, w, h, 1, "extractplanes=y").First().ToArray();
            var layout = VideoMarkLayout.For(key, w, h);
            sbyte[] chip = layout.Chips(payload);
            float[] hostPlane = host.Select(b => (float)b).ToArray();
            float[] stat = VideoMarkDetector.CellStatistics(hostPlane, layout);
            string name = Path.GetFileNameWithoutExtension(clip);
            Row(name, "uniform 6", host, layout, chip, Uniform(layout.Cells, 6), w, h, key, work);
            foreach (double extra in extras)
            {
                double[] informed = new double[layout.Cells];
                for (int c = 0; c < informed.Length; c++)
                {
                    double against = -chip[c] * stat[c] / BumpStatistic; // > 0: the picture pushes against the chip
                    informed[c] = 6 + Math.Clamp(against, 0, extra);
                }
                Row(name, $"informed +≤{extra:0.#}", host, layout, chip, informed, w, h, key, work);
                double rms = Math.Sqrt(informed.Average(a => a * a));
                Row(name, $"same energy {rms:0.##}", host, layout, chip, Uniform(layout.Cells, rms), w, h, key, work);
            }
        }
        return 0;
    }

    private static double[] Uniform(int cells, double a) => Enumerable.Repeat(a, cells).ToArray();

    private static void Row(string name, string variant, byte[] host, VideoMarkLayout l, sbyte[] chip, double[] amplitude, int w, int h,
        Labels.MarkKey key, string work)
    {
        byte[] marked = new byte[w * h];
        double se = 0;
        for (int y = 0; y < h; y++)
        {
            int rb = l.RowCell[y] * l.Cols;
            for (int x = 0; x < w; x++)
            {
                int c = rb + l.ColumnCell[x];
                double v = host[y * w + x] + chip[c] * amplitude[c] * l.RowWeight[y] * l.ColumnWeight[x];
                marked[y * w + x] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                double d = marked[y * w + x] - host[y * w + x];
                se += d * d;
            }
        }
        double psnr = 10 * Math.Log10(255.0 * 255.0 / Math.Max(1e-9, se / (w * h)));
        string pixels = Read(Mean(Enumerable.Repeat(marked, 1), w, h), w, h, key);
        string stamp = Path.Combine(work, "stamp.mp4"), c23 = Path.Combine(work, "c23.mp4"), c30 = Path.Combine(work, "c30.mp4");
        EncodeStill(marked, w, h, stamp);
        FfmpegCommand.Run("-i", stamp, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", c23);
        FfmpegCommand.Run("-i", stamp, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p", c30);
        string Cell(string f) => Read(Mean(GrayFrames.Read(f, w, h, 60, "extractplanes=y"), w, h), w, h, key);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {variant} | {psnr:0.0} | {amplitude.Average():0.00} | {pixels} | {Cell(stamp)} | {Cell(c23)} | {Cell(c30)} |"));
    }

    private static float[] Mean(IEnumerable<byte[]> frames, int w, int h)
    {
        double[] sum = new double[w * h];
        int n = 0;
        foreach (byte[] f in frames)
        {
            for (int p = 0; p < sum.Length; p++) sum[p] += f[p];
            n++;
        }
        return sum.Select(s => (float)(s / Math.Max(1, n))).ToArray();
    }

    private static string Read(float[] mean, int w, int h, Labels.MarkKey key)
    {
        string product = VideoMarkDetector.Detect(mean, w, h, key) is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"{d.BitErrorsCorrected} ({d.ZScore:0.0})")
            : "miss";
        var layout = VideoMarkLayout.For(key, w, h);
        VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        string border = DecodeCells(BorderPredictedStatistics(mean, layout), texture, layout, key);
        return product + " / " + border;
    }

    /// <summary>Per cell: the sin²-weighted mean of the plane minus the Coons patch its four border lines span (bilinear
    /// blend of the left/right columns and top/bottom rows, corners subtracted), so any picture that is a smooth blend of
    /// its borders across the cell cancels, curved or not; the bump is ≈ 0 on the borders and keeps E[w²]/E[w] = 0.5625 of
    /// its amplitude.</summary>
    private static float[] BorderPredictedStatistics(float[] plane, VideoMarkLayout l)
    {
        int w = l.Width, h = l.Height;
        int[] x0 = new int[l.Cols], x1 = new int[l.Cols], y0 = new int[l.Rows], y1 = new int[l.Rows];
        Array.Fill(x0, int.MaxValue); Array.Fill(y0, int.MaxValue);
        for (int x = 0; x < w; x++) { int c = l.ColumnCell[x]; x0[c] = Math.Min(x0[c], x); x1[c] = Math.Max(x1[c], x); }
        for (int y = 0; y < h; y++) { int r = l.RowCell[y]; y0[r] = Math.Min(y0[r], y); y1[r] = Math.Max(y1[r], y); }
        float[] stat = new float[l.Cells];
        for (int r = 0; r < l.Rows; r++)
            for (int c = 0; c < l.Cols; c++)
            {
                int ax = x0[c], bx = x1[c], ay = y0[r], by = y1[r];
                if (bx - ax < 2 || by - ay < 2) continue;
                float P(int x, int y) => plane[y * w + x];
                double sw = 0, swr = 0;
                for (int y = ay + 1; y < by; y++)
                {
                    double v = (double)(y - ay) / (by - ay);
                    for (int x = ax + 1; x < bx; x++)
                    {
                        double u = (double)(x - ax) / (bx - ax);
                        double pred = (1 - u) * P(ax, y) + u * P(bx, y) + (1 - v) * P(x, ay) + v * P(x, by)
                            - ((1 - u) * (1 - v) * P(ax, ay) + u * (1 - v) * P(bx, ay) + (1 - u) * v * P(ax, by) + u * v * P(bx, by));
                        double wt = l.RowWeight[y] * l.ColumnWeight[x];
                        sw += wt;
                        swr += wt * (P(x, y) - pred);
                    }
                }
                stat[r * l.Cols + c] = sw > 0 ? (float)(swr / sw) : 0f;
            }
        return stat;
    }

    private static string DecodeCells(float[] stat, float[] texture, VideoMarkLayout l, Labels.MarkKey key) =>
        VideoMarkDetector.Decode(stat, texture, l, key, candidates: 1) is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"{d.BitErrorsCorrected} ({d.ZScore:0.0})")
            : "miss";

    /// <summary>The marked luma looped for 3 s as 4:2:0 with neutral chroma, x264 veryfast CRF 18 (the stamp's floor).</summary>
    private static void EncodeStill(byte[] luma, int w, int h, string output)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{w}x{h}", "-framerate", Fps.ToString(CultureInfo.InvariantCulture),
            "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", output })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        byte[] chroma = new byte[(w / 2) * (h / 2) * 2];
        Array.Fill(chroma, (byte)128);
        var stdin = p.StandardInput.BaseStream;
        for (int i = 0; i < Frames; i++)
        {
            stdin.Write(luma);
            stdin.Write(chroma);
        }
        stdin.Close();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg (still encode) failed");
    }
}
