using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Finds the audio mark in a stream of interleaved float PCM, in one pass with bounded memory
/// (≈ 2.3 MB of accumulators, whatever the length). Frame grids at <see cref="Offsets"/> sample
/// offsets (every 64 samples, so an excerpt cut anywhere is within 32 samples of one grid) are analysed
/// in parallel; for every grid and every block phase the sync correlation and the 330 soft coded bits
/// are accumulated over all blocks seen (soft-combining the repetitions). Each frame's band log
/// magnitudes go through the 2-D host high-pass (<see cref="FrameAnalyzer.HighPass"/>), a per-band
/// whitening (running RMS per grid) and a per-frame normalisation; slot values are clipped at
/// <see cref="SlotClip"/>. At the end the
/// <see cref="Candidates"/> best (grid, phase) pairs by sync z-score are Viterbi-decoded; a payload is
/// reported only if its CRC-32 passes and the bound Candidates · min(1, p_sync) · 2⁻³² ≤ 1e-9
/// (<see cref="FalsePositiveBound"/>), so unmarked audio or a wrong key reports nothing.
/// </summary>
public sealed class AudioMarkDetector
{
    public const int Offsets = 16;
    public const int Candidates = 4;

    /// <summary>Each slot's statistic (a sum of 16 whitened bands, σ ≈ 4 under the host alone) is
    /// clipped here before soft-combining, so a few transient frames cannot outvote many steady ones.</summary>
    public const float SlotClip = 6f;

    private const int N = AudioMarkLayout.FrameSize;
    private const int F = AudioMarkLayout.BlockFrames;
    private const int Step = N / Offsets;
    private readonly AudioMarkLayout _layout;
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly FrameAnalyzer _frame;
    private readonly float[] _acc = new float[Offsets * F * PayloadCodec.CodedBits];
    private readonly double[] _syncScore = new double[Offsets * F];
    private readonly int[] _signSum = new int[Offsets * F];
    private readonly double[] _sSum = new double[Offsets];
    private readonly double[] _sSq = new double[Offsets];
    private readonly long[] _frames = new long[Offsets];
    private readonly float[] _slot = new float[F * AudioMarkLayout.SlotsPerFrame];
    private readonly float[] _history = new float[Offsets * 3 * AudioMarkLayout.Bands];
    private readonly float[] _highPassed = new float[AudioMarkLayout.Bands];
    private readonly float[] _bandVar = new float[Offsets * AudioMarkLayout.Bands];
    private float[] _buffer = new float[N * 8];
    private int _count;
    private long _bufferStart;

    public AudioMarkDetector(AudioMarkLayout layout, int sampleRate, int channels)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        _layout = layout;
        _channels = channels;
        _sampleRate = sampleRate;
        _frame = new FrameAnalyzer(sampleRate);
    }

    /// <summary>Convenience: the layout for a key.</summary>
    public AudioMarkDetector(MarkKey key, int sampleRate, int channels) : this(new AudioMarkLayout(key), sampleRate, channels) { }

    /// <summary>Feeds interleaved samples (any chunk size).</summary>
    public void Add(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        if (_count + frames > _buffer.Length)
        {
            var bigger = new float[Math.Max(_buffer.Length * 2, _count + frames)];
            _buffer.AsSpan(0, _count).CopyTo(bigger);
            _buffer = bigger;
        }
        float inv = 1f / _channels;
        for (int i = 0; i < frames; i++)
        {
            float s = 0;
            for (int c = 0; c < _channels; c++) s += interleaved[i * _channels + c];
            _buffer[_count + i] = s * inv;
        }
        _count += frames;
        Drain();
    }

    private void Drain()
    {
        long end = _bufferStart + _count;
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int o = 0; o < Offsets; o++)
            {
                long start = o * Step + _frames[o] * N;
                if (start + N > end) continue;
                ProcessFrame(o, _buffer.AsSpan((int)(start - _bufferStart), N));
                progress = true;
            }
        }
        // Keep only what the grid that lags most still needs.
        long keep = long.MaxValue;
        for (int o = 0; o < Offsets; o++) keep = Math.Min(keep, o * Step + _frames[o] * N);
        int drop = (int)(keep - _bufferStart);
        if (drop > 0)
        {
            _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
            _count -= drop;
            _bufferStart = keep;
        }
    }

    private void ProcessFrame(int o, ReadOnlySpan<float> mono)
    {
        long frame = _frames[o]++;
        _frame.Analyze(mono);
        _frame.ComputeBandLog();
        // Host removal: a band's log magnitude minus the mean of the same band in the frames before and
        // after. The mark's sign changes at random from frame to frame, the host (held notes, the
        // spectral shape of a voice) mostly does not, so this temporal high-pass keeps the mark and
        // cancels most of the host — the dominant noise of the patchwork statistic on tonal music.
        var history = _history.AsSpan(o * 3 * AudioMarkLayout.Bands, 3 * AudioMarkLayout.Bands);
        _frame.BandLog.CopyTo(history.Slice((int)(frame % 3) * AudioMarkLayout.Bands, AudioMarkLayout.Bands));
        if (frame < 2) return;
        long i = frame - 1;
        var prev = history.Slice((int)((frame - 2) % 3) * AudioMarkLayout.Bands, AudioMarkLayout.Bands);
        var mid = history.Slice((int)(i % 3) * AudioMarkLayout.Bands, AudioMarkLayout.Bands);
        var next = history.Slice((int)(frame % 3) * AudioMarkLayout.Bands, AudioMarkLayout.Bands);
        var L = _highPassed;
        float energy = 0;
        FrameAnalyzer.HighPass(prev, mid, next, L);
        // Band whitening: each band's statistic is divided by its running RMS in this grid, so bands
        // whose host fluctuates a lot (tonal peaks, formant edges) count less — the optimal linear
        // combiner when the mark has the same depth in every band.
        var bandVar = _bandVar.AsSpan(o * AudioMarkLayout.Bands, AudioMarkLayout.Bands);
        float warm = frame < 40 ? 1f / (frame + 1) : 0.025f;
        for (int b = 0; b < L.Length; b++)
        {
            float v = bandVar[b] = (1 - warm) * bandVar[b] + warm * L[b] * L[b];
            L[b] /= MathF.Sqrt(v + 1e-4f);
            energy += L[b] * L[b];
        }
        // Weight each frame by its reliability: transients and onsets make the high-passed host large
        // in every band at once; dividing by the frame's RMS keeps them from swamping steady frames.
        float scale = 1f / MathF.Sqrt(energy / L.Length + 1e-3f);
        for (int b = 0; b < L.Length; b++) L[b] *= scale;
        float s = 0;
        foreach (int b in _layout.SyncUp) s += L[b];
        foreach (int b in _layout.SyncDown) s -= L[b];
        _sSum[o] += s;
        _sSq[o] += (double)s * s;
        // Slot values for every block position q this frame could be at.
        for (int q = 0; q < F; q++)
            for (int k = 0; k < AudioMarkLayout.SlotsPerFrame; k++)
            {
                float v = 0;
                foreach (int b in _layout.SlotUp(q, k)) v += L[b];
                foreach (int b in _layout.SlotDown(q, k)) v -= L[b];
                _slot[q * AudioMarkLayout.SlotsPerFrame + k] = Math.Clamp(v, -SlotClip, SlotClip);
            }
        int iq = (int)(i % F);
        for (int p = 0; p < F; p++)
        {
            int q = iq + p; if (q >= F) q -= F;
            int cell = o * F + p;
            int sign = _layout.SyncSign(q);
            _syncScore[cell] += sign * s;
            _signSum[cell] += sign;
            var acc = _acc.AsSpan(cell * PayloadCodec.CodedBits, PayloadCodec.CodedBits);
            for (int k = 0; k < AudioMarkLayout.SlotsPerFrame; k++)
                acc[_layout.SlotBit(q, k)] += _slot[q * AudioMarkLayout.SlotsPerFrame + k];
        }
    }

    /// <summary>For diagnostics and tests: the accumulated soft bits of one grid and phase.</summary>
    internal ReadOnlySpan<float> SoftBits(int offset, int phase) => _acc.AsSpan((offset * F + phase) * PayloadCodec.CodedBits, PayloadCodec.CodedBits);

    internal double SyncZ(int o, int p)
    {
        long n = _frames[o];
        double mean = _sSum[o] / n, var = _sSq[o] / n - mean * mean;
        return (_syncScore[o * F + p] - mean * _signSum[o * F + p]) / Math.Sqrt(var * n);
    }

    /// <summary>Diagnostics for the bench: the cell whose soft bits agree best with the known coded
    /// bits, its sync rank among all cells, and its raw coded-bit error count.</summary>
    internal (int Cell, int SyncRank, int BitErrors, double Z) Oracle(ReadOnlySpan<sbyte> coded)
    {
        int bestCell = -1, bestErr = int.MaxValue;
        for (int o = 0; o < Offsets; o++)
        {
            if (_frames[o] < 8) continue;
            for (int p = 0; p < F; p++)
            {
                var acc = _acc.AsSpan((o * F + p) * PayloadCodec.CodedBits, PayloadCodec.CodedBits);
                int err = 0;
                for (int k = 0; k < acc.Length; k++) if ((acc[k] > 0) != (coded[k] > 0)) err++;
                if (err < bestErr) { bestErr = err; bestCell = o * F + p; }
            }
        }
        if (bestCell < 0) return (-1, -1, -1, 0);
        double z = SyncZ(bestCell / F, bestCell % F);
        int rank = 0;
        for (int o = 0; o < Offsets; o++)
            if (_frames[o] >= 8)
                for (int p = 0; p < F; p++) if (SyncZ(o, p) > z) rank++;
        return (bestCell, rank, bestErr, z);
    }

    /// <summary>Decides: the detection, or null when no payload passes CRC and the bound.</summary>
    public AudioMarkDetection? Finish()
    {
        Span<(double Z, int Cell)> best = stackalloc (double, int)[Candidates];
        best.Fill((double.NegativeInfinity, -1));
        for (int o = 0; o < Offsets; o++)
        {
            long n = _frames[o];
            if (n < 8) continue;
            double mean = _sSum[o] / n, var = _sSq[o] / n - mean * mean;
            if (var <= 1e-12) continue;
            for (int p = 0; p < F; p++)
            {
                int cell = o * F + p;
                double z = (_syncScore[cell] - mean * _signSum[cell]) / Math.Sqrt(var * n);
                if (z <= best[^1].Z) continue;
                // Neighbouring grids (64 samples apart) at the same phase see the same alignment and
                // are decoded together anyway: keep only the strongest of them, so the few candidates
                // go to distinct alignments.
                int same = -1;
                for (int c = 0; c < Candidates; c++)
                    if (best[c].Cell >= 0 && best[c].Cell % F == p && Math.Abs(best[c].Cell / F - o) <= 1) { same = c; break; }
                if (same >= 0)
                {
                    if (best[same].Z >= z) continue;
                    for (int c = same; c < Candidates - 1; c++) best[c] = best[c + 1];
                    best[^1] = (double.NegativeInfinity, -1);
                }
                int at = Candidates - 1;
                while (at > 0 && best[at - 1].Z < z) { best[at] = best[at - 1]; at--; }
                best[at] = (z, cell);
            }
        }
        AudioMarkDetection? result = null;
        foreach (var (z, cell) in best)
        {
            if (cell < 0) continue;
            // The true alignment lies between two grids 64 samples apart: both see the same mark through
            // differently placed windows (partly independent host noise), so their soft bits are summed.
            Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
            int og = cell / F, pg = cell % F;
            for (int d = -1; d <= 1; d++)
            {
                int o2 = og + d;
                if (o2 < 0 || o2 >= Offsets || _frames[o2] < 8) continue;
                var other = _acc.AsSpan((o2 * F + pg) * PayloadCodec.CodedBits, PayloadCodec.CodedBits);
                for (int k = 0; k < soft.Length; k++) soft[k] += other[k];
            }
            var decoded = PayloadCodec.Decode(soft);
            if (decoded is null) continue;
            double pSync = FalsePositiveBound.MaxOfGaussians(z, Offsets * F);
            double bound = FalsePositiveBound.Compute(Candidates, pSync);
            if (!FalsePositiveBound.Acceptable(bound)) continue;
            int o = cell / F, p = cell % F;
            // Block phase p at frame 0 of grid o: the first block starts at frame (F − p) mod F.
            double offset = (o * Step + (long)((F - p) % F) * N) / (double)_sampleRate;
            result = new AudioMarkDetection(decoded.Payload, offset, z, decoded.BitErrorsCorrected, decoded.CodedBits, bound,
                (int)(_frames[o] / F));
            break;
        }
        return result;
    }
}
