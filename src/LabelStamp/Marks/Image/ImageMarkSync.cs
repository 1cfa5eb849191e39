using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The keyed sync search over one folded tile, in both orientations (as folded, and mirrored left to
/// right for a horizontally flipped image), and the zero-bit presence statistic that comes with it.
/// <para>
/// For every cyclic offset d the sync correlation is c(d) = Σ_c s_c · B(o_c + d), where s_c is the
/// keyed ±1 sign of sync chip c, o_c its corner and B the 4 × 4 box sum of the fold (one chip's worth of
/// evidence). The statistic is T(d) = c(d) / √V(d) with V(d) = Σ_c B(o_c + d)². Under the null
/// hypothesis (no mark of this key: an unmarked image, or a mark of another key) the fold does not
/// depend on the verifying key's signs, so conditionally on the fold c(d) is a Rademacher sum and
/// Hoeffding's inequality gives P(T(d) ≥ τ) ≤ exp(−τ²/2) for every image, without a Gaussian model.
/// A union bound over the 65,536 offsets and every oriented fold the detector may examine gives the
/// presence false-positive probability (see <see cref="PresenceBound"/>).
/// </para>
/// </summary>
internal sealed class ImageMarkSync
{
    private const int P = ImageMarkLayout.Period;
    private const int Chip = ImageMarkLayout.Chip;
    private readonly FftPlan2D _fft;
    private readonly float[] _syncRe, _syncIm, _cornerRe, _cornerIm, _mirroredCornerRe, _mirroredCornerIm;
    // Scratch planes for one statistic at a time (one instance serves one image's search, on one thread):
    // six 256 KB planes per search instead of per fold and orientation (a self-check takes them from
    // SelfCheckScratch, kept per thread, so a stamp allocates none).
    private readonly float[] _re, _im, _rows, _cRe, _cIm, _floor;

    /// <summary>Scratch planes a statistic works in (<see cref="NewScratch"/>, <see cref="WithScratch"/>).</summary>
    public const int ScratchPlanes = 6;

    /// <summary><see cref="ScratchPlanes"/> fresh P² planes.</summary>
    public static float[][] NewScratch()
    {
        var planes = new float[ScratchPlanes][];
        for (int i = 0; i < planes.Length; i++) planes[i] = new float[P * P];
        return planes;
    }

    /// <summary>Another search's statistic over the same key's spectra (shared, never written after the
    /// constructor) with the given scratch planes. No plane is read before <see cref="Statistic"/> writes
    /// it, so planes left over from another statistic give the same result as fresh ones.</summary>
    private ImageMarkSync(ImageMarkSync spectra, float[][] planes)
    {
        if (planes.Length != ScratchPlanes || planes.Any(p => p.Length != P * P))
            throw new ArgumentException($"A statistic needs {ScratchPlanes} planes of {P * P} samples.", nameof(planes));
        _fft = spectra._fft;
        _syncRe = spectra._syncRe;
        _syncIm = spectra._syncIm;
        _cornerRe = spectra._cornerRe;
        _cornerIm = spectra._cornerIm;
        _mirroredCornerRe = spectra._mirroredCornerRe;
        _mirroredCornerIm = spectra._mirroredCornerIm;
        (_re, _im, _rows, _cRe, _cIm, _floor) = (planes[0], planes[1], planes[2], planes[3], planes[4], planes[5]);
    }

    /// <summary>The same key's statistic with its own scratch: what one image's search uses, so the key's
    /// spectra (two 256² transforms) are made once per key, not once per image.</summary>
    public ImageMarkSync WithOwnScratch() => new(this, NewScratch());

    /// <summary>The same key's statistic working in <paramref name="planes"/> (<see cref="NewScratch"/>), which the
    /// caller keeps from one search to the next and uses on one thread at a time.</summary>
    public ImageMarkSync WithScratch(float[][] planes) => new(this, planes);

    public ImageMarkSync(ImageMarkLayout layout) : this(layout, withScratch: true) { }

    /// <summary>The key's spectra alone, for <see cref="ImageMarkKeyMaterial"/>: every statistic runs on an instance made
    /// by <see cref="WithScratch"/> or <see cref="WithOwnScratch"/>, so the six scratch planes (1.5 MB zeroed on the large
    /// object heap, made with the key material once per read) are not allocated; a statistic on this instance throws.</summary>
    public static ImageMarkSync SpectraOnly(ImageMarkLayout layout) => new(layout, withScratch: false);

    private ImageMarkSync(ImageMarkLayout layout, bool withScratch)
    {
        _fft = new FftPlan2D(P);
        int scratch = withScratch ? P * P : 0;
        (_re, _im, _rows, _cRe, _cIm, _floor) = (new float[scratch], new float[scratch], new float[scratch], new float[scratch],
            new float[scratch], new float[scratch]);
        _syncRe = layout.SyncPattern();
        _syncIm = new float[P * P];
        _fft.Forward(_syncRe, _syncIm);
        // The corners o_c of the sync chips: V(d) is the correlation of B² with this indicator.
        _cornerRe = new float[P * P];
        _cornerIm = new float[P * P];
        const int cps = ImageMarkLayout.ChipsPerSide;
        for (int c = 0; c < ImageMarkLayout.Chips; c++)
            if (layout.BitOfChip[c] < 0) _cornerRe[c / cps * Chip * P + c % cps * Chip] = 1;
        _fft.Forward(_cornerRe, _cornerIm);
        // The mirror image's box at column u is the fold's box at column −u − (Chip − 1) (a box runs rightwards from its
        // start), so the mirrored fold's V correlates B² with the corners moved Chip − 1 columns on (Statistics). A shift
        // by s columns multiplies bin kx by e^(−2πi·s·kx/P): one pass over the corners' spectrum, where a third forward
        // transform, made with the key material for every read, cost about a third of a millisecond.
        _mirroredCornerRe = new float[P * P];
        _mirroredCornerIm = new float[P * P];
        Span<float> cos = stackalloc float[P], sin = stackalloc float[P];
        for (int kx = 0; kx < P; kx++)
        {
            double a = -2 * Math.PI * (Chip - 1) * kx / P;
            (cos[kx], sin[kx]) = ((float)Math.Cos(a), (float)Math.Sin(a));
        }
        for (int ky = 0; ky < P; ky++)
            for (int kx = 0; kx < P; kx++)
            {
                int i = ky * P + kx;
                float re = _cornerRe[i], im = _cornerIm[i];
                _mirroredCornerRe[i] = re * cos[kx] - im * sin[kx];
                _mirroredCornerIm[i] = re * sin[kx] + im * cos[kx];
            }
    }

    /// <summary>An offset whose V(d) is below this share of the mean V is not scored (see <see cref="Statistic"/>).</summary>
    private const double MinimumVarianceShare = 1e-3;

    /// <summary>ln of the number of cyclic offsets searched per oriented fold (P²).</summary>
    private static readonly double LogOffsets = Math.Log((double)P * P);

    /// <summary>
    /// Union bound on the chance that any of <paramref name="orientedFolds"/> · P² offsets of an image
    /// without this key's mark reaches the statistic <paramref name="t"/>: folds · P² · exp(−t²/2), at most 1.
    /// </summary>
    public static double PresenceBound(double t, int orientedFolds) => PresenceBound(t, orientedFolds, 0);

    /// <summary>
    /// The same union bound when <paramref name="extraOffsets"/> more statistics of the same kind were examined
    /// (the detector's chip-mean fold: 4,096 whole-chip offsets): (folds · P² + extra) · exp(−t²/2), at most 1.
    /// </summary>
    public static double PresenceBound(double t, int orientedFolds, int extraOffsets)
    {
        if (!(t > 0)) return 1.0;
        double log = Math.Log((double)orientedFolds * P * P + extraOffsets) - t * t / 2;
        return log >= 0 ? 1.0 : Math.Exp(log);
    }

    /// <summary>The smallest statistic whose <see cref="PresenceBound"/> is ≤ <paramref name="probability"/>.</summary>
    public static double PresenceThreshold(double probability, int orientedFolds) =>
        Math.Sqrt(2 * (Math.Log(orientedFolds) + LogOffsets - Math.Log(probability)));

    /// <summary>Normalised sync statistic T(d) of <paramref name="fold"/> for every offset d, written to
    /// <paramref name="t"/> (P² values, row-major dy · P + dx).</summary>
    public void Statistic(float[] fold, float[] t, VectorWidth width = VectorWidth.Auto)
    {
        float[] re = _re, im = _im, cRe = _cRe, cIm = _cIm;
        PackedSpectrum(fold, width);
        PackedCrossPowers.Apply(re, im, _syncRe, _syncIm, _cornerRe, _cornerIm, cRe, cIm, P, width);
        _fft.Inverse(cRe, cIm);
        float floorV = VarianceFloor(cIm, width);
        _floor.AsSpan().Fill(floorV);
        // The floor goes in as a plane: the element-wise driver takes three inputs.
        SpanDriver.Apply<float, NormalisedCorrelationOperator>(cRe, cIm, _floor, t.AsSpan(0, P * P), width);
    }

    /// <summary>
    /// <see cref="Statistic"/> of <paramref name="fold"/> into <paramref name="t"/> (the same values, bit for bit) and of
    /// its mirror image (<see cref="Mirror(float[])"/>) into <paramref name="tm"/>, from one forward transform: the
    /// mirror's spectrum is the fold's read at −kx (<see cref="MirroredCrossPowers"/>), its boxes are the fold's boxes
    /// reflected and moved Chip − 1 columns (taken up by the mirrored corners' spectrum), and its Σ V(d) is the fold's
    /// (the same boxes over the same corners), so it shares the variance floor. Three 256² transforms and one box pass
    /// where two statistics took four and two; <paramref name="tm"/> differs from Statistic(Mirror(fold)) only in the
    /// rounding of the different path (bench/WATERMARK.md, fifteenth step: no read's decision moved).
    /// </summary>
    public void Statistics(float[] fold, float[] t, float[] tm, VectorWidth width = VectorWidth.Auto)
    {
        float[] re = _re, im = _im, cRe = _cRe, cIm = _cIm, mRe = _rows, mIm = _floor;
        PackedSpectrum(fold, width);
        // _rows and _floor are free once the spectrum is made: the mirror's product goes there.
        MirroredCrossPowers.Apply(re, im, _syncRe, _syncIm, _cornerRe, _cornerIm, _mirroredCornerRe, _mirroredCornerIm,
            cRe, cIm, mRe, mIm, P, width);
        _fft.Inverse(cRe, cIm);
        _fft.Inverse(mRe, mIm);
        float floorV = VarianceFloor(cIm, width);
        // The spectrum's planes are free now: one holds the floor for both.
        re.AsSpan().Fill(floorV);
        SpanDriver.Apply<float, NormalisedCorrelationOperator>(cRe, cIm, re, t.AsSpan(0, P * P), width);
        SpanDriver.Apply<float, NormalisedCorrelationOperator>(mRe, mIm, re, tm.AsSpan(0, P * P), width);
    }

    /// <summary>The fold at unit RMS packed with its boxes squared (z = fold + i·B²), transformed forward, in _re and _im.</summary>
    private void PackedSpectrum(float[] fold, VectorWidth width)
    {
        // T does not depend on the fold's scale; unit RMS keeps the fold and B² of like magnitude, so packing both into
        // one transform costs no precision. The scale need not be exact to serve, so the sum of squares is taken in
        // 16 float lanes (SpanDriver.LaneSum: the same bits on every width) where a sequential double loop took 65,536
        // dependent adds; a fold whose squares leave float's range (none measured: whitened folds are of order 1)
        // takes the double loop.
        float sq = SpanDriver.LaneSum<SquareOperator>(fold.AsSpan(0, P * P), width);
        double energy = sq > 0 && float.IsFinite(sq) ? sq : SquaresInDouble(fold);
        float scale = energy > 0 ? (float)(1 / Math.Sqrt(energy / (P * P))) : 0f;
        float[] re = _re, im = _im;
        fold.AsSpan(0, re.Length).CopyTo(re);
        LinePasses.Scale(re, scale, width);
        // One complex forward transform carries both real inputs: z = fold + i·B². The cross-power kernels split it into
        // F (fold) and G (box²), take C = F · conj(sync) and V = G · conj(corners), and pack C + i·V: both results are
        // real, so one inverse transform gives c in the real part and V in the imaginary.
        BoxSquared(re, _rows, im, width);
        _fft.Forward(re, im);
    }

    private static double SquaresInDouble(float[] fold)
    {
        double sq = 0;
        for (int i = 0; i < P * P; i++) sq += (double)fold[i] * fold[i];
        return sq;
    }

    /// <summary>
    /// Offsets where the sync chips see almost nothing (V far below its mean: a fold that is flat there, e.g.
    /// transparent or blank areas weighed to zero by the whitening) get T = 0: both c and V are then at the level of
    /// the transforms' rounding, and their ratio is noise (measured: T = 17 at V ≈ 1e-6 of the mean, under a wrong
    /// key). Lowering a statistic never breaks the bound. The mean is a float sum in 16 lanes: the floor is a
    /// thousandth of it, so its last bits decide nothing a sequential double sum would.
    /// </summary>
    private static float VarianceFloor(float[] v, VectorWidth width)
    {
        double meanV = SpanDriver.LaneSum<IdentityOperator>(v.AsSpan(0, P * P), width);
        return (float)Math.Max(1e-20, MinimumVarianceShare * meanV / (P * P));
    }

    /// <summary>The fold mirrored left to right (u → −u mod P): a horizontally flipped image folds to
    /// this, up to a cyclic shift that the offset search absorbs.</summary>
    public static float[] Mirror(float[] fold) => Mirror(fold, new float[P * P]);

    /// <summary><see cref="Mirror(float[])"/> into <paramref name="m"/> (every sample written), which is returned.</summary>
    public static float[] Mirror(float[] fold, float[] m)
    {
        for (int v = 0; v < P; v++)
        {
            int o = v * P;
            m[o] = fold[o];
            for (int u = 1; u < P; u++) m[o + u] = fold[o + P - u];
        }
        return m;
    }

    /// <summary>B(q)² where B(q) = Σ of the fold over the chip-sized square starting at q (cyclic), into <paramref name="b"/>:
    /// runs of four along each row (the row extended by its first three samples for the wrap), then four rows
    /// down, squared, all in vector lanes and in the order of <see cref="BoxSquaredScalarReference"/>, so B² is
    /// the same to the bit (a leading 0 + x there only turns a −0 into +0, which squares the same).</summary>
    internal static void BoxSquared(float[] fold, float[] rows, float[] b, VectorWidth width = VectorWidth.Auto)
    {
        Span<float> extended = stackalloc float[P + Chip - 1], scratch = stackalloc float[P], zeros = stackalloc float[P];
        zeros.Clear();
        for (int v = 0; v < P; v++)
        {
            fold.AsSpan(v * P, P).CopyTo(extended);
            fold.AsSpan(v * P, Chip - 1).CopyTo(extended[P..]);
            Span<float> row = rows.AsSpan(v * P, P);
            row.Clear();
            ChipMeans.AddRunsOfFour(extended, row, scratch, width);
        }
        for (int v = 0; v < P; v++)
        {
            Span<float> s = b.AsSpan(v * P, P);
            SpanDriver.Apply<float, Sum3Operator>(rows.AsSpan(v * P, P), rows.AsSpan(((v + 1) & (P - 1)) * P, P),
                rows.AsSpan(((v + 2) & (P - 1)) * P, P), s, width);
            SpanDriver.Apply<float, Sum3Operator>(s, rows.AsSpan(((v + 3) & (P - 1)) * P, P), zeros, s, width);
            SpanDriver.Apply<float, MultiplyAddOperator>(s, s, zeros, s, width);
        }
    }

    /// <summary>The loops <see cref="BoxSquared"/> is tested against, bit for bit.</summary>
    internal static void BoxSquaredScalarReference(float[] fold, float[] rows, float[] b)
    {
        for (int v = 0; v < P; v++)
        {
            int o = v * P;
            for (int u = 0; u < P; u++)
            {
                float s = 0;
                for (int k = 0; k < Chip; k++) s += fold[o + ((u + k) & (P - 1))];
                rows[o + u] = s;
            }
        }
        for (int v = 0; v < P; v++)
            for (int u = 0; u < P; u++)
            {
                float s = 0;
                for (int k = 0; k < Chip; k++) s += rows[((v + k) & (P - 1)) * P + u];
                b[v * P + u] = s * s;
            }
    }
}
