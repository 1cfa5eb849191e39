using System.Diagnostics;
using System.Globalization;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Round 5 of issue 18: what the estimator says about each frame of a clip against a key frame
/// <c>interval</c> frames back (or the previous frame, interval 1): fitted or not, still, textured
/// patches, inliers, residual, zoom. Used to see why a clip's motion is followed in only part of its
/// frames. Exploration code: not product code.
/// </summary>
public static class MotionTrace
{
    public static int Run(string clip, double seconds, int interval, bool dense = false, bool lenient = false)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", clip }) psi.ArgumentList.Add(a);
        string[] wh;
        using (var p = Process.Start(psi)!) { wh = p.StandardOutput.ReadToEnd().Trim().Split(','); p.WaitForExit(); }
        int w = int.Parse(wh[0], CultureInfo.InvariantCulture), h = int.Parse(wh[1], CultureInfo.InvariantCulture);
        var est = new TranslationEstimator(w, h, Math.Min(Math.Min(w, h) / 2, 64 * interval)) {
            Similarity = true, GridColumns = dense ? 16 : 8, GridRows = dense ? 9 : 6,
            TextureFloor = lenient ? TranslationEstimator.Lenient.Floor : 0.75,
            MinimumContrast = lenient ? TranslationEstimator.Lenient.Contrast : 1.5,
            MinimumGap = lenient ? TranslationEstimator.Lenient.Gap : 0.3,
        };
        var dec = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
            dec.ArgumentList.Add(a);
        using var d = Process.Start(dec)!;
        var src = d.StandardOutput.BaseStream;
        byte[] buf = new byte[w * h];
        int k = 0, since = 0, fitted = 0, still = 0;
        var sw = new Stopwatch();
        while (true)
        {
            int got = 0;
            while (got < buf.Length) { int r = src.Read(buf, got, buf.Length - got); if (r == 0) break; got += r; }
            if (got < buf.Length) break;
            sw.Start();
            var m = est.EstimateFromReference(buf);
            since++;
            if (!est.HasReference || since >= interval) { est.PromoteCurrent(); since = 0; }
            sw.Stop();
            if (m.Global) fitted++;
            if (m.Still) still++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{k++,4} {(m.Global ? "FIT" : m.Still ? "still" : "-"),5} textured {m.Textured,2} inliers {m.Inliers,2} rms {m.Residual:0.00} t ({m.Tx:0.00}, {m.Ty:0.00}) zoom {m.Zoom:0.00000}"));
        }
        d.WaitForExit();
        Console.WriteLine($"{k} frames: {fitted} fitted, {still} still, {sw.Elapsed.TotalMilliseconds / Math.Max(1, k):0.0} ms/frame");
        return 0;
    }
}
