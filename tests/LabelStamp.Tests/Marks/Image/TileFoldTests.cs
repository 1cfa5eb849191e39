using LabelStamp.Kernels;
using LabelStamp.Marks.Image;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The detector's fold at the untouched geometry (vector runs per row) against the general fold's loop (two floors
/// per sample) with the identity matrix, and the general fold (cells of eight rows at a time in double lanes) against
/// that loop at rotated, scaled and mirrored geometries: the same fold to the bit, at every vector width, for regions
/// whose bounds and tile phase are odd (runs that start mid-tile, end short of a vector, span less than one tile, row
/// counts that leave a block part full). The whitened plane is random, fixed seed 29.
/// </summary>
public class TileFoldTests
{
    private const int P = ImageMarkLayout.Period;

    public static TheoryData<VectorWidth, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<VectorWidth, int, int, int, int, int, int>();
        var regions = new (int X0, int X1, int Y0, int Y1, int OriginX, int OriginY)[]
        {
            (1, 516, 1, 300, 0, 0),        // the whole plane but its frame
            (3, 470, 7, 299, 37, 5),       // odd bounds, a tile phase off by (37, 5)
            (100, 197, 40, 52, 131, 250),  // shorter than one tile, phase past one period
            (5, 8, 2, 3, 0, 0),            // a run shorter than any vector
            (1, 516, 1, 300, -3, -130),    // negative phase: the floor rounds down as the general fold does
        };
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
            foreach (var r in regions)
                data.Add(width, r.X0, r.X1, r.Y0, r.Y1, r.OriginX, r.OriginY);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UntouchedFoldEqualsTheGeneralFoldToTheBit(VectorWidth width, int x0, int x1, int y0, int y1, int originX, int originY)
    {
        const int w = 517, h = 301;
        var rng = new Random(29);
        float[] white = new float[w * h];
        for (int i = 0; i < white.Length; i++) white[i] = (float)(rng.NextDouble() * 5 - 2.5);

        float[] general = new float[P * P], untouched = new float[P * P];
        ImageMarkDetector.FoldAnyGeometryScalarReference(white, w, x0, x1, y0, y1, originX, originY, 1, 0, 0, 1, general);
        ImageMarkDetector.FoldUntouched(white, w, x0, x1, y0, y1, originX, originY, untouched, width);

        Assert.Contains(general, v => v != 0);
        for (int i = 0; i < general.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(general[i]) == BitConverter.SingleToInt32Bits(untouched[i]),
                $"fold cell {i}: general {general[i]:R}, untouched {untouched[i]:R} ({width})");
    }

    public static TheoryData<VectorWidth, double, double, int> Geometries()
    {
        var data = new TheoryData<VectorWidth, double, double, int>();
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512 })
            foreach (var (degrees, scale, mirror) in new[] { (0.0, 1.0, 1), (10.0, 1.0, 1), (-2.25, 0.7, 1), (7.5, 1.93, -1), (0.0, 1.0000003, 1), (-10.5, 0.45, -1) })
                data.Add(width, degrees, scale, mirror);
        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void GeneralFoldEqualsItsScalarLoopToTheBit(VectorWidth width, double degrees, double scale, int mirror)
    {
        const int w = 517, h = 301;
        var rng = new Random(29);
        float[] white = new float[w * h];
        for (int i = 0; i < white.Length; i++) white[i] = (float)(rng.NextDouble() * 5 - 2.5);
        // The fold's matrix maps image pixels to tile coordinates: P · [a b]⁻¹ for lattice vectors a, b of the geometry.
        double c = Math.Cos(degrees * Math.PI / 180) / scale, sn = Math.Sin(degrees * Math.PI / 180) / scale;
        double m00 = mirror * c, m01 = mirror * sn, m10 = -sn, m11 = c;
        foreach (var (x0, x1, y0, y1, originX, originY) in new[] { (1, 516, 1, 300, 0, 0), (3, 470, 7, 298, 37, 5), (5, 8, 2, 3, 0, 0), (1, 516, 1, 300, -3, -130) })
        {
            float[] expected = new float[P * P], actual = new float[P * P];
            ImageMarkDetector.FoldAnyGeometryScalarReference(white, w, x0, x1, y0, y1, originX, originY, m00, m01, m10, m11, expected);
            ImageMarkDetector.FoldAnyGeometry(white, w, x0, x1, y0, y1, originX, originY, m00, m01, m10, m11, actual, width);
            Assert.Contains(expected, v => v != 0);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"fold cell {i}: loop {expected[i]:R}, blocks {actual[i]:R} ({width}, {degrees}°, ×{scale}, region {x0}-{x1} × {y0}-{y1})");
        }
    }
}
