using LabelStamp.Kernels;

namespace LabelStamp.Kernels.Tests;

/// <summary><see cref="FoldCells"/> at every width against the fold loop's index arithmetic row by row, bit for bit:
/// sample counts 0-67 and 1,023, start positions of both signs (the floor rounds towards −∞), steps of either sign and
/// below one sample, positions past 2³⁰ (the one-lane path), spans starting 0-3 values into their arrays. Seed fixed (83).</summary>
public class FoldCellsTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512, VectorWidth.Auto];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_gives_the_loop_s_cells(VectorWidth width)
    {
        var rng = new Random(83);
        const int rows = FoldCells.Rows;
        foreach (int count in Enumerable.Range(0, 68).Append(1023))
            for (int offset = 0; offset <= 3; offset++)
                foreach (double reach in new[] { 300.0, 5e4, 3e9 })
                {
                    double[] u0 = new double[rows + offset], v0 = new double[rows + offset];
                    for (int r = 0; r < rows; r++)
                    {
                        u0[offset + r] = (rng.NextDouble() * 2 - 1) * reach;
                        v0[offset + r] = (rng.NextDouble() * 2 - 1) * reach;
                    }
                    double du = (rng.NextDouble() * 2 - 1) * 2.3, dv = (rng.NextDouble() * 2 - 1) * 0.4;
                    int[] expected = new int[count * rows + offset], actual = new int[count * rows + offset];
                    FoldCells.IndicesScalarReference(u0.AsSpan(offset, rows), v0.AsSpan(offset, rows), du, dv, count, 256, expected.AsSpan(offset));
                    FoldCells.Indices(u0.AsSpan(offset, rows), v0.AsSpan(offset, rows), du, dv, count, 256, actual.AsSpan(offset), width);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"count {count}, offset {offset}, reach {reach}, {width}");
                    if (count > 0 && reach < 1e9) Assert.Contains(expected, c => c > 255);   // rows, not only columns, were placed
                }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        double[] eight = new double[FoldCells.Rows];
        Assert.Throws<ArgumentException>(() => FoldCells.Indices(eight.AsSpan(1), eight, 1, 0, 4, 256, new int[32]));
        Assert.Throws<ArgumentException>(() => FoldCells.Indices(eight, eight, 1, 0, 5, 256, new int[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FoldCells.Indices(eight, eight, 1, 0, 4, 255, new int[32]));
    }
}
