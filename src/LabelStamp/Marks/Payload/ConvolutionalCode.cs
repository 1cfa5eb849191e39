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

        Span<sbyte> out0 = stackalloc sbyte[States * 2];
        Span<sbyte> out1 = stackalloc sbyte[States * 2];
        Span<sbyte> out2 = stackalloc sbyte[States * 2];
        BranchOutputs(out0, out1, out2);

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

    /// <summary>Branch outputs (±1) per (state, input), index state·2 + input: 64×2 entries, made per call.</summary>
    private static void BranchOutputs(Span<sbyte> out0, Span<sbyte> out1, Span<sbyte> out2)
    {
        for (int s = 0; s < States; s++)
            for (int b = 0; b < 2; b++)
            {
                int reg = (b << (ConstraintLength - 1)) | s;
                out0[s * 2 + b] = (sbyte)(Parity(reg & G0) * 2 - 1);
                out1[s * 2 + b] = (sbyte)(Parity(reg & G1) * 2 - 1);
                out2[s * 2 + b] = (sbyte)(Parity(reg & G2) * 2 - 1);
            }
    }

    /// <summary>The longest list <see cref="DecodeList"/> keeps (its back-pointers store a rank in a byte).</summary>
    public const int MaxListSize = 256;

    /// <summary>
    /// List Viterbi (parallel form): the <paramref name="listSize"/> most likely message words, best
    /// first, written one after another into <paramref name="messages"/> (listSize × message length).
    /// Every state keeps its listSize best paths; a state's list is the merge of its two predecessors'
    /// lists plus their branch metrics, so the terminated state 0 ends with the listSize best paths of
    /// the whole trellis, all distinct. Entry 0 is the plain Viterbi word. Used with an outer check
    /// (CRC): the first word of the list that passes it is taken, and every word tried counts in the
    /// false-positive bound.
    /// </summary>
    public static void DecodeList(ReadOnlySpan<float> soft, int listSize, int messageBits, Span<byte> messages)
    {
        int steps = messageBits + TailBits;
        if (soft.Length != steps * Rate) throw new ArgumentException("soft bits do not match the message length", nameof(soft));
        if (listSize < 1 || messages.Length != listSize * messageBits) throw new ArgumentException("need listSize message words", nameof(messages));
        // The back-pointers keep a path's rank in a byte.
        if (listSize > MaxListSize) throw new ArgumentOutOfRangeException(nameof(listSize), $"at most {MaxListSize} words");
        int L = listSize;
        Span<sbyte> out0 = stackalloc sbyte[States * 2];
        Span<sbyte> out1 = stackalloc sbyte[States * 2];
        Span<sbyte> out2 = stackalloc sbyte[States * 2];
        BranchOutputs(out0, out1, out2);

        var metric = new float[States * L];
        var next = new float[States * L];
        Array.Fill(metric, float.NegativeInfinity);
        metric[0] = 0;
        // Per (step, state, rank): which predecessor (low bit of the older state) and which of its ranks.
        var fromBit = new byte[steps * States * L];
        var fromRank = new byte[steps * States * L];
        for (int t = 0; t < steps; t++)
        {
            float s0 = soft[t * 3], s1 = soft[t * 3 + 1], s2 = soft[t * 3 + 2];
            for (int ns = 0; ns < States; ns++)
            {
                int b = ns >> (ConstraintLength - 2);
                int pa = (ns << 1) & (States - 1), pb = pa | 1;
                float ba = out0[pa * 2 + b] * s0 + out1[pa * 2 + b] * s1 + out2[pa * 2 + b] * s2;
                float bb = out0[pb * 2 + b] * s0 + out1[pb * 2 + b] * s1 + out2[pb * 2 + b] * s2;
                int ia = 0, ib = 0, at = (t * States + ns) * L;
                for (int r = 0; r < L; r++)
                {
                    float ma = metric[pa * L + ia] + ba, mb = metric[pb * L + ib] + bb;
                    if (mb > ma) { next[ns * L + r] = mb; fromBit[at + r] = 1; fromRank[at + r] = (byte)ib++; }
                    else { next[ns * L + r] = ma; fromBit[at + r] = 0; fromRank[at + r] = (byte)ia++; }
                }
            }
            (metric, next) = (next, metric);
        }

        for (int r = 0; r < L; r++)
        {
            var word = messages.Slice(r * messageBits, messageBits);
            int state = 0, rank = r;
            for (int t = steps - 1; t >= 0; t--)
            {
                int b = state >> (ConstraintLength - 2);
                if (t < messageBits) word[t] = (byte)b;
                int at = (t * States + state) * L + rank;
                rank = fromRank[at];
                state = ((state << 1) & (States - 1)) | fromBit[at];
            }
        }
    }

    private static byte Parity(int v) => (byte)(System.Numerics.BitOperations.PopCount((uint)v) & 1);
}
