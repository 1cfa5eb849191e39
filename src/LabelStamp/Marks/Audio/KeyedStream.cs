using System.Buffers.Binary;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// A deterministic pseudo-random stream (SplitMix64) seeded from key material. Our own so the mark's
/// band layout never changes with a runtime's <see cref="Random"/> implementation.
/// </summary>
internal struct KeyedStream
{
    private ulong _state;

    public KeyedStream(ReadOnlySpan<byte> seed) => _state = BinaryPrimitives.ReadUInt64LittleEndian(seed) ^ BinaryPrimitives.ReadUInt64LittleEndian(seed[8..]);

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n), n small (the modulo bias is below 2⁻⁵⁰).</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Below(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
