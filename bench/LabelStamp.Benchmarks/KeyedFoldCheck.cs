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
            var fold = new KeyedCellFold(layout) { WrapPairs = true };
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
        // A canvas wider and taller than the tile (scale 0.8) whose cells a tile apart are equal, the rest noise: the
        // wrapped pairs are key-free, so round 13's statistic (WrapPairs) is biased upwards over every shift, the folded
        // one keeps mean ≈ 0; and the folded statistic is the reference statistic of the folded canvas (one cell per tile cell).
        var lay = VideoMarkLayout.For(BenchKeys.Sequential(78), 1920, 1080);
        int cx = (int)Math.Ceiling(lay.Cols / 0.8) + 1, cy = (int)Math.Ceiling(lay.Rows / 0.8) + 1;
        float[] tiled = new float[cx * cy];
        for (int j = 0; j < cy; j++)
        for (int i = 0; i < cx; i++)
            tiled[j * cx + i] = j >= lay.Rows || i >= lay.Cols ? tiled[(j % lay.Rows) * cx + i % lay.Cols] : (float)(2 * rng.NextDouble() - 1);
        var wrap = new KeyedCellFold(lay) { WrapPairs = true };
        var pairsFree = new KeyedCellFold(lay) { WrapPairs = false };
        wrap.Load(tiled, cx, cy);
        pairsFree.Load(tiled, cx, cy);
        float[] foldedCanvas = new float[lay.Cells];
        for (int j = 0; j < cy; j++)
        for (int i = 0; i < cx; i++)
            foldedCanvas[(j % lay.Rows) * lay.Cols + i % lay.Cols] += tiled[j * cx + i];
        double meanWrap = 0, meanFree = 0, worstFolded = 0;
        for (int sy = 0; sy < lay.Rows; sy++)
        for (int sx = 0; sx < lay.Cols; sx++)
        {
            meanWrap += wrap.Score(sx, sy);
            double z = pairsFree.Score(sx, sy);
            meanFree += z;
            worstFolded = Math.Max(worstFolded, Math.Abs(z - KeyedBlockScan.Score(foldedCanvas, lay.Cols, lay.Rows, lay, sx, sy)) / Math.Max(1, Math.Abs(z)));
        }
        meanWrap /= lay.Cells;
        meanFree /= lay.Cells;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale 0.8, cells a tile apart equal: mean z over every shift {meanWrap:0.00} with the wrapped pairs, {meanFree:0.00} folded; folded against the reference on the folded canvas: {worstFolded:E2} relative"));
        return worst <= 1e-9 && meanWrap > 2 && Math.Abs(meanFree) < 0.5 && worstFolded < 1e-5 ? 0 : 1;
    }
}
