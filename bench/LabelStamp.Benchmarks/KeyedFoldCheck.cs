using System.Globalization;
using LabelStamp.Marks.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-keyed-fold-check`: <see cref="KeyedCellFold"/> against round 13's per-cell reference
/// (<see cref="KeyedBlockScan.Score"/>) on random cell values (fixed seed), with NaN cells, canvases smaller and larger
/// than the tile (scales 1.35 and 0.85 leave 49 or 77 of 64 columns), odd grids (7:4, portrait) and shifts of any sign.
/// Exit code 1 when any z differs by more than 1e-9 (the fold only reorders double sums).
/// </summary>
public static class KeyedFoldCheck
{
    public static int Run()
    {
        var rng = new Random(18014);
        double worst = 0;
        int checkedScores = 0;
        foreach (var (w, h) in new[] { (1280, 720), (944, 540), (540, 960), (1920, 1080) })
        foreach (int key in new[] { 1, 77 })
        {
            var layout = VideoMarkLayout.For(BenchKeys.Sequential(key), w, h);
            var fold = new KeyedCellFold(layout);
            foreach (double s in new[] { 0.85, 1.0, 1.35 })
            {
                int nx = (int)Math.Ceiling(layout.Cols / s) + 1, ny = (int)Math.Ceiling(layout.Rows / s) + 1;
                float[] v = new float[nx * ny];
                for (int c = 0; c < v.Length; c++) v[c] = rng.NextDouble() < 0.07 ? float.NaN : (float)(2.5 * (2 * rng.NextDouble() - 1));
                fold.Load(v, nx, ny);
                for (int t = 0; t < 60; t++)
                {
                    int sx = rng.Next(-3 * layout.Cols, 3 * layout.Cols), sy = rng.Next(-3 * layout.Rows, 3 * layout.Rows);
                    double reference = KeyedBlockScan.Score(v, nx, ny, layout, sx, sy), folded = fold.Score(sx, sy);
                    worst = Math.Max(worst, Math.Abs(reference - folded));
                    checkedScores++;
                }
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{checkedScores} scores, largest |z_fold − z_reference| = {worst:E2}"));
        return worst <= 1e-9 ? 0 : 1;
    }
}
