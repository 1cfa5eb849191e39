namespace LabelStamp.Marks.Payload;

/// <summary>
/// Rate-1/3, constraint-length-7 convolutional code with generators 133, 171, 165 (octal) — the
/// well-studied K=7 family (free distance 15) also used by LTE and audiowmark — zero-terminated with 6
/// tail bits, decoded by soft-decision Viterbi (correlation metric, 64 states).
/// Soft-bit convention everywhere: positive means coded bit 1, magnitude is confidence.
/// </summary>
internal static class ConvolutionalCode
{
    public const int ConstraintLength = 7;
    public const int States = 1 << (ConstraintLength - 1);
    public const int TailBits = ConstraintLength - 1;
    public const int Rate = 3;
    private const int G0 = 0b1011011, G1 = 0b1111001, G2 = 0b1110101; // 133, 171, 165 octal

    public static int CodedLength(int messageBits) => (messageBits + TailBits) * Rate;

    /// <summary>Encodes message bits (0/1) into coded bits (0/1), tail included.</summary>
    public static void Encode(ReadOnlySpan<byte> message, Span<byte> coded)
    {
        int state = 0, o = 0;
        for (int i = 0; i < message.Length + TailBits; i++)
        {
            int b = i < message.Length ? message[i] : 0;
            int reg = (b << (ConstraintLength - 1)) | state;
            coded[o++] = Parity(reg & G0);
            coded[o++] = Parity(reg & G1);
            coded[o++] = Parity(reg & G2);
            state = reg >> 1;
        }
    }

    /// <summary>Maximum-likelihood message bits for the soft coded bits (terminated trellis).</summary>
    public static void Decode(ReadOnlySpan<float> soft, Span<byte> message)
    {
        int steps = message.Length + TailBits;
        if (soft.Length != steps * Rate) throw new ArgumentException("soft bits do not match the message length", nameof(soft));

        // Branch outputs per (state, input): precomputed once per call (64×2 entries, trivial).
        Span<sbyte> out0 = stackalloc sbyte[States * 2];
        Span<sbyte> out1 = stackalloc sbyte[States * 2];
        Span<sbyte> out2 = stackalloc sbyte[States * 2];
        for (int s = 0; s < States; s++)
            for (int b = 0; b < 2; b++)
            {
                int reg = (b << (ConstraintLength - 1)) | s;
                out0[s * 2 + b] = (sbyte)(Parity(reg & G0) * 2 - 1);
                out1[s * 2 + b] = (sbyte)(Parity(reg & G1) * 2 - 1);
                out2[s * 2 + b] = (sbyte)(Parity(reg & G2) * 2 - 1);
            }

        Span<float> metric = stackalloc float[States];
        Span<float> next = stackalloc float[States];
        metric.Fill(float.NegativeInfinity);
        metric[0] = 0;
        // Survivor bit per (step, state): which predecessor (low bit of the older state) won.
        byte[] survivors = new byte[steps * States];

        for (int t = 0; t < steps; t++)
        {
            float s0 = soft[t * 3], s1 = soft[t * 3 + 1], s2 = soft[t * 3 + 2];
            for (int ns = 0; ns < States; ns++)
            {
                int b = ns >> (ConstraintLength - 2);
                int baseState = (ns << 1) & (States - 1);
                int pa = baseState, pb = baseState | 1;
                float ma = metric[pa] + out0[pa * 2 + b] * s0 + out1[pa * 2 + b] * s1 + out2[pa * 2 + b] * s2;
                float mb = metric[pb] + out0[pb * 2 + b] * s0 + out1[pb * 2 + b] * s1 + out2[pb * 2 + b] * s2;
                if (mb > ma) { next[ns] = mb; survivors[t * States + ns] = 1; }
                else { next[ns] = ma; survivors[t * States + ns] = 0; }
            }
            next.CopyTo(metric);
        }

        int state = 0; // terminated: the tail drives the encoder back to state 0
        for (int t = steps - 1; t >= 0; t--)
        {
            int b = state >> (ConstraintLength - 2);
            if (t < message.Length) message[t] = (byte)b;
            state = ((state << 1) & (States - 1)) | survivors[t * States + state];
        }
    }

    private static byte Parity(int v) => (byte)(System.Numerics.BitOperations.PopCount((uint)v) & 1);
}
