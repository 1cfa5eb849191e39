using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `unmarked-detect-cpu CORPUS_DIR FILE[,FILE…] [RUNS]`: what one read of an unmarked image costs — the case that
/// pays every search path (nothing decodes, so the detector goes through the lattice, the untouched geometry, the
/// chip means, the binned candidates, the rotation sweep and the 2 × 2 level). Thread CPU (not wall time: the machine
/// is shared), the minimum of RUNS reads per file after one warm-up read, in ms and ms/MP.
/// </summary>
public static class UnmarkedDetectCpu
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: unmarked-detect-cpu CORPUS_DIR FILE[,FILE…] [RUNS]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        VipsRuntime.EnsureInitialised();
        MarkKey key = BenchKeys.Corpus;
        Console.WriteLine("file | size | min ms | ms/MP");
        foreach (string file in args[1].Split(','))
        {
            var pixels = VipsPixels.Decode(File.ReadAllBytes(Path.Combine(root, file)));
            ImageMarkDetector.Read(pixels, key);
            double best = double.MaxValue;
            for (int r = 0; r < runs; r++)
            {
                double t0 = CpuClock.Thread();
                ImageMarkDetector.Read(pixels, key);
                best = Math.Min(best, CpuClock.Thread() - t0);
            }
            double mp = pixels.Width * (double)pixels.Height / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} | {pixels.Width}x{pixels.Height} | {best * 1e3:F1} | {best * 1e3 / mp:F1}"));
        }
        return 0;
    }
}
