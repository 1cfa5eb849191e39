using LabelStamp.Kernels;
using LabelStamp.Marks.Image;

namespace LabelStamp.Tests.Marks.Image;

/// <summary>
/// The detector's fold at the untouched geometry (vector runs per row) against its general fold (two floors
/// per sample) with the identity matrix: the same fold to the bit, at every vector width, for regions whose
/// bounds and tile phase are odd (runs that start mid-tile, end short of a vector, span less than one tile).
/// The whitened plane is random, fixed seed 29.
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
        ImageMarkDetector.FoldAnyGeometry(white, w, x0, x1, y0, y1, originX, originY, 1, 0, 0, 1, general);
        ImageMarkDetector.FoldUntouched(white, w, x0, x1, y0, y1, originX, originY, untouched, width);

        Assert.Contains(general, v => v != 0);
        for (int i = 0; i < general.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(general[i]) == BitConverter.SingleToInt32Bits(untouched[i]),
                $"fold cell {i}: general {general[i]:R}, untouched {untouched[i]:R} ({width})");
    }
}
