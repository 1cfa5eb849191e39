using LabelStamp.Kernels.Audio;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// A streaming windowed-sinc resampler for one mono signal, any ratio (rational or not: the detector's
/// speed candidates are not). Output sample n sits at input position t = n · inRate / outRate and is
/// Σ x[m] · h(t − m), h a Kaiser-windowed sinc in input-sample units, tabulated at
/// <see cref="Phases"/> fractional positions (nearest phase: the timing error is below 1/512 input
/// sample, ≥ 45 dB down at the highest band the mark uses at 8 kHz, more at higher rates).
/// Zero-phase: output time n / outRate is input time n / outRate, so a mark computed at the canonical
/// rate and resampled back lines up with the host it was computed from. Input before the first sample
/// is taken as silence.
/// <para>Filter: pass band up to <c>passbandHz</c> (lowered to 0.45 × the lower rate when that is
/// below it), stop band from (lower rate − pass band), where an alias or image would first fold back
/// into the pass band; ≈ 70 dB stop-band rejection (Kaiser β = 6.76). What lies between the two edges
/// folds only above the pass band, so the transition can be wide and the filter short (32 taps for
/// 44.1 → 22.05 kHz, 64 for 96 kHz, 80 for 16 kHz, rounded up to whole blocks of 16).</para>
/// </summary>
public sealed class AudioResampler
{
    public const int Phases = 256;
    private const double StopBandDb = 70;

    private readonly double _step;
    private readonly int _half;
    private readonly int _taps;
    private readonly float[] _table;
    private float[] _buffer;
    private long _bufferStart;
    private int _count;
    private long _written;
    private long _produced;

    public AudioResampler(double inRate, double outRate, double passbandHz)
    {
        if (!(inRate > 0) || !(outRate > 0)) throw new ArgumentOutOfRangeException(nameof(inRate), "sample rates must be positive");
        InRate = inRate;
        OutRate = outRate;
        _step = inRate / outRate;
        double lower = Math.Min(inRate, outRate);
        double pass = Math.Min(passbandHz, 0.45 * lower);
        double stop = lower - pass;
        double cutoff = 0.5 * (pass + stop) / inRate;            // cycles per input sample
        double transition = (stop - pass) / inRate;
        int length = (int)Math.Ceiling((StopBandDb - 8) / (2.285 * 2 * Math.PI * transition)) + 1;
        // Whole blocks of 16 taps: the dot product then never takes its ragged-tail path.
        _half = Math.Max(8, ((length + 1) / 2 + 7) / 8 * 8);
        _taps = 2 * _half;
        const double Beta = 6.76; // 0.1102 · (70 − 8.7)
        double i0Beta = BesselI0(Beta);
        _table = new float[(Phases + 1) * _taps];
        for (int ph = 0; ph <= Phases; ph++)
        {
            double frac = ph / (double)Phases;
            for (int j = 0; j < _taps; j++)
            {
                // Tap j reads input sample base − half + 1 + j; its distance from t = base + frac.
                double d = frac - (j - _half + 1);
                double r = d / _half;
                double w = Math.Abs(r) >= 1 ? 0 : BesselI0(Beta * Math.Sqrt(1 - r * r)) / i0Beta;
                double x = 2 * cutoff * d;
                double sinc = Math.Abs(x) < 1e-12 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                _table[ph * _taps + j] = (float)(2 * cutoff * sinc * w);
            }
        }
        // Leading silence: samples −half … −1 are zero, so the first outputs are defined.
        _buffer = new float[Math.Max(4096, 4 * _taps)];
        _bufferStart = -_half;
        _count = _half;
    }

    public double InRate { get; }
    public double OutRate { get; }

    /// <summary>Filter taps per output sample.</summary>
    public int Taps => _taps;

    /// <summary>How many input samples past an output's position it needs before it can be produced.</summary>
    public int Lookahead => _half;

    /// <summary>Input samples written so far.</summary>
    public long Written => _written;

    /// <summary>Output samples read so far.</summary>
    public long Produced => _produced;

    /// <summary>Appends input samples.</summary>
    public void Write(ReadOnlySpan<float> input)
    {
        Compact();
        if (_count + input.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + input.Length));
        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
        _written += input.Length;
    }

    /// <summary>Appends silence (used to flush the end of a stream).</summary>
    public void WriteSilence(int samples)
    {
        Compact();
        if (_count + samples > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + samples));
        _buffer.AsSpan(_count, samples).Clear();
        _count += samples;
        _written += samples;
    }

    /// <summary>Produces as many output samples as the input written so far allows (at most
    /// <paramref name="output"/>'s length); returns how many. Positions and phases are worked out per
    /// output exactly as before, a batch at a time, and the filter runs over the batch in one
    /// <see cref="PolyphaseFir"/> call (each output bit for bit what <see cref="DotProduct.Of"/> gave).</summary>
    public int Read(Span<float> output)
    {
        const int Batch = 256;
        Span<int> starts = stackalloc int[Batch];
        Span<int> offsets = stackalloc int[Batch];
        int n = 0;
        long available = _bufferStart + _count; // one past the last input index held
        while (n < output.Length)
        {
            int b = 0, want = Math.Min(Batch, output.Length - n);
            for (; b < want; b++)
            {
                double t = (_produced + b) * _step;
                // t ≥ 0, so truncation is the floor. Math.Floor here compiled to a roundsd that merged into
                // a register last written by the previous output's phase, which chained every output's
                // position work to the one before: 26 ns per output, 3× the 16-tap filter itself
                // (44.1 kHz up-sampling, bench/AUDIO.md); the cast has no such input.
                long baseIndex = (long)t;
                if (baseIndex + _half >= available) break;
                int phase = (int)Math.Round((t - baseIndex) * Phases);
                starts[b] = (int)(baseIndex - _half + 1 - _bufferStart);
                offsets[b] = phase * _taps;
            }
            if (b == 0) break;
            PolyphaseFir.Apply(_buffer.AsSpan(0, _count), _table, _taps, starts[..b], offsets[..b], output.Slice(n, b));
            n += b;
            _produced += b;
            if (b < want) break; // the input ran out
        }
        return n;
    }

    /// <summary>Drops input no future output needs.</summary>
    private void Compact()
    {
        long need = (long)Math.Floor(_produced * _step) - _half + 1;
        int drop = (int)Math.Clamp(need - _bufferStart, 0, _count);
        if (drop < _buffer.Length / 2) return;
        _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
        _count -= drop;
        _bufferStart += drop;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50; k++)
        {
            term *= q / (k * (double)k);
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }
}
