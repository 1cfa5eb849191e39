using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The keyed geometry of one tile: a Period × Period luma pattern made of Chip × Chip blocks
/// (64 × 64 chips). A keyed permutation gives the first <see cref="SyncChips"/> chips to the sync
/// pattern (known to the detector, finds the crop offset) and the rest, round-robin, to the 330 coded
/// bits (about 9 chips per bit, spread over the tile so a local defect only dents each bit).
/// Every chip has a keyed sign, so without the key the tile is indistinguishable from noise.
/// </summary>
internal sealed class ImageMarkLayout
{
    public const int Period = 256;
    public const int Chip = 4;
    public const int ChipsPerSide = Period / Chip;
    public const int Chips = ChipsPerSide * ChipsPerSide;
    /// <summary>A quarter of the chips: sync/data energy 1:3, as in the design notes.</summary>
    public const int SyncChips = Chips / 4;

    public ImageMarkLayout(MarkKey key)
    {
        var seq = new KeyedSequence(key.Derive("image-mark/v1/layout"));
        int[] order = new int[Chips];
        for (int i = 0; i < Chips; i++) order[i] = i;
        for (int i = Chips - 1; i > 0; i--)
        {
            int j = seq.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        Signs = new sbyte[Chips];
        for (int i = 0; i < Chips; i++) Signs[i] = (seq.Next() & 1) == 0 ? (sbyte)-1 : (sbyte)1;
        BitOfChip = new short[Chips];
        for (int k = 0; k < Chips; k++)
            BitOfChip[order[k]] = k < SyncChips ? (short)-1 : (short)((k - SyncChips) % PayloadCodec.CodedBits);
    }

    /// <summary>Keyed ±1 per chip (row-major chip index cy·64 + cx).</summary>
    public sbyte[] Signs { get; }

    /// <summary>The coded bit a chip carries, or −1 for a sync chip.</summary>
    public short[] BitOfChip { get; }

    /// <summary>The ±1 value of every chip for a payload (row-major chip index cy·64 + cx): the
    /// keyed sign, times the coded bit for a data chip.</summary>
    public sbyte[] ChipValues(ReadOnlySpan<sbyte> coded)
    {
        sbyte[] chips = new sbyte[Chips];
        for (int c = 0; c < Chips; c++)
        {
            int b = BitOfChip[c];
            chips[c] = (sbyte)(b < 0 ? Signs[c] : Signs[c] * coded[b]);
        }
        return chips;
    }

    /// <summary>The sync pattern alone (data chips 0), as floats for the detector's correlation.</summary>
    public float[] SyncPattern()
    {
        float[] s = new float[Period * Period];
        for (int c = 0; c < Chips; c++)
        {
            if (BitOfChip[c] >= 0) continue;
            int cy = c / ChipsPerSide, cx = c % ChipsPerSide;
            for (int dy = 0; dy < Chip; dy++)
                for (int dx = 0; dx < Chip; dx++)
                    s[(cy * Chip + dy) * Period + cx * Chip + dx] = Signs[c];
        }
        return s;
    }
}
