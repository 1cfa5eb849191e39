namespace LabelStamp.Kernels;

/// <summary>The watermark embedding kernel: adds a gain-scaled tile row to interleaved 8-bit samples.</summary>
public static class MarkAdd
{
    /// <summary>dest[i] = max(0, min(dest[i], 255 − |d|) + d) with d = round(tile[i]·gain[i]/256): a
    /// sample near white moves down just enough that the whole ±d chip fits (see <see cref="MarkAddOperator"/>). The
    /// tile and gain rows are laid out like the destination row (0 in alpha positions), so the same delta
    /// reaches R, G and B and alpha is untouched.</summary>
    public static void Row(Span<byte> dest, ReadOnlySpan<byte> tile, ReadOnlySpan<byte> gain,
        VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<byte, MarkAddOperator>(dest, tile, gain, dest, width);

    /// <summary>The textbook formula every path is tested against.</summary>
    public static void RowScalarReference(Span<byte> dest, ReadOnlySpan<byte> tile, ReadOnlySpan<byte> gain)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            int d = (int)Math.Floor(((sbyte)tile[i] * gain[i] + 128) / 256.0);
            dest[i] = (byte)Math.Max(0, Math.Min((int)dest[i], 255 - Math.Abs(d)) + d);
        }
    }

    /// <summary>deltas[i] = round(tile[i] · gain[i] / 256) as a signed byte, the delta <see cref="Row"/> adds
    /// (<see cref="ChipDeltaOperator"/>).</summary>
    public static void Deltas(ReadOnlySpan<byte> tile, ReadOnlySpan<byte> gain, Span<byte> deltas, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<byte, ChipDeltaOperator>(tile, gain, gain, deltas, width);

    /// <summary>dest[i] = max(0, min(dest[i], 255 − |d|) + d) with d = (sbyte)deltas[i] (<see cref="DeltaAddOperator"/>):
    /// <see cref="Deltas"/> then this is <see cref="Row"/>, to the bit, with the delta row reusable across rows.</summary>
    public static void AddDeltas(Span<byte> dest, ReadOnlySpan<byte> deltas, VectorWidth width = VectorWidth.Auto) =>
        SpanDriver.Apply<byte, DeltaAddOperator>(dest, deltas, deltas, dest, width);
}
