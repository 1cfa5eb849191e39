using System.Buffers.Binary;

namespace LabelStamp.Marks.Image;

/// <summary>
/// A deterministic pseudo-random stream (SplitMix64) seeded from a key-derived sub-key: the chip signs
/// and chip-to-bit layout must be identical on every machine and .NET version, so System.Random (whose
/// algorithm is an implementation detail) is not used. Secrecy comes from the HMAC-derived seed.
/// </summary>
internal struct KeyedSequence
{
    private ulong _state;

    public KeyedSequence(ReadOnlySpan<byte> seed) =>
        _state = BinaryPrimitives.ReadUInt64LittleEndian(seed) ^ BinaryPrimitives.ReadUInt64LittleEndian(seed[8..]) * 0x9E3779B97F4A7C15UL;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n), multiply-shift (bias below 2⁻³² for the small n used here).</summary>
    public int NextBelow(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);
}
