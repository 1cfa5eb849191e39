namespace LabelStamp.Kernels.Lanes;

/// <summary>
/// A byte vector of one width seen as 128-bit blocks of four 4-byte groups, with what <see cref="QuadrantRuns"/> needs
/// to turn interleaved pixels into per-channel sums of 4-pixel runs: one 16-byte load per block, a byte shuffle inside
/// each block, a 4 × 4 transpose of the 32-bit groups inside each block, and per group the sum and the sum of squares of
/// its four bytes as a 32-bit integer. Every operation stays inside its 128-bit block, so the same code does four
/// groups per block at every width (<see cref="QuadrantLanes128"/>, <see cref="QuadrantLanes256"/>,
/// <see cref="QuadrantLanes512"/>); integer arithmetic, so every width gives the scalar result exactly.
/// </summary>
public interface IQuadrantLanes<TSelf> where TSelf : struct, IQuadrantLanes<TSelf>
{
    /// <summary>Whether the instructions this width is built on run on this machine; when not, callers take a
    /// narrower width or the scalar loop.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>128-bit blocks per vector.</summary>
    static abstract int Blocks { get; }

    /// <summary>Block k from the 16 bytes at source[index + k · blockStep].</summary>
    static abstract TSelf Load(ref byte source, nuint index, nuint blockStep);

    /// <summary>The 16-byte pattern in every block.</summary>
    static abstract TSelf Pattern(ReadOnlySpan<byte> pattern);

    /// <summary>In every block, byte i takes the block's byte pattern[i] (0 where pattern[i] has its high bit set).</summary>
    static abstract TSelf Shuffle(TSelf value, TSelf pattern);

    /// <summary>In every block, the 4 × 4 transpose of the 32-bit groups of (g0, g1, g2, g3): output c holds group c of
    /// each input in order.</summary>
    static abstract (TSelf C0, TSelf C1, TSelf C2, TSelf C3) Transpose(TSelf g0, TSelf g1, TSelf g2, TSelf g3);

    /// <summary>Per 32-bit group: the sum of its four bytes in <paramref name="first"/> and in <paramref name="second"/>.</summary>
    static abstract TSelf GroupSums(TSelf first, TSelf second);

    /// <summary>Per 32-bit group: the sum of the squares of its four bytes in <paramref name="first"/> and in <paramref name="second"/>.</summary>
    static abstract TSelf GroupSquares(TSelf first, TSelf second);

    /// <summary>The vector as 32-bit integers at destination[index].</summary>
    static abstract void Store(TSelf value, ref int destination, nuint index);
}
