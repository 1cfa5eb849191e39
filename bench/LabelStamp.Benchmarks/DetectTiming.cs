using System.Diagnostics;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- detect-timing [runs] [images-only]`: min and median stopwatch time of <see cref="ImageMarkDetector.Detect"/>
/// on marked and unmarked full-size photos (decode excluded, one thread). On a shared machine the
/// minimum is the robust figure; BenchmarkDotNet medians swing with the load.
/// </summary>
public static class DetectTiming
{
    public static int Run(int runs, bool autocorrelationAb = true)
    {
        var key = BenchKeys.Corpus;
        var payload = MarkPayload.For(new MarkId(0x0123456789abcdef), key);
        string[] names = (Environment.GetEnvironmentVariable("LS_IMAGES") ?? "storm.jpg,ladybird.jpg,dune.jpg").Split(',');
        if (autocorrelationAb) AutocorrelationAb(runs);
        Console.WriteLine($"{"image",-14} {"MP",5} {"marked min",11} {"median",8} {"ms/MP",7} {"unmarked min",13} {"median",8} {"ms/MP",7}");
        foreach (string name in names)
        {
            PixelBuffer original = VipsPixels.Load(Samples.Path("images", name));
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            ImageMarkEmbedder.Embed(marked, key, payload);
            double mp = original.Width * (double)original.Height / 1e6;
            (double mMin, double mMed) = Time(marked, key, runs, expectFound: true);
            (double uMin, double uMed) = Time(original, key, runs, expectFound: false);
            ImageMarkDetection found = ImageMarkDetector.Detect(marked, key)!;
            Console.WriteLine($"{name,-14} {mp,5:F2} {mMin,9:F1}ms {mMed,6:F1}ms {mMin / mp,7:F1} {uMin,11:F1}ms {uMed,6:F1}ms {uMin / mp,7:F1}"
                + $"   (marked: scale {found.Scale:F3}, {found.CandidatesTried} decode(s))");
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>The lattice search's 1024² autocorrelation of a 768² window: complex path
    /// (Forward, |F|², Inverse) against the real-input one, interleaved so both see the same load.</summary>
    private static void AutocorrelationAb(int runs)
    {
        const int n = 1024, m = 768;
        var plan = new Kernels.Fft.FftPlan2D(n);
        var rng = new Random(5);
        float[] x = new float[n * n], re = new float[n * n], im = new float[n * n];
        for (int y = 0; y < m; y++) for (int i = 0; i < m; i++) x[y * n + i] = (float)(rng.NextDouble() - 0.5);
        var complexMs = new double[runs];
        var realMs = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            x.CopyTo(re); Array.Clear(im);
            long t0 = Stopwatch.GetTimestamp();
            plan.Forward(re, im, m);
            Kernels.CrossPower.Apply(re, im, re, im, re, im);
            Array.Clear(im);
            plan.Inverse(re, im);
            complexMs[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            x.CopyTo(re);
            t0 = Stopwatch.GetTimestamp();
            plan.Autocorrelate(re, im, m);
            realMs[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(complexMs); Array.Sort(realMs);
        Console.WriteLine($"autocorrelation 1024² (768² window): complex min {complexMs[0]:F1} ms median {complexMs[runs / 2]:F1} ms; "
            + $"real-input min {realMs[0]:F1} ms median {realMs[runs / 2]:F1} ms");
    }

    private static (double Min, double Median) Time(PixelBuffer image, MarkKey key, int runs, bool expectFound)
    {
        if ((ImageMarkDetector.Detect(image, key) is not null) != expectFound)
            throw new InvalidOperationException($"detection result differs from the expected {expectFound}");
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            ImageMarkDetector.Detect(image, key);
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        return (ms[0], ms[runs / 2]);
    }
}
