using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Finds the audio mark in a stream of interleaved float PCM at any rate from 8 to 96 kHz, in one pass
/// with bounded memory (≈ 3 MB of accumulators and buffers, whatever the length).
/// <para>Rate model: the mono mix is resampled to the canonical rate
/// (<see cref="AudioMarkLayout.CanonicalRate"/>) where the mark is defined, so the file's rate, and
/// any resampling it went through, does not matter. Speed changes of the resampling kind (time and
/// pitch together, ±2 %) are undone by reading the file as if its rate were rate / s for each factor s in
/// <see cref="Speeds"/>: one lane per factor, each with its own resampler (0.5 % apart, so the true
/// factor is within 0.25 % of one, a quarter band at the top band, and ±2 % itself is exact).</para>
/// <para>Per lane, frame grids at <see cref="Offsets"/> offsets 128 canonical samples (5.8 ms) apart
/// are analysed (an excerpt cut anywhere is within 64 samples, an eighth of a frame, of one: the Hann
/// window holds 1.2 % of its energy there, so the loss is small); each frame's band log magnitudes minus
/// the previous frame's (<see cref="FrameAnalyzer.PairDifference"/>: where the frame is the second of one of
/// the mark's frame pairs, that is the pair statistic) go through a per-band whitening (running RMS per grid), a per-frame
/// normalisation and a clip at ±<see cref="BandClip"/>. Everything after that is linear, so the
/// frames are summed per grid and per position modulo the block (80 values each) and the per-phase
/// sync correlation and 330 soft bits are formed from those sums at the end, from the positions that are
/// a pair's second frame at that phase, for the few alignments
/// that are decoded: a frame costs one FFT and 80 additions per grid, which is what makes nine speed
/// lanes affordable.</para>
/// <para>Decision: the <see cref="Candidates"/> best (lane, grid, phase) alignments by sync z-score
/// (neighbouring grids at the same lane and phase count once) are Viterbi-decoded with the soft bits
/// of grids o−1..o+1 summed. A payload is reported only if its CRC-32 passes, its key nibble is the
/// verifying key's, and the bound Candidates · min(1, p_sync) · 2⁻³⁶ ≤ 1e-9 holds
/// (<see cref="FalsePositiveBound"/>; p_sync is the max-of-Gaussians tail over every lane, grid and
/// phase searched), so unmarked audio or a wrong key reports nothing. When no candidate's Viterbi word
/// passes, candidates with p_sync ≤ <see cref="ListSyncPValue"/> are list-decoded
/// (<see cref="ListSize"/> words each); both stages together keep the bound per file at
/// <see cref="ListDecodingBound"/> (9.8e-10).</para>
/// </summary>
public sealed class AudioMarkDetector
{
    public const int Offsets = 4;

    public const int Candidates = 16;

    /// <summary>Band values (unit RMS per frame) are clipped here before they are summed, so a few
    /// transient frames cannot outvote many steady ones.</summary>
    public const float BandClip = 2.5f;

    /// <summary>The time-scale factors searched, 1 first. Each is counted in the false-positive bound
    /// (through the number of sync cells); the list is fixed, so the bound is too.</summary>
    public static ReadOnlySpan<double> Speeds => [1.0, 0.995, 1.005, 0.99, 1.01, 0.985, 1.015, 0.98, 1.02];

    /// <summary>After this much of the file, the speed search narrows: lane 1 goes on, and of the other
    /// eight only the one whose sync peak is highest, and only if that peak beats lane 1's (a
    /// speed-changed file); the rest stop. 20 s hold 8 blocks, enough for the sync of the right lane to
    /// stand out, and a long file then costs one or two lanes, not nine, while a long speed-changed
    /// file still soft-combines all of its blocks (noise-like content needs them all).</summary>
    public const double SpeedSearchSeconds = 20;

    private const int N = AudioMarkLayout.FrameSize;
    private const int F = AudioMarkLayout.BlockFrames;
    private const int B = AudioMarkLayout.Bands;
    private const int Step = N / Offsets;
    private readonly AudioMarkLayout _layout;
    private readonly int _channels;
    private readonly FrameAnalyzer _frame = new();
    private readonly Lane[] _lanes;
    private readonly float[] _highPassed = new float[B];
    private readonly float[] _logA = new float[B];
    private readonly float[] _logB = new float[B];
    private readonly float[] _mono = new float[Slice];

    public AudioMarkDetector(AudioMarkLayout layout, int sampleRate, int channels)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        if (sampleRate < AudioMarkLayout.MinimumDetectRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), "the detector reads 8 kHz and up");
        _layout = layout;
        _channels = channels;
        var speeds = Speeds;
        _lanes = new Lane[speeds.Length];
        for (int i = 0; i < speeds.Length; i++)
            _lanes[i] = new Lane(speeds[i], new AudioResampler(sampleRate / speeds[i], AudioMarkLayout.CanonicalRate, AudioMarkEmbedder.PassbandHz));
        _narrowAt = (long)(SpeedSearchSeconds * sampleRate);
    }

    private readonly long _narrowAt;
    private long _fedFrames;

    /// <summary>The speed search narrows (see <see cref="SpeedSearchSeconds"/>): every lane has been fed the
    /// same file samples so far, so the survivor continues seamlessly.</summary>
    private void Narrow()
    {
        double Peak(Lane lane)
        {
            double best = double.NegativeInfinity;
            for (int o = 0; o < Offsets; o++)
                for (int p = 0; p < F; p++) best = Math.Max(best, SyncZ(lane, o, p, _layout));
            return best;
        }
        double reference = Peak(_lanes[0]);
        int keep = -1;
        double keepZ = reference;
        for (int l = 1; l < _lanes.Length; l++)
        {
            double z = Peak(_lanes[l]);
            if (z > keepZ) { keepZ = z; keep = l; }
        }
        for (int l = 1; l < _lanes.Length; l++)
            if (l != keep) _lanes[l].Done = true;
    }

    /// <summary>Convenience: the layout for a key.</summary>
    public AudioMarkDetector(MarkKey key, int sampleRate, int channels) : this(new AudioMarkLayout(key), sampleRate, channels) { }

    /// <summary>Feeds interleaved samples (any chunk size). Work goes in slices of
    /// <see cref="Slice"/> samples per channel, so a whole file passed at once still keeps every
    /// lane's buffers small (each lane drains before the next slice is written).</summary>
    public void Add(ReadOnlySpan<float> interleaved)
    {
        int frames = interleaved.Length / _channels;
        float inv = 1f / _channels;
        for (int at = 0; at < frames; at += Slice)
        {
            int n = Math.Min(Slice, frames - at);
            for (int i = 0; i < n; i++)
            {
                float s = 0;
                for (int c = 0; c < _channels; c++) s += interleaved[(at + i) * _channels + c];
                _mono[i] = s * inv;
            }
            foreach (var lane in _lanes)
            {
                if (lane.Done) continue;
                lane.Resampler.Write(_mono.AsSpan(0, n));
                Drain(lane);
            }
            bool wasBefore = _fedFrames < _narrowAt;
            _fedFrames += n;
            if (wasBefore && _fedFrames >= _narrowAt) Narrow();
        }
    }

    private const int Slice = 8192;

    private void Drain(Lane lane)
    {
        while (true)
        {
            lane.Reserve(4096);
            int got = lane.Resampler.Read(lane.Buffer.AsSpan(lane.Count, 4096));
            lane.Count += got;
            long end = lane.BufferStart + lane.Count;
            // Grids take turns frame by frame; two ready frames share one complex FFT.
            bool progress = true;
            while (progress)
            {
                progress = false;
                int pending = -1;
                for (int o = 0; o < Offsets; o++)
                {
                    long start = o * Step + lane.Frames[o] * N;
                    if (start + N > end) continue;
                    progress = true;
                    if (pending < 0) { pending = o; continue; }
                    long first = pending * Step + lane.Frames[pending] * N;
                    _frame.BandLogPair(lane.Buffer.AsSpan((int)(first - lane.BufferStart), N), lane.Buffer.AsSpan((int)(start - lane.BufferStart), N), _logA, _logB);
                    ProcessFrame(lane, pending, _logA);
                    ProcessFrame(lane, o, _logB);
                    pending = -1;
                }
                if (pending >= 0)
                {
                    long first = pending * Step + lane.Frames[pending] * N;
                    var frame = lane.Buffer.AsSpan((int)(first - lane.BufferStart), N);
                    _frame.BandLogPair(frame, frame, _logA, _logB);
                    ProcessFrame(lane, pending, _logA);
                }
            }
            // Keep only what the grid that lags most still needs.
            long keep = long.MaxValue;
            for (int o = 0; o < Offsets; o++) keep = Math.Min(keep, o * Step + lane.Frames[o] * N);
            int drop = (int)Math.Min(keep - lane.BufferStart, lane.Count);
            if (drop > 0)
            {
                lane.Buffer.AsSpan(drop, lane.Count - drop).CopyTo(lane.Buffer);
                lane.Count -= drop;
                lane.BufferStart += drop;
            }
            if (got == 0) return;
        }
    }

    private void ProcessFrame(Lane lane, int o, ReadOnlySpan<float> bandLog)
    {
        long frame = lane.Frames[o]++;
        // Host removal by the pair difference: the mark's second frame of a pair carries the first's
        // signs inverted, so this frame's band log magnitudes minus the previous frame's hold twice the
        // mark wherever this frame is a pair's second, and the host's level and spectral envelope cancel.
        // Only the positions that are a pair's second frame are read at the end (which ones depends on
        // the block phase), so every frame's difference is kept.
        var history = lane.History.AsSpan(o * 3 * B, 3 * B);
        bandLog.CopyTo(history.Slice((int)(frame % 3) * B, B));
        if (frame < 1) return;
        long i = frame;
        var prev = history.Slice((int)((frame - 1) % 3) * B, B);
        var cur = history.Slice((int)(frame % 3) * B, B);
        var L = _highPassed;
        FrameAnalyzer.PairDifference(cur, prev, L);
        // Band whitening: each band's statistic is divided by its running RMS in this grid, so bands
        // whose host fluctuates a lot (tonal peaks, formant edges) count less — the optimal linear
        // combiner when the mark has the same depth in every band.
        var bandVar = lane.BandVar.AsSpan(o * B, B);
        float warm = frame < 40 ? 1f / (frame + 1) : 0.025f;
        float energy = 0;
        for (int b = 0; b < B; b++)
        {
            float v = bandVar[b] = (1 - warm) * bandVar[b] + warm * L[b] * L[b];
            L[b] /= MathF.Sqrt(v + 1e-4f);
            energy += L[b] * L[b];
        }
        // Weight each frame by its reliability: transients and onsets make the high-passed host large
        // in every band at once; dividing by the frame's RMS keeps them from swamping steady frames.
        float scale = 1f / MathF.Sqrt(energy / B + 1e-3f);
        for (int b = 0; b < B; b++) L[b] = Math.Clamp(L[b] * scale, -BandClip, BandClip);
        float s = 0;
        foreach (int b in _layout.SyncUp) s += L[b];
        foreach (int b in _layout.SyncDown) s -= L[b];
        lane.SSum[o] += s;
        lane.SSq[o] += (double)s * s;
        int r = (int)(i % F);
        int cell = o * F + r;
        lane.Sync[cell] += s;
        lane.Seen[cell]++;
        var acc = lane.Acc.AsSpan(cell * B, B);
        for (int b = 0; b < B; b++) acc[b] += L[b];
    }

    /// <summary>Sync z-score of phase p in grid o of a lane: the keyed sign sequence against the frames'
    /// sync statistics, centred on the grid's mean and scaled by its spread.</summary>
    private static double SyncZ(Lane lane, int o, int p, AudioMarkLayout layout)
    {
        long n = lane.Frames[o] - 1;
        if (n < 8) return double.NegativeInfinity;
        double mean = lane.SSum[o] / n, var = lane.SSq[o] / n - mean * mean;
        if (var <= 1e-12) return double.NegativeInfinity;
        // Only the pairs' second frames carry a pair difference (odd block positions q); the others
        // straddle two pairs and are left out, so the sum is over independent differences.
        double score = 0, signs = 0, used = 0;
        for (int r = 0; r < F; r++)
        {
            int q = r + p; if (q >= F) q -= F;
            if ((q & 1) == 0) continue;
            int sign = layout.SyncSign(q);
            score += sign * lane.Sync[o * F + r];
            signs += sign * lane.Seen[o * F + r];
            used += lane.Seen[o * F + r];
        }
        return used > 0 ? (score - mean * signs) / Math.Sqrt(var * used) : double.NegativeInfinity;
    }

    /// <summary>The 330 soft coded bits of grid o at phase p: frame i sits at block position
    /// q = (i + p) mod F, so the sum of frames with i ≡ r holds position q = r + p.</summary>
    private void AddSoftBits(Lane lane, int o, int p, Span<float> soft)
    {
        // Pair differences sit at the pairs' second frames (odd q), whose signs are the bit's inverted.
        for (int q = 1; q < F; q += 2)
        {
            int r = q - p; if (r < 0) r += F;
            var acc = lane.Acc.AsSpan((o * F + r) * B, B);
            for (int k = 0; k < AudioMarkLayout.SlotsPerFrame; k++)
            {
                float v = 0;
                foreach (int b in _layout.SlotUp(q, k)) v += acc[b];
                foreach (int b in _layout.SlotDown(q, k)) v -= acc[b];
                soft[_layout.SlotBit(q, k)] -= v;
            }
        }
    }

    /// <summary>For diagnostics and tests: the soft bits of one grid and phase at speed 1.</summary>
    internal float[] SoftBits(int offset, int phase)
    {
        var soft = new float[PayloadCodec.CodedBits];
        AddSoftBits(_lanes[0], offset, phase, soft);
        return soft;
    }

    /// <summary>Diagnostics for the bench: the alignment whose soft bits (grids o−1..o+1 summed, as
    /// decoded) agree best with the known coded bits, its sync rank among all cells, its raw
    /// coded-bit error count, its sync z, and its bit SNR d′ = mean / standard deviation of the soft
    /// bits signed by the true bits (what the code has to work with: a data failure shows as a low d′
    /// at a top sync rank, a sync failure as a high rank).</summary>
    internal (int Cell, int SyncRank, int BitErrors, double Z, double DPrime) Oracle(ReadOnlySpan<sbyte> coded) => OracleAt(coded).Result;

    /// <summary>As <see cref="Oracle"/>, with the lane of the best-agreeing alignment.</summary>
    internal ((int Cell, int SyncRank, int BitErrors, double Z, double DPrime) Result, int Lane) OracleAt(ReadOnlySpan<sbyte> coded)
    {
        int bestLane = -1, bestCell = -1, bestErr = int.MaxValue;
        double bestD = 0;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        for (int l = 0; l < _lanes.Length; l++)
            for (int o = 0; o < Offsets; o++)
            {
                if (_lanes[l].Frames[o] < 10) continue;
                for (int p = 0; p < F; p++)
                {
                    soft.Clear();
                    Combined(_lanes[l], o, p, soft);
                    int err = 0;
                    double sum = 0, sq = 0;
                    for (int k = 0; k < soft.Length; k++)
                    {
                        if ((soft[k] > 0) != (coded[k] > 0)) err++;
                        double v = coded[k] > 0 ? soft[k] : -soft[k];
                        sum += v;
                        sq += v * v;
                    }
                    if (err < bestErr)
                    {
                        bestErr = err; bestCell = o * F + p; bestLane = l;
                        double mean = sum / soft.Length, var = sq / soft.Length - mean * mean;
                        bestD = var > 0 ? mean / Math.Sqrt(var) : 0;
                    }
                }
            }
        if (bestCell < 0) return ((-1, -1, -1, 0, 0), -1);
        double z = SyncZ(_lanes[bestLane], bestCell / F, bestCell % F, _layout);
        int rank = 0;
        foreach (var lane in _lanes)
            for (int o = 0; o < Offsets; o++)
                for (int p = 0; p < F; p++) if (SyncZ(lane, o, p, _layout) > z) rank++;
        return ((bestCell, rank, bestErr, z, bestD), bestLane);
    }

    /// <summary>Diagnostics for the bench: how much of the mark each band still carries at an alignment
    /// (lane, grid o, phase p): z_b = Σ_q e_qb·A_qb / √(Σ_q A_qb²), A the summed band values at block
    /// position q and e the sign the embedder gave band b there (sync sign or coded bit). Without a mark
    /// z_b is ≈ N(0, 1); comparing bands before and after a codec shows which frequencies it keeps.</summary>
    internal double[] BandEvidence(ReadOnlySpan<sbyte> coded, int laneIndex, int cell)
    {
        var lane = _lanes[laneIndex];
        int o = cell / F, p = cell % F;
        var sum = new double[B];
        var sq = new double[B];
        Span<int> sign = stackalloc int[B];
        for (int q = 1; q < F; q += 2)
        {
            foreach (int b in _layout.SyncUp) sign[b] = _layout.SyncSign(q);
            foreach (int b in _layout.SyncDown) sign[b] = -_layout.SyncSign(q);
            for (int k = 0; k < AudioMarkLayout.SlotsPerFrame; k++)
            {
                int bit = (coded[_layout.SlotBit(q, k)] > 0 ? 1 : -1) * AudioMarkLayout.FrameSign(q);
                foreach (int b in _layout.SlotUp(q, k)) sign[b] = bit;
                foreach (int b in _layout.SlotDown(q, k)) sign[b] = -bit;
            }
            int r = q - p; if (r < 0) r += F;
            var acc = lane.Acc.AsSpan((o * F + r) * B, B);
            for (int b = 0; b < B; b++) { sum[b] += sign[b] * acc[b]; sq[b] += (double)acc[b] * acc[b]; }
        }
        for (int b = 0; b < B; b++) sum[b] = sq[b] > 0 ? sum[b] / Math.Sqrt(sq[b]) : 0;
        return sum;
    }

    /// <summary>Diagnostics for the bench: the bit SNR d′ at an alignment when the soft bits weight each
    /// band by the mean <see cref="BandEvidence"/> of its frequency region (<paramref name="regions"/> of
    /// equal width), the weights taken from the true coded bits. Soft-combining weights per band are the
    /// one change to the mark that costs nothing in SNR; this is an upper bound of what any detector-side
    /// estimate of them can give (an estimate would work from a noisy decoded word, and weights fitted on
    /// the same sums are slightly optimistic).</summary>
    internal double GenieWeightedDPrime(ReadOnlySpan<sbyte> coded, int laneIndex, int cell, int regions)
    {
        var z = BandEvidence(coded, laneIndex, cell);
        var w = new float[B];
        int per = B / regions;
        for (int g = 0; g < regions; g++)
        {
            double m = 0;
            for (int b = g * per; b < (g + 1) * per; b++) m += z[b];
            m /= per;
            for (int b = g * per; b < (g + 1) * per; b++) w[b] = (float)Math.Max(m, 0.05);
        }
        var lane = _lanes[laneIndex];
        int o = cell / F, p = cell % F;
        var soft = new float[PayloadCodec.CodedBits];
        for (int d = -1; d <= 1; d++)
        {
            int o2 = o + d;
            if (o2 < 0 || o2 >= Offsets || lane.Frames[o2] < 10) continue;
            for (int q = 1; q < F; q += 2)
            {
                int r = q - p; if (r < 0) r += F;
                var acc = lane.Acc.AsSpan((o2 * F + r) * B, B);
                for (int k = 0; k < AudioMarkLayout.SlotsPerFrame; k++)
                {
                    float v = 0;
                    foreach (int b in _layout.SlotUp(q, k)) v += w[b] * acc[b];
                    foreach (int b in _layout.SlotDown(q, k)) v -= w[b] * acc[b];
                    soft[_layout.SlotBit(q, k)] -= v;
                }
            }
        }
        double sum = 0, sq = 0;
        for (int k = 0; k < soft.Length; k++)
        {
            double v = coded[k] > 0 ? soft[k] : -soft[k];
            sum += v; sq += v * v;
        }
        double mean = sum / soft.Length, var = sq / soft.Length - mean * mean;
        return var > 0 ? mean / Math.Sqrt(var) : 0;
    }

    private void Combined(Lane lane, int o, int p, Span<float> soft)
    {
        for (int d = -1; d <= 1; d++)
        {
            int o2 = o + d;
            if (o2 < 0 || o2 >= Offsets || lane.Frames[o2] < 10) continue;
            AddSoftBits(lane, o2, p, soft);
        }
    }

    /// <summary>Decides: the detection, or null when no payload passes CRC, key nibble and the bound.</summary>
    public AudioMarkDetection? Finish() => Finish(ListCandidates, ListSize, ListSyncPValue, DeepListCandidates);

    /// <summary>For the bench: the decision with another stage-2 shape (its bound is not checked here): the
    /// first <paramref name="deepCandidates"/> candidates get <paramref name="listSize"/> words, the rest at
    /// most <see cref="ShallowListSize"/>.</summary>
    internal AudioMarkDetection? Finish(int listCandidates, int listSize, double listSyncPValue, int deepCandidates = int.MaxValue)
    {
        Span<(double Z, int Lane, int Cell)> best = stackalloc (double, int, int)[Candidates];
        best.Fill((double.NegativeInfinity, -1, -1));
        for (int l = 0; l < _lanes.Length; l++)
        {
            var lane = _lanes[l];
            for (int o = 0; o < Offsets; o++)
                for (int p = 0; p < F; p++)
                {
                    double z = SyncZ(lane, o, p, _layout);
                    if (!(z > best[^1].Z)) continue;
                    int cell = o * F + p;
                    // Neighbouring grids (128 samples apart) at the same lane and phase see the same
                    // alignment and are decoded together anyway: keep only the strongest of them.
                    int same = -1;
                    for (int c = 0; c < Candidates; c++)
                        if (best[c].Lane == l && best[c].Cell % F == p && Math.Abs(best[c].Cell / F - o) <= 1) { same = c; break; }
                    if (same >= 0)
                    {
                        if (best[same].Z >= z) continue;
                        for (int c = same; c < Candidates - 1; c++) best[c] = best[c + 1];
                        best[^1] = (double.NegativeInfinity, -1, -1);
                    }
                    int at = Candidates - 1;
                    while (at > 0 && best[at - 1].Z < z) { best[at] = best[at - 1]; at--; }
                    best[at] = (z, l, cell);
                }
        }
        int cells = _lanes.Length * Offsets * F;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        // Stage 1: the plain Viterbi word of each candidate (bound: Candidates · min(1, p_sync) · 2⁻³⁶).
        foreach (var (z, l, cell) in best)
        {
            if (cell < 0) continue;
            soft.Clear();
            Combined(_lanes[l], cell / F, cell % F, soft);
            var decoded = PayloadCodec.Decode(soft);
            if (decoded is null || decoded.Payload.KeyNibble != _layout.KeyNibble) continue;
            double pSync = FalsePositiveBound.MaxOfGaussians(z, cells);
            double bound = FalsePositiveBound.ComputeWithKeyNibble(Candidates) * Math.Min(1.0, pSync);
            if (!FalsePositiveBound.Acceptable(bound)) continue;
            return Detection(decoded, z, l, cell, bound);
        }
        // Stage 2: list decoding, only for candidates whose sync is itself unlikely under no mark.
        for (int c = 0; c < Math.Min(listCandidates, Candidates); c++)
        {
            var (z, l, cell) = best[c];
            if (cell < 0 || FalsePositiveBound.MaxOfGaussians(z, cells) > listSyncPValue) continue;
            soft.Clear();
            Combined(_lanes[l], cell / F, cell % F, soft);
            int words = c < deepCandidates ? listSize : Math.Min(listSize, ShallowListSize);
            if (PayloadCodec.DecodeList(soft, words, _layout.KeyNibble) is not { } listed) continue;
            return Detection(listed.Decode, z, l, cell, ListDecodingBound);
        }
        return null;
    }

    /// <summary>Words of the list decoder's list (<see cref="PayloadCodec.DecodeList"/>) tried per candidate
    /// in stage 2, after the plain Viterbi word failed on every candidate. 256 (it was 16): the failing 5 s
    /// excerpts through Opus 32k and AAC 64k at 48 kHz have their right word deep in the list (ranks
    /// 16–255) at a sync that already stands out (z 5–6.5); on 30 such cells of the corpus 16 words read 14
    /// and 256 read 19 (bench/AUDIO.md). The bound stays where it was (see <see cref="ListDecodingBound"/>).
    /// 256 is also the most the list decoder's byte-wide back-pointers hold. Only the best
    /// <see cref="DeepListCandidates"/> candidates get the whole list.</summary>
    public const int ListSize = 256;

    /// <summary>Candidates (best sync first) list-decoded at <see cref="ListSize"/> words; the others get
    /// <see cref="ShallowListSize"/>. Why: a 256-word list costs ≈ 12 ms of CPU, and a damaged marked file
    /// puts all 16 candidates under τ (the true alignment echoed at neighbouring speed lanes), which on a
    /// 5 s file would take detection from ≈ 70× to ≈ 20× realtime; 4 keeps it above 40×. The right
    /// alignment is the first or second candidate on the corpus's failing cells (1 candidate × 256 words
    /// read 19 of 30 of them, 2 × 128 read 17, 4 × 64 read 15; bench/AUDIO.md).</summary>
    public const int DeepListCandidates = 4;

    /// <summary>Words tried per candidate past the first <see cref="DeepListCandidates"/> (the list length
    /// every candidate had before).</summary>
    public const int ShallowListSize = 16;

    /// <summary>Stage 2 list-decodes at most the best this many candidates by sync z (each only if its sync
    /// p-value is ≤ <see cref="ListSyncPValue"/>).</summary>
    public const int ListCandidates = 16;

    /// <summary>Stage 2 runs only for candidates whose sync p-value (max of Gaussians over every cell) is at
    /// most this.</summary>
    public const double ListSyncPValue = 0.2;

    /// <summary>
    /// The false-positive bound of the whole two-stage decision, per file. Stage 1 tries
    /// <see cref="Candidates"/> words: ≤ C · 2⁻³⁶ = 2.3e-10. Stage 2 tries <see cref="ListSize"/> words for
    /// each candidate whose sync p-value cells · Q(z) is ≤ τ = <see cref="ListSyncPValue"/>, i.e. whose z
    /// is above the t with Q(t) = τ / cells. Under no mark (or a wrong key) every cell's z is N(0, 1) — the
    /// assumption the sync p-value itself rests on — so the expected number of cells above t is
    /// cells · τ / cells = τ (linearity of expectation: no independence between cells needed), and the
    /// candidates are a subset of the cells. Each word tried passes CRC-32 and key nibble with probability
    /// 2⁻³⁶ (the data bands are not the sync bands), so stage 2 adds ≤ τ · L · 2⁻³⁶ = 7.5e-10 (the same figure
    /// as the earlier τ · C · L with 16 candidates of 16 words, which charged every candidate whenever the
    /// best one passed). Together 9.8e-10 ≤ 1e-9, whatever was declared at which stage; this is what a
    /// stage-2 detection reports.
    /// </summary>
    public static double ListDecodingBound =>
        FalsePositiveBound.ComputeWithKeyNibble(Candidates) + ListSyncPValue * FalsePositiveBound.ComputeWithKeyNibble(ListSize);

    private AudioMarkDetection Detection(PayloadDecode decoded, double z, int l, int cell, double bound)
    {
        var lane = _lanes[l];
        int o = cell / F, p = cell % F;
        // Block phase p at frame 1 of grid o (frame 0 only primes the high-pass): the first block
        // starts at canonical frame (F − p) mod F; a lane's canonical time is file time × speed.
        double offset = (o * Step + (long)((F - p) % F) * N) / (double)AudioMarkLayout.CanonicalRate / lane.Speed;
        return new AudioMarkDetection(decoded.Payload, offset, z, decoded.BitErrorsCorrected, decoded.CodedBits, bound,
            (int)(lane.Frames[o] / F), lane.Speed);
    }

    /// <summary>One time-scale hypothesis: its resampler, buffered canonical samples and accumulators.</summary>
    private sealed class Lane(double speed, AudioResampler resampler)
    {
        public readonly double Speed = speed;
        public readonly AudioResampler Resampler = resampler;
        public bool Done;
        public float[] Buffer = new float[N * 8];
        public int Count;
        public long BufferStart;
        public readonly long[] Frames = new long[Offsets];
        public readonly float[] History = new float[Offsets * 3 * B];
        public readonly float[] BandVar = new float[Offsets * B];
        public readonly float[] Acc = new float[Offsets * F * B];
        public readonly double[] Sync = new double[Offsets * F];
        public readonly int[] Seen = new int[Offsets * F];
        public readonly double[] SSum = new double[Offsets];
        public readonly double[] SSq = new double[Offsets];

        public void Reserve(int more)
        {
            if (Count + more > Buffer.Length) Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Count + more));
        }
    }
}
