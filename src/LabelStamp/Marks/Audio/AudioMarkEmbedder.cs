using LabelStamp.Kernels.Audio;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Embeds the audio mark into a stream of interleaved float PCM at any rate ≥ 16 kHz, in place.
/// The mark lives at the canonical rate (<see cref="AudioMarkLayout.CanonicalRate"/>): the file's mono
/// mix is resampled to it, cut into frames of <see cref="AudioMarkLayout.FrameSize"/>, and for every
/// frame: Hann window → FFT → each marked band's bins scaled by ±α as a delta spectrum → inverse FFT.
/// The delta signal (0.5–7.4 kHz, so band-limited) is resampled back to the file's rate and added to
/// every channel; the host itself is never resampled, so nothing outside the mark changes.
/// α is energy-adaptive: α = <see cref="Strength"/> · lean · √(frame energy / 0.5–7.4 kHz energy), where
/// lean = (frame level / running level)^−½ within ×0.5…×3 (quiet passages and speech between words carry
/// as much evidence as loud ones); within the frame each band's depth leans against its power
/// (<see cref="BandWeights"/>), informed embedding re-weights the slots by the host, and an
/// SNR governor holds the running (≈ 0.46 s) mark-to-host ratio to <see cref="TargetSnrDb"/>, against
/// the host's energy measured at the file's own rate over the frame's span.
/// Frames go in pairs (<see cref="AudioMarkLayout"/>, format 2): the second frame of a pair carries the
/// first's signs inverted, which the detector reads as the difference of the two.
/// <para>Streaming: the mark of a frame is known only after the frame after it (the first frame of a pair
/// needs its partner for informed embedding) and the two resamplers' look-ahead, ≈ 60 ms in all (<see cref="LatencySamples"/>). So
/// <see cref="Process"/> takes the previous chunk, not yet written out, beside the new one and
/// completes the mark in it; <see cref="Finish"/> completes the last two at the end of the stream.</para>
/// </summary>
public sealed class AudioMarkEmbedder
{
    /// <summary>Default strength; the governor caps the result at SNR 30.5 dB (measured, bench/AUDIO.md).</summary>
    public const float DefaultStrength = 0.07f;
    public const float MaxAlpha = 0.3f;

    /// <summary>Pass band of both resamplers: just above the highest band (7.41 kHz).</summary>
    public const double PassbandHz = 7_600;

    private const int N = AudioMarkLayout.FrameSize;
    private const int Fc = AudioMarkLayout.CanonicalRate;
    /// <summary>File samples per channel handled per step, so every buffer stays small however large a
    /// chunk the caller passes (a whole file in the bench and the robustness harness).</summary>
    private const int Step = 4096;
    private const int Ring = 256;

    private readonly AudioMarkLayout _layout;
    private readonly sbyte[] _coded;
    private readonly int _channels;
    private readonly int _rate;
    private readonly FrameAnalyzer _frame = new();
    private readonly AudioResampler _down;
    private readonly AudioResampler _up;
    private readonly double _frameScale;
    private readonly float[] _mono = new float[Step];
    private readonly float[] _canon = new float[Step * 2 + 4 * N];
    private int _canonCount;
    private readonly float[] _deltaOut = new float[Step * 8];
    private readonly float[] _specRe = new float[3 * N];
    private readonly float[] _specIm = new float[3 * N];
    private readonly float[] _specPower = new float[3 * N];
    private readonly float[] _logs = new float[3 * AudioMarkLayout.Bands];
    private readonly float[] _delta = new float[N];
    private readonly float[] _deltaIm = new float[N];
    private readonly double[] _hostSum = new double[Ring];
    private readonly int[] _hostCount = new int[Ring];
    private readonly float[] _gain = new float[N];
    private readonly float[] _zero = new float[N];
    private long _analyzed;
    private long _frameIndex;
    private long _fed;
    private long _deltaDone;
    private long _finishedFrames = -1;
    private readonly float[] _hostStatistic = new float[AudioMarkLayout.Bands];
    private float _hostVariance = 4f;
    private double _meanLevel;
    private double _runHost, _runMark;
    // The whole-second limiter (AddDeltas): host and mark energy per channel of the last few whole
    // seconds of the file, tagged with the second they belong to.
    private const int SecondRing = 8;
    private readonly double[] _secondHost = new double[SecondRing];
    private readonly double[] _secondMark = new double[SecondRing];
    private readonly long[] _secondTag = [-1, -1, -1, -1, -1, -1, -1, -1];

    /// <summary>The SNR the governor holds the running ≈ 0.46 s ratio to (spec §5: ≥ 30 dB).</summary>
    public const double TargetSnrDb = 30.5;
    private readonly double _targetRatio;
    /// <summary>Memory of the governor's running energies: 1/(1 − 0.95) = 20 frames ≈ 0.46 s. With the
    /// band-adaptive depth, a 4.6 s memory (0.995) let single quiet seconds of speech fall to 28.6 dB;
    /// 0.95 with the target at 30.5 dB holds every whole second of both samples at ≥ 30.2 dB (five keys)
    /// for ≤ 5 more raw coded-bit errors in the hardest rows (measured, docs/audio.md).</summary>
    private const double GovernorDecay = 0.95;

    /// <summary>The hard floor of every whole second of the file (0 s–1 s, 1 s–2 s, …): the mark's energy in
    /// it never exceeds the host's by more than this ratio, whatever the frame governor allowed (a frame
    /// straddling a loud-to-silent edge spreads its mark over the whole frame; a quiet second after a loud
    /// one inherits the running budget). 30.05 dB leaves float rounding no room to reach 30.</summary>
    public const double SecondFloorDb = 30.05;
    private static readonly double SecondRatio = Math.Pow(10, -SecondFloorDb / 10);

    /// <summary>How α leans against loudness (0 = constant per-frame SNR).</summary>
    public const double LoudnessExponent = -0.5;

    /// <summary>How a band's depth leans against its power (0 = the same relative depth in every band);
    /// see <see cref="BandWeights"/>. Chosen with <see cref="MaxBandGain"/> on the audio corpus's 5 s
    /// excerpts (clean, Opus 64k, Opus 32k and AAC 64k at 48 kHz; bench/AUDIO.md): 0.2 / 0.35 / 0.5 / 0.7
    /// gave median bit SNR d′ 0.84 / 0.99 / 1.05 / 0.92 at the 0.4 cap. Leaning further into quiet bands
    /// helps even after low-rate codecs, which were expected to erase them.</summary>
    public const float BandWeightExponent = 0.5f;

    /// <summary>Largest relative change of any band (|g| ≤ 0.8: a band's magnitude stays within ×0.2…×1.8 of
    /// its content, the mark ≥ 1.9 dB below it). With the depth leaning against band power the cap, not the
    /// 30 dB budget, decides how much of the budget reaches the quiet bands, which carry the most evidence
    /// per unit of SNR (and, measured, through the codecs too): 0.4 → 0.6 moved the corpus excerpts' median
    /// d′ from 1.05 to 1.25 (cells read 47 → 53 of 72); 0.6 → 0.8 read 10 of 22 of the corpus's failing 5 s
    /// excerpt cells where 0.6 read 6 (mean d′ 0.74 → 0.79; 0.9 read 10, 0.79 → 0.80: not worth the deeper
    /// cut), with the SNR governor and whole-second limiter unchanged (bench/AUDIO.md).</summary>
    public const float MaxBandGain = 0.8f;

    private readonly float[] _bandWeight = new float[AudioMarkLayout.Bands];

    /// <summary>How hard informed embedding leans on the host statistic (0 = plain spread spectrum). 0.5, not
    /// the 1 it was set to on clean files: the embedder sees the host's statistic at the exact alignment, but a
    /// reader of a codec copy or an excerpt cut between grid positions sees another, so the energy moved
    /// between a frame's slots buys less than it costs (an uneven split carries less total evidence). On
    /// 12 corpus clips × 5 attacks (5 s excerpts plain and through Opus 32k/64k and AAC 64k at 48 kHz, whole
    /// Opus 32k; bench/AUDIO.md) λ = 0.5 read 39 of 60 cells where 1 read 36, and on 8 other clips λ = 0 read
    /// 35 of 40 where 1 read 32; λ = 2 read fewer.</summary>
    public const float InformedLambda = 0.5f;

    private readonly float _informedLambda;
    private readonly float _maxBandGain;

    public AudioMarkEmbedder(AudioMarkLayout layout, MarkPayload payload, int sampleRate, int channels, float strength = DefaultStrength)
        : this(layout, payload, sampleRate, channels, strength, InformedLambda, MaxBandGain) { }

    /// <summary>For the bench: the same embedder with another informed-embedding weight λ (0 = plain spread
    /// spectrum), so variants are compared on one build.</summary>
    internal AudioMarkEmbedder(AudioMarkLayout layout, MarkPayload payload, int sampleRate, int channels, float strength, float informedLambda)
        : this(layout, payload, sampleRate, channels, strength, informedLambda, MaxBandGain) { }

    /// <summary>For the bench: as above, with another cap on a band's relative change (<see cref="MaxBandGain"/>).</summary>
    internal AudioMarkEmbedder(AudioMarkLayout layout, MarkPayload payload, int sampleRate, int channels, float strength, float informedLambda, float maxBandGain)
        : this(layout, payload, sampleRate, channels, strength, informedLambda, maxBandGain, TargetSnrDb) { }

    /// <summary>For the bench: as above, with another target for the frame governor (<see cref="TargetSnrDb"/>).
    /// The whole-second limiter's floor (<see cref="SecondFloorDb"/>) is not a knob, so every variant keeps
    /// every whole second at ≥ 30.05 dB.</summary>
    internal AudioMarkEmbedder(AudioMarkLayout layout, MarkPayload payload, int sampleRate, int channels, float strength, float informedLambda, float maxBandGain, double targetSnrDb)
    {
        if (!(targetSnrDb >= 20 && targetSnrDb <= 60)) throw new ArgumentOutOfRangeException(nameof(targetSnrDb));
        _targetRatio = Math.Pow(10, -targetSnrDb / 10);
        if (!(maxBandGain > 0 && maxBandGain < 1)) throw new ArgumentOutOfRangeException(nameof(maxBandGain), "a band's relative change must stay in (0, 1)");
        _maxBandGain = maxBandGain;
        _informedLambda = informedLambda;
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        if (sampleRate < AudioMarkLayout.MinimumEmbedRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "the mark needs ≥ 16 kHz (its bands reach 7.4 kHz)");
        _layout = layout;
        // The version field names the layout the bits are written in (AudioMarkLayout.FormatVersion), so a
        // detection says which format it read.
        _coded = PayloadCodec.Encode(new MarkPayload(payload.MarkId, AudioMarkLayout.FormatVersion, payload.KeyNibble));
        _channels = channels;
        _rate = sampleRate;
        _down = new AudioResampler(sampleRate, Fc, PassbandHz);
        _up = new AudioResampler(Fc, sampleRate, PassbandHz);
        _frameScale = (double)Fc / ((double)sampleRate * N);
        Strength = strength;
    }

    public float Strength { get; }

    /// <summary>The most file samples per channel by which the mark lags the input: a chunk passed to
    /// <see cref="Process"/> is complete once the next chunk (or <see cref="Finish"/>) has been seen,
    /// provided chunks are at least this long.</summary>
    public int LatencySamples => (int)Math.Ceiling((2 * N + _down.Lookahead + 2) * (double)_rate / Fc) + _up.Lookahead + 2;

    /// <summary>Marks a whole signal held in memory (bench, robustness harness, tests).</summary>
    public void ProcessAll(Span<float> interleaved)
    {
        Process(interleaved, default);
        Finish(interleaved, default);
    }

    /// <summary>
    /// Takes the next chunk (in place, after any other sample work on it) and adds the mark wherever it
    /// is now known: to the rest of <paramref name="held"/> (the previous chunk, not yet written out)
    /// and the start of <paramref name="chunk"/>. <paramref name="held"/> must be the chunk passed in
    /// the previous call (empty on the first), and is complete when this returns. Every chunk but the last
    /// must hold at least 4,096 frames (one step) for the output not to depend on where the chunks break
    /// (PcmPipeline hands over 65,536; tested for 4,096, 4,999 and 65,536).
    /// </summary>
    public void Process(Span<float> chunk, Span<float> held)
    {
        if (_finishedFrames >= 0) throw new InvalidOperationException("the embedder has finished");
        int frames = chunk.Length / _channels;
        long chunkStart = _fed;
        int heldFrames = held.Length / _channels;
        for (int at = 0; at < frames; at += Step)
        {
            int n = Math.Min(Step, frames - at);
            var part = chunk.Slice(at * _channels, n * _channels);
            HostEnergy(part, _fed);
            MixMono(part, _mono.AsSpan(0, n));
            _down.Write(_mono.AsSpan(0, n));
            _fed += n;
            Pull(final: false);
            AddDeltas(chunk, chunkStart, held, heldFrames, _fed);
        }
    }

    /// <summary>End of stream: marks the rest of <paramref name="last"/>, the final chunk passed to
    /// <see cref="Process"/> (empty when there was none), and of <paramref name="held"/>, the chunk
    /// passed as held with it.</summary>
    public void Finish(Span<float> last, Span<float> held)
    {
        if (_finishedFrames >= 0) return;
        int lastFrames = last.Length / _channels;
        long chunkStart = _fed - lastFrames;
        // Silence after the end lets the resampler produce the last canonical samples; the final frame
        // is completed with zeros and marked with itself as its own temporal neighbour.
        _down.WriteSilence(_down.Lookahead + 2);
        long canonicalEnd = (long)Math.Ceiling(_fed * (double)Fc / _rate);
        _finishedFrames = (canonicalEnd + N - 1) / N;
        Pull(final: true);
        _up.WriteSilence(_up.Lookahead + 2);
        AddDeltas(last, chunkStart, held, held.Length / _channels, _fed);
    }

    /// <summary>Per canonical frame, the host's energy per channel measured at the file's rate over the
    /// frame's span (what the SNR is measured against), as a sum and a sample count.</summary>
    private void HostEnergy(ReadOnlySpan<float> x, long first)
    {
        int n = x.Length / _channels;
        // Each frame's sum is accumulated in a register and its slot found once per frame, not per sample
        // (a 64-bit modulo and a memory round trip per sample); the additions are the same, in the same
        // order, from the slot's value, so the sums are bit for bit those of a per-sample update.
        // Dividing by a power of two equals multiplying by its reciprocal exactly; other counts divide.
        bool powerOfTwo = (_channels & (_channels - 1)) == 0;
        double inverse = 1.0 / _channels;
        long current = -1;
        int slot = 0, count = 0;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double e = 0;
            for (int c = 0; c < _channels; c++) { float v = x[i * _channels + c]; e += v * v; }
            long frame = (long)((first + i) * _frameScale);
            if (frame != current)
            {
                if (current >= 0) { _hostSum[slot] = sum; _hostCount[slot] += count; }
                current = frame;
                slot = (int)(frame % Ring);
                sum = _hostSum[slot];
                count = 0;
            }
            sum += powerOfTwo ? e * inverse : e / _channels;
            count++;
        }
        if (current >= 0) { _hostSum[slot] = sum; _hostCount[slot] += count; }
        // The same energy per whole second, in runs that do not cross a second's edge.
        for (int i = 0; i < n;)
        {
            long sample = first + i;
            int run = (int)Math.Min(n - i, _rate - sample % _rate);
            double e = 0;
            foreach (float v in x.Slice(i * _channels, run * _channels)) e += v * v;
            Second(sample) += e / _channels;
            i += run;
        }
    }

    /// <summary>The host-energy accumulator of the whole second holding file sample <paramref name="sample"/>
    /// (a new second's slot starts from zero).</summary>
    private ref double Second(long sample)
    {
        long second = sample / _rate;
        int r = (int)(second % SecondRing);
        if (_secondTag[r] != second)
        {
            _secondTag[r] = second;
            _secondHost[r] = 0;
            _secondMark[r] = 0;
        }
        return ref _secondHost[r];
    }

    /// <summary>Moves canonical samples out of the down-sampler, analyses and marks every frame whose
    /// neighbour is known, and writes the marks to the up-sampler.</summary>
    private void Pull(bool final)
    {
        while (true)
        {
            int room = _canon.Length - _canonCount;
            int got = _down.Read(_canon.AsSpan(_canonCount, room));
            _canonCount += got;
            // Analyse every complete frame held (frame _analyzed starts at _canon[0]).
            while (_canonCount >= N && (!final || _analyzed < _finishedFrames))
            {
                Analyze(_canon.AsSpan(0, N));
                _canon.AsSpan(N, _canonCount - N).CopyTo(_canon);
                _canonCount -= N;
                if (_analyzed >= 2) MarkFrame(_frameIndex, hasNext: true);
            }
            if (got == 0 || (final && _analyzed >= _finishedFrames)) break;
        }
        if (!final) return;
        if (_analyzed < _finishedFrames)
        {
            // The last partial frame: zero-padded.
            _canon.AsSpan(_canonCount, N - Math.Min(N, _canonCount)).Clear();
            Analyze(_canon.AsSpan(0, N));
            _canonCount = 0;
            if (_analyzed >= 2 && _frameIndex < _analyzed - 1) MarkFrame(_frameIndex, hasNext: true);
        }
        while (_frameIndex < _analyzed) MarkFrame(_frameIndex, hasNext: false);
    }

    private void Analyze(ReadOnlySpan<float> frame)
    {
        int slot = (int)(_analyzed % 3);
        _frame.Analyze(frame);
        _frame.Re.CopyTo(_specRe.AsSpan(slot * N, N));
        _frame.Im.CopyTo(_specIm.AsSpan(slot * N, N));
        _frame.Power.CopyTo(_specPower.AsSpan(slot * N, N));
        _frame.ComputeBandLog(_frame.Power, _logs.AsSpan(slot * AudioMarkLayout.Bands, AudioMarkLayout.Bands));
        _analyzed++;
    }

    private void MarkFrame(long j, bool hasNext)
    {
        const int B = AudioMarkLayout.Bands;
        int mid = (int)(j % 3);
        var midLog = _logs.AsSpan(mid * B, B);
        var prevLog = j == 0 ? midLog : _logs.AsSpan((int)((j + 2) % 3) * B, B);
        var nextLog = hasNext ? _logs.AsSpan((int)((j + 1) % 3) * B, B) : midLog;
        // The host's part of the detector's pair statistic, oriented like this frame's signs: this
        // frame's band log magnitudes minus its pair partner's (the frame after it for the first frame of
        // a pair, the frame before for the second; BlockFrames is even, so j's parity is the pair's).
        var partner = (j & 1) == 0 ? nextLog : prevLog;
        FrameAnalyzer.PairDifference(midLog, partner, _hostStatistic);
        int r = (int)(j % Ring);
        double host = _hostCount[r] > 0 ? _hostSum[r] / _hostCount[r] * N : 0;
        _hostSum[r] = 0;
        _hostCount[r] = 0;
        var re = _delta.AsSpan();
        var im = _deltaIm.AsSpan();
        _specRe.AsSpan(mid * N, N).CopyTo(re);
        _specIm.AsSpan(mid * N, N).CopyTo(im);
        MakeDelta(re, im, _specPower.AsSpan(mid * N, N), midLog, host);
        FrameAnalyzer.Fft.Inverse(re, im);
        _up.Write(re);
    }

    /// <summary>Adds every file-rate mark sample the up-sampler can give now (up to <paramref name="end"/>)
    /// to the sample it belongs to, in the held chunk or the current one.</summary>
    private void AddDeltas(Span<float> chunk, long chunkStart, Span<float> held, int heldFrames, long end)
    {
        while (_deltaDone < end)
        {
            int want = (int)Math.Min(_deltaOut.Length, end - _deltaDone);
            int got = _up.Read(_deltaOut.AsSpan(0, want));
            if (got == 0) return;
            // Whole-second limiter: the mark written so far in a second stays within the ratio of the
            // host energy seen so far in it (the host is known ahead of the mark, up to _fed), so once
            // the second is complete its SNR is ≥ SecondFloorDb. The frame governor keeps it far from
            // binding on ordinary audio; it clips only where a frame's mark spills into a much quieter
            // second (or a loud second's running budget into a quiet one).
            // The second's edge is tracked, not divided out per sample (a 64-bit division per sample was
            // a third of this loop's time on 44.1 kHz stereo).
            long second = -1, nextEdge = long.MinValue;
            int sr = 0;
            double room = 0;
            for (int i = 0; i < got; i++)
            {
                long m = _deltaDone + i;
                float d = _deltaOut[i];
                if (m >= nextEdge)
                {
                    if (second >= 0) _secondMark[sr] = Second(second * _rate) * SecondRatio - room;
                    second = m / _rate;
                    nextEdge = (second + 1) * _rate;
                    double host = Second(m);
                    sr = (int)(second % SecondRing);
                    room = host * SecondRatio - _secondMark[sr];
                }
                double d2 = (double)d * d;
                if (d2 > room) { d = room > 0 ? MathF.CopySign((float)Math.Sqrt(room), d) : 0f; d2 = room > 0 ? room : 0; }
                room -= d2;
                Span<float> target;
                long index;
                if (m >= chunkStart) { target = chunk; index = m - chunkStart; }
                else if (m >= chunkStart - heldFrames) { target = held; index = m - (chunkStart - heldFrames); }
                else throw new InvalidOperationException($"chunks shorter than the mark's latency ({LatencySamples} samples)");
                int o = (int)index * _channels;
                for (int c = 0; c < _channels; c++) target[o + c] += d;
            }
            if (second >= 0) _secondMark[sr] = Second(second * _rate) * SecondRatio - room;
            _deltaDone += got;
        }
    }

    private void MixMono(ReadOnlySpan<float> x, Span<float> mono)
    {
        int n = mono.Length;
        if (_channels == 1) { x[..n].CopyTo(mono); return; }
        float inv = 1f / _channels;
        for (int i = 0; i < n; i++)
        {
            float s = 0;
            for (int c = 0; c < _channels; c++) s += x[i * _channels + c];
            mono[i] = s * inv;
        }
    }

    /// <summary>
    /// Informed embedding (after Malvar and Florêncio's improved spread spectrum): the embedder knows
    /// the host's part h of each slot's detection statistic, so a slot whose host already points the
    /// right way gets less strength and one that points the wrong way gets more, γ = clamp(1 − λ·b·h/σ),
    /// then renormalised so the frame's total mark energy (and so the SNR) is unchanged.
    /// </summary>
    private float SlotStatistic(ReadOnlySpan<int> up, ReadOnlySpan<int> down)
    {
        float v = 0;
        foreach (int b in up) v += _hostStatistic[b];
        foreach (int b in down) v -= _hostStatistic[b];
        return v;
    }

    private void MakeDelta(Span<float> re, Span<float> im, ReadOnlySpan<float> power, ReadOnlySpan<float> bandLog, double hostEnergy)
    {
        int q = (int)(_frameIndex++ % AudioMarkLayout.BlockFrames);
        double total = 0, band = 0;
        for (int k = 1; k < N / 2; k++) total += power[k];
        int first = _frame.FirstBin;
        for (int k = first; k < first + AudioMarkLayout.Bands * AudioMarkLayout.BinsPerBand; k++) band += power[k];
        if (band < 1e-10) { re.Clear(); im.Clear(); return; } // digital silence: nothing to hide a mark in
        // Loudness leaning: the detector reads log magnitudes, so a frame's evidence depends on α only,
        // while its cost in SNR is α²·energy. Leaning α against the frame's loudness relative to the
        // running mean (LoudnessExponent, limited to ×0.5…×3) buys evidence where the cost is low — quiet
        // passages and speech between words — without a fixed floor that would be heard in them.
        double level = total / N;
        _meanLevel = _meanLevel <= 0 ? level : 0.97 * _meanLevel + 0.03 * level;
        double lean = Math.Clamp(Math.Pow(level / _meanLevel, LoudnessExponent), 0.5, 3.0);
        float alpha = (float)Math.Min(MaxAlpha, Strength * lean * Math.Sqrt(total / band));

        const int Slots = AudioMarkLayout.SlotsPerFrame + 1;
        Span<float> bit = stackalloc float[Slots];
        Span<float> gamma = stackalloc float[Slots];
        int sign = _layout.SyncSign(q);
        bit[0] = sign;
        gamma[0] = SlotStatistic(_layout.SyncUp, _layout.SyncDown);
        for (int s = 0; s < AudioMarkLayout.SlotsPerFrame; s++)
        {
            bit[s + 1] = _coded[_layout.SlotBit(q, s)] * AudioMarkLayout.FrameSign(q);
            gamma[s + 1] = SlotStatistic(_layout.SlotUp(q, s), _layout.SlotDown(q, s));
        }
        double energy = 0;
        for (int s = 0; s < Slots; s++)
        {
            float h = gamma[s];
            _hostVariance = 0.995f * _hostVariance + 0.005f * h * h / Slots * Slots;
            float sigma = MathF.Sqrt(_hostVariance);
            gamma[s] = Math.Clamp(1f - _informedLambda * bit[s] * h / sigma, 0.2f, 2.5f);
            energy += gamma[s] * gamma[s];
        }
        float norm = (float)(1 / Math.Sqrt(energy / Slots));

        BandWeights(power, bandLog);
        Array.Clear(_gain);
        float g0 = alpha * gamma[0] * norm * sign;
        foreach (int b in _layout.SyncUp) SetBand(b, g0);
        foreach (int b in _layout.SyncDown) SetBand(b, -g0);
        for (int s = 0; s < AudioMarkLayout.SlotsPerFrame; s++)
        {
            float v = bit[s + 1] * alpha * gamma[s + 1] * norm;
            foreach (int b in _layout.SlotUp(q, s)) SetBand(b, v);
            foreach (int b in _layout.SlotDown(q, s)) SetBand(b, -v);
        }
        // SNR governor: the delta's energy is known before it is made (Parseval: Σd² = Σ|X·gain|²/N),
        // so a running (≈ 0.46 s) ratio of mark to host energy per channel is held at or below the
        // target. The host's energy is the file's own (all channels, full band, at its own rate, per
        // canonical-frame span); the up-sampler passes the mark's band unchanged, so the ratio holds. Loudness leaning, band weights and informed embedding move energy between frames;
        // this keeps the file and every whole second of it at SNR ≥ 30 dB (measured on both samples).
        double delta = 0;
        for (int k = 1; k < N; k++) delta += power[k] * _gain[k] * _gain[k];
        delta /= N;
        _runHost = GovernorDecay * _runHost + hostEnergy;
        double allowed = _runHost * _targetRatio - GovernorDecay * _runMark;
        double scale = delta <= allowed ? 1 : allowed <= 0 ? 0 : Math.Sqrt(allowed / delta);
        _runMark = GovernorDecay * _runMark + delta * scale * scale;
        if (scale < 1)
        {
            float sc = (float)scale;
            for (int k = 0; k < N; k++) _gain[k] *= sc;
        }
        // Delta spectrum D = X · gain (gain is Hermitian-symmetric, so the inverse is real).
        BandOps.MultiplyAdd(re, _gain, _zero, re);
        BandOps.MultiplyAdd(im, _gain, _zero, im);
    }

    /// <summary>
    /// Energy-adaptive distribution of the mark over the bands of a frame: band b's relative depth is
    /// w_b ∝ P_b^−<see cref="BandWeightExponent"/> (P_b its power), renormalised so the frame's mark
    /// energy Σ w_b²·P_b equals that of a uniform depth. Why: the detector reads log magnitudes, so a
    /// band's evidence is its relative depth α·w_b over its host fluctuation, which is about the same in
    /// loud and quiet bands, while its cost in SNR is α²·w_b²·P_b. A uniform depth spent almost all of
    /// the 30 dB budget on music's few loud low bands; leaning against band power moves it to the many
    /// quieter ones and multiplies the evidence per unit of SNR (measured: music raw coded-bit errors
    /// 31–47 → 0–1 of 330 on the clean file, 78–80 → 3–8 on 5 s excerpts; bench/AUDIO.md). The mark stays
    /// a scaling of each band's own content (X·g), capped at <see cref="MaxBandGain"/> (≥ 1.9 dB below it).
    /// The band log magnitudes are already known (pass 1), so w_b = exp(−2β·log|X_b|) costs one exp per band.
    /// </summary>
    private void BandWeights(ReadOnlySpan<float> power, ReadOnlySpan<float> bandLog)
    {
        double sumP = 0, sumWP = 0;
        float reference = 0;
        for (int b = 0; b < AudioMarkLayout.Bands; b++) reference += bandLog[b];
        reference /= AudioMarkLayout.Bands; // keeps the exponent's argument small; cancels in the renormalisation
        for (int b = 0; b < AudioMarkLayout.Bands; b++)
        {
            double pb = FrameAnalyzer.BandPower(power, b);
            float w = MathF.Exp(-2 * BandWeightExponent * (bandLog[b] - reference));
            _bandWeight[b] = w;
            sumP += pb;
            sumWP += (double)w * w * pb;
        }
        float norm = sumWP > 0 ? (float)Math.Sqrt(sumP / sumWP) : 0;
        for (int b = 0; b < AudioMarkLayout.Bands; b++) _bandWeight[b] *= norm;
    }

    private void SetBand(int band, float g)
    {
        g = Math.Clamp(g * _bandWeight[band], -_maxBandGain, _maxBandGain);
        int k = _frame.FirstBin + band * AudioMarkLayout.BinsPerBand;
        for (int j = 0; j < AudioMarkLayout.BinsPerBand; j++)
        {
            _gain[k + j] = g;
            _gain[N - (k + j)] = g;
        }
    }
}
