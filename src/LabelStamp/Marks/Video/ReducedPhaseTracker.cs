using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The global motion between two consecutive frames, causal (the previous frame and the current one only), at
/// 2.5–4.6 thread CPU-ms per 540p–1080p frame (bench/VIDEO.md round 10; round 9's whole-plane tracker cost ≈ 75 CPU-ms
/// per 1080p frame). The content-locked video mark (<see cref="ContentLockedMarkEmbedder"/>) draws its pattern through
/// the maps it measures, and the registered read registers a suspect file's frames
/// with it. It measures in two cheap stages:
/// - **coarse**: the whole frame box-reduced by D (the smallest D that fits both sides in <see cref="CoarseSize"/>,
///   15 at 1080p; the row adds are the SIMD <see cref="ColumnSums"/> kernel), Hann-windowed, whitened phase
///   correlation against the previous frame's kept spectrum (one forward and one inverse 128² FFT a frame):
///   the displacement to within D pixels;
/// - **fine**: per quadrant the most textured of four candidate patches (<see cref="ChoosePatches"/>), each
///   <see cref="PatchSize"/>² samples of the plane reduced by 1–3, the previous frame's patch taken where the coarse
///   step says the content came from, both real patches in one complex FFT; the whitened cross spectrum tapered by a
///   Gaussian in frequency, so the peak is Gaussian and the log-parabola through it and its neighbours is its vertex.
/// The gates come from the correlation, not a fitted ratio: a whitened correlation of frames with no common motion is
/// noise of some RMS σ over the N² lags, whose largest value stays near √(2 ln N²) σ ≈ 4.7 σ at 128², so a peak is
/// taken only at ≥ <see cref="PeakSnr"/> σ; a vertex within <see cref="DeadZone"/> of its own noise is 0 (on a still
/// picture with local change the step is exactly 0, so the pattern does not walk); patches that disagree by more than
/// <see cref="TranslationSpread"/> say no motion. With <see cref="FollowZoom"/> the patch displacements d_k at centres
/// c_k are fitted by d = α·c + β (one α for both axes: a zoom about some point), which gives scale 1/(1 − α), dropped
/// past <see cref="ZoomResidual"/>. Called in frame order; one instance per stream (it keeps the previous frame).
/// </summary>
public sealed class ReducedPhaseTracker : IDisposable
{
    public const int CoarseSize = 128, PatchSize = 128;

    /// <summary>Peak over the correlation's RMS below which a stage says "no common motion".</summary>
    public const double PeakSnr = 8;

    /// <summary>RMS px by which the patches may miss their mean translation before the step is taken as no motion (a zoom of
    /// 1 % a frame moves patches at (±W/4, ±H/4) of a 1080p frame by ≈ 5 px apart, so only the zoom variant, which fits it first,
    /// should see one; 1 px is twice the largest step error from round 9's tracker on the pans, video-tracker-compare).</summary>
    public const double TranslationSpread = 1;

    /// <summary>RMS px by which the four patches may miss the fitted similarity before the zoom is dropped.</summary>
    public const double ZoomResidual = 0.6;

    /// <summary>A sub-pixel vertex within this many of its own noise SDs of 0 is taken as 0 (the embedder's default).</summary>
    public const double DefaultDeadZone = 3;

    /// <summary>The dead zone of the sub-pixel vertex, in its noise SDs; 0 keeps every vertex.</summary>
    public double DeadZone { get; init; } = DefaultDeadZone;

    private readonly int _w, _h, _dc, _cw, _ch, _df, _pp;
    private readonly FftPlan2D _coarseFft = new(CoarseSize), _patchFft = new(PatchSize);
    private readonly float[] _coarseWindow, _patchWindow, _taper;

    /// <summary>The reduced planes' values are k / d² rounded to floats: multiples of these (their means' exact sums).</summary>
    private readonly float _coarseQuantum, _patchQuantum;
    private float[] _prevRe = new float[CoarseSize * CoarseSize], _prevIm = new float[CoarseSize * CoarseSize];
    private float[] _re = new float[CoarseSize * CoarseSize], _im = new float[CoarseSize * CoarseSize];
    private readonly float[] _cRe = new float[CoarseSize * CoarseSize], _cIm = new float[CoarseSize * CoarseSize];
    private readonly float[] _aRe = new float[PatchSize * PatchSize], _aIm = new float[PatchSize * PatchSize];
    private readonly float[] _pRe = new float[PatchSize * PatchSize], _pIm = new float[PatchSize * PatchSize];
    private ushort[] _sums;
    private byte[] _prev;
    private bool _hasPrev;
    private readonly (int X, int Y)[] _centres;

    /// <summary>The taper's width s_f = N / this: a peak of s ≈ 1.9 samples, and the 8-px block grid's harmonics a re-encode
    /// adds, which stand still and pull the estimate toward no motion, weighed down to 0.33, 0.01 and less (6 left them at
    /// 0.75, 0.32).</summary>
    private const double TaperDivisor = 12;

    public ReducedPhaseTracker(int width, int height)
    {
        (_w, _h) = (width, height);
        _dc = Math.Max(1, (Math.Max(width, height) + CoarseSize - 1) / CoarseSize);
        (_cw, _ch) = (width / _dc, height / _dc);
        // The patches' reduction: a quarter of what fits the frame in 256 (1 up to 720p, 2 at 1080p, 3 at 4K), so a
        // patch spans 128–384 px and its sub-pixel step is a fraction of 1–3 px.
        _df = Math.Max(1, (Math.Max(width, height) + 255) / 256 / 4);
        _pp = PatchSize * _df;
        _coarseWindow = PhaseCorrelationPeak.Window(_cw, _ch);
        (_coarseQuantum, _patchQuantum) = (QuantisedSum.QuantumOf(1f / (_dc * _dc)), QuantisedSum.QuantumOf(1f / (_df * _df)));
        _patchWindow = PhaseCorrelationPeak.Window(PatchSize, PatchSize);
        // Gaussian in frequency, s_f = N / TaperDivisor.
        _taper = new float[PatchSize * PatchSize];
        double sf = PatchSize / TaperDivisor;
        for (int v = 0; v < PatchSize; v++)
        for (int u = 0; u < PatchSize; u++)
        {
            int fu = u > PatchSize / 2 ? u - PatchSize : u, fv = v > PatchSize / 2 ? v - PatchSize : v;
            _taper[v * PatchSize + u] = (float)Math.Exp(-(fu * fu + fv * fv) / (2 * sf * sf));
        }
        if (width < 2 || height < 2) throw new ArgumentOutOfRangeException(nameof(width), "a frame of at least 2 × 2");
        _sums = ArrayPool<ushort>.Shared.Rent(width);
        _prev = ArrayPool<byte>.Shared.Rent(width * height);
        _centres = [(width / 4, height / 4), (3 * width / 4, height / 4), (width / 4, 3 * height / 4), (3 * width / 4, 3 * height / 4)];
    }

    /// <summary>Translation only: when the four patches disagree, still take the step three of them agree on. A stamped
    /// file carries the visible label, static and the most textured thing in its quadrant, so the reader's tracker picks
    /// it as that quadrant's patch; without this every labelled frame of a pan said "no motion" and the registered read
    /// lost the mark on its own stamp (round 11). The product's embedder and reader both set it, so they measure alike.</summary>
    public bool DropOnePatch { get; init; }

    /// <summary>Never take a patch at the frame's four corner candidates, where a stamp's visible labels sit (spec §3: an
    /// edge or corner; the corner label for the whole video). A label is static, textured, so chosen as its quadrant's
    /// patch, and its peak at 0 blends with the motion's under the taper: on the render zoom's own stamp the reader's
    /// chain measured ×1.106 where the embedder drew ×1.179 after 150 frames (×1.135 with the labels left out), and the
    /// stamp's CRF 23 copy was lost (round 12). The registered reader sets it; the embedder, which sees the frames before the
    /// labels, does not (with it the render pan's 6 s stamp grew 18 %).</summary>
    public bool AvoidCorners { get; init; }

    /// <summary>Also measure a zoom (the scale of the step), from the four patches.</summary>
    public bool FollowZoom { get; init; }

    /// <summary>Translation only: a step whose patches fit a zoom (<see cref="ZoomHoldPixels"/>) is no motion, so a map
    /// built from the steps holds still through a zoom instead of following the patches' mean (the content-locked
    /// embedder sets it; its reader registers frames without it, the static detector reads what it held).</summary>
    public bool HoldOnZoom { get; init; }

    /// <summary>With <see cref="FollowZoom"/>: RMS px by which a step's fitted zoom must move the patches apart to be
    /// followed; a smaller one is taken as a translation (0: every fitted zoom is followed, the bench's <c>oz</c>). The
    /// content-locked embedder and its reader set <see cref="ZoomHoldPixels"/>: the corpus's zooms step by 0.32-0.51 px,
    /// in whole 2-px steps of the scaled width, so the frames between are exact translations.</summary>
    public double MinimumZoomPixels { get; init; }

    /// <summary>RMS px by which a step's fitted zoom moves the patches apart before <see cref="HoldOnZoom"/> holds: the
    /// corpus's fast zooms (≈ 9-11 % in 3 s) move the patches of a 540p-720p frame apart by 0.32-0.51 px a frame, the
    /// nearly still photo's slow zoom (1.1 % in 3 s) by ≈ 0.06. A pan's patches move alike up to their sub-pixel noise
    /// and a render's parallax: at 0.15 px the render and upscale pans' content-locked stamps grew 10-11 % (steps held
    /// by mistake), at 0.3 px 0-3 %, while the zooms' stamps stayed within 2 % of the static mark's (held).</summary>
    public const double ZoomHoldPixels = 0.3;

    /// <summary>A reader's option: the previous frame becomes the reference only every this many steps, so each step is
    /// measured against a frame up to this many frames back (1, the embedder's: every frame is the next one's reference). A
    /// re-encode that codes a pan as skipped blocks shows the motion late and block by block; frame to frame, the blocks not
    /// yet refreshed pull every step toward 0 and the chain loses the motion of the rest (bench/VIDEO.md round 15).</summary>
    public int KeyFrameSteps { get; init; } = 1;

    /// <summary>A reader's option: steps of 0 (the picture stood still, the patches disagreed, or nothing was measured) keep
    /// the reference past <see cref="KeyFrameSteps"/>, up to this many steps from it, so the motion of a copy that froze
    /// shows against the frame before the freeze once it is refreshed; 0: a step of 0 ends the reference as any step does.</summary>
    public int ReferenceHoldSteps { get; init; }

    /// <summary>The last frame did not become the reference (<see cref="KeyFrameSteps"/>, <see cref="ReferenceHoldSteps"/>):
    /// the next step is measured from the same reference as this one.</summary>
    public bool LastReferenceKept { get; private set; }

    private int _referenceKept;

    /// <summary>Every step through the scalar loops the vector kernels replaced (the mean's left-to-right sum, the windowing,
    /// the patches' column loop, the packed cross power, the whitening), which must give the same maps to the bit: the
    /// exactness test's other arm.</summary>
    internal bool ReferenceLoops { get; init; }

    /// <summary>The last step: the coarse peak's SNR, patches that passed the gate, and the zoom's α.</summary>
    public double LastCoarseSnr { get; private set; }
    public int LastSharpPatches { get; private set; }

    /// <summary>How the last step was reached: measured, from the coarse correlation alone, or a step of 0 because nothing
    /// was measured, the patches disagreed or a zoom was held.</summary>
    public TrackerStepKind LastKind { get; private set; } = TrackerStepKind.First;

    /// <summary>The last step's zoom as the patches fitted it (α of d = α·c + β; &gt; 0 zooms in) when it was held
    /// (<see cref="HoldOnZoom"/>) or followed (<see cref="FollowZoom"/>); 0 when the step was no zoom.</summary>
    public double LastZoom { get; private set; }

    /// <summary>The last step's similarity fit with <see cref="HoldOnZoom"/> (α, the patches' RMS miss of it, their RMS
    /// distance from their centroid, the mean translation), whether or not it held; null when no fit was made (fewer than
    /// three patches, or <see cref="HoldOnZoom"/> off). The content-locked embedder counts its weaker zooms towards a zoom
    /// shot (<see cref="ContentLockedMarkEmbedder.ZoomShotPixels"/>).</summary>
    public (double Alpha, double Residual, double Reach, double MeanX, double MeanY)? LastFit { get; private set; }

    /// <summary>A clock in seconds (the bench passes thread CPU time) for the breakdown below; null: not timed.</summary>
    public Func<double>? Clock { get; init; }

    /// <summary>Seconds of <see cref="Clock"/> so far in the coarse reduction, the coarse correlation and the patches.</summary>
    public double ReduceSeconds { get; private set; }
    public double CoarseSeconds { get; private set; }
    public double FineSeconds { get; private set; }

    private double Now() => Clock?.Invoke() ?? 0;

    /// <summary>Returns the pooled planes; the tracker is not used after.</summary>
    public void Dispose()
    {
        if (_prev.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_prev);
        ArrayPool<ushort>.Shared.Return(_sums);
        (_prev, _sums) = ([], []);
    }

    /// <summary>The step from the previous frame to this one as a map of centred coordinates, x_cur = S·x_prev + (Tx, Ty)
    /// (the identity on the first frame); content at x_prev in the previous frame is at x_cur in this one.</summary>
    public (double Scale, double Tx, double Ty) Step(ReadOnlySpan<byte> luma)
    {
        ObjectDisposedException.ThrowIf(_prev.Length == 0, this);
        if (luma.Length < _w * _h) throw new ArgumentException($"need a {_w}×{_h} luma plane", nameof(luma));
        luma = luma[..(_w * _h)];
        double t0 = Now();
        Reduce(luma, 0, 0, _dc, _cw, _ch, _re, CoarseSize);
        ChoosePatches();
        double t1 = Now();
        PhaseCorrelationPeak.Prepare(_re, _cw, _ch, CoarseSize, _coarseWindow, _coarseQuantum, ReferenceLoops);
        Array.Clear(_im);
        _coarseFft.Forward(_re, _im, _ch);
        (double, double, double) result = (1, 0, 0);
        double t2 = t1, t3 = t1;
        LastKind = TrackerStepKind.First;
        if (_hasPrev)
        {
            var coarse = PhaseCorrelationPeak.Correlate(_coarseFft, CoarseSize, _re, _im, _prevRe, _prevIm, _cRe, _cIm, ReferenceLoops);
            LastCoarseSnr = coarse.Snr;
            int cx = coarse.Snr >= PeakSnr ? (int)Math.Round(coarse.Dx) * _dc : 0;
            int cy = coarse.Snr >= PeakSnr ? (int)Math.Round(coarse.Dy) * _dc : 0;
            t2 = Now();
            result = Fine(luma, cx, cy);
            t3 = Now();
        }
        ReduceSeconds += t1 - t0;
        CoarseSeconds += t2 - t1;
        FineSeconds += t3 - t2;
        if (LastKind != TrackerStepKind.First) _referenceKept++;
        LastReferenceKept = LastKind != TrackerStepKind.First
            && (_referenceKept < KeyFrameSteps || (result == (1, 0, 0) && _referenceKept <= ReferenceHoldSteps));
        if (LastReferenceKept) return result;
        _referenceKept = 0;
        luma.CopyTo(_prev);
        _hasPrev = true;
        (_prevRe, _re) = (_re, _prevRe);
        (_prevIm, _im) = (_im, _prevIm);
        return result;
    }

    /// <summary>The patches' residual displacements around the coarse one, combined into the step.</summary>
    private (double, double, double) Fine(ReadOnlySpan<byte> luma, int cx, int cy)
    {
        Span<double> dx = stackalloc double[4], dy = stackalloc double[4], px = stackalloc double[4], py = stackalloc double[4];
        int n = 0, unmeasured = 0;
        for (int q = 0; q < 4; q++)
        {
            var (x, y) = _centres[q];
            if (_unmeasured[q]) { unmeasured++; continue; }
            // Patch in this frame centred at (x, y); in the previous one where the coarse step says it came from.
            int x0 = Math.Clamp(x - _pp / 2, 0, _w - _pp), y0 = Math.Clamp(y - _pp / 2, 0, _h - _pp);
            int x1 = Math.Clamp(x0 - cx, 0, _w - _pp), y1 = Math.Clamp(y0 - cy, 0, _h - _pp);
            if (_pp > _w || _pp > _h) break;
            // Both real patches in one complex transform, z = a + i·b (this frame real, previous imaginary).
            Reduce(luma, x0, y0, _df, PatchSize, PatchSize, _aRe, PatchSize);
            Reduce(_prev, x1, y1, _df, PatchSize, PatchSize, _aIm, PatchSize);
            PhaseCorrelationPeak.Prepare(_aRe, PatchSize, PatchSize, PatchSize, _patchWindow, _patchQuantum, ReferenceLoops);
            PhaseCorrelationPeak.Prepare(_aIm, PatchSize, PatchSize, PatchSize, _patchWindow, _patchQuantum, ReferenceLoops);
            _patchFft.Forward(_aRe, _aIm);
            PhaseCorrelationPeak.PackedCross(_aRe, _aIm, _pRe, _pIm, PatchSize, ReferenceLoops);
            var p = PhaseCorrelationPeak.Locate(_patchFft, PatchSize, _pRe, _pIm, _taper, DeadZone, ReferenceLoops);
            if (p.Snr < PeakSnr) continue;
            dx[n] = x0 - x1 + p.Dx * _df;
            dy[n] = y0 - y1 + p.Dy * _df;
            px[n] = x0 + _pp / 2.0 - _w / 2.0;
            py[n] = y0 + _pp / 2.0 - _h / 2.0;
            n++;
        }
        LastSharpPatches = n;
        LastZoom = 0;
        LastFit = null;
        // No patch measured: the coarse step stands, unless the quadrants were striped (a one-way texture misleads the
        // coarse correlation as it does a patch).
        if (n == 0)
        {
            LastKind = unmeasured == 0 && LastCoarseSnr >= PeakSnr ? TrackerStepKind.Coarse : TrackerStepKind.NoPeak;
            return unmeasured > 0 ? (1, 0, 0) : (1, cx, cy);
        }
        // One patch beside striped quadrants is as likely a local object as the picture (testsrc2's moving squares).
        LastKind = TrackerStepKind.NoPeak;
        if (n == 1 && unmeasured > 0) return (1, 0, 0);
        LastKind = TrackerStepKind.Measured;
        if (DropOnePatch && n == 4 && OutlierPatch(dx, dy, px, py, FollowZoom || HoldOnZoom) is int drop)
        {
            for (int k = drop; k < 3; k++) (dx[k], dy[k], px[k], py[k]) = (dx[k + 1], dy[k + 1], px[k + 1], py[k + 1]);
            n = 3;
        }
        double mx = 0, my = 0, mcx = 0, mcy = 0;
        for (int k = 0; k < n; k++) { mx += dx[k]; my += dy[k]; mcx += px[k]; mcy += py[k]; }
        (mx, my, mcx, mcy) = (mx / n, my / n, mcx / n, mcy / n);
        if (!FollowZoom && HoldOnZoom && n >= 3)
        {
            // A zoom the map does not model: the patches fit a similarity whose scale moves them apart by at least
            // ZoomHoldPixels RMS in this step. Following the patches' mean would glue the pattern to a point that the
            // zoom keeps leaving (the corpus zooms read thinly and were lost after CRF 30, round 11 "under attack");
            // holding the map leaves the pattern where it is, which the static detector reads.
            var (zoom, _, _, residual, reach) = FitSimilarity(dx, dy, px, py, n, mx, my, mcx, mcy);
            LastFit = (zoom, residual, reach, mx, my);
            if (residual <= ZoomResidual && Math.Abs(zoom) * reach >= ZoomHoldPixels)
            {
                LastZoom = zoom;
                LastKind = TrackerStepKind.ZoomHeld;
                return (1, 0, 0);
            }
        }
        if (FollowZoom && n >= 3)
        {
            var (alpha, bx, by, res, reach) = FitSimilarity(dx, dy, px, py, n, mx, my, mcx, mcy);
            // A similarity explains the patches to their sub-pixel precision or not at all: patches that disagree beyond
            // ZoomResidual (a flat patch that stayed at 0, local motion) make no zoom, only their mean translation. A zoom
            // that moves the patches apart by less than MinimumZoomPixels is taken as none (the patches' sub-pixel noise on
            // a pan fits zooms of that size: round 11's hold).
            if (res <= ZoomResidual && Math.Abs(alpha) * reach >= MinimumZoomPixels)
            {
                LastZoom = alpha;
                double s = 1 / (1 - alpha);
                return (s, bx * s, by * s);
            }
            if (res > ZoomResidual && !DropOnePatch)
            {
                double spread0 = 0;
                for (int k = 0; k < n; k++) spread0 += (dx[k] - mx) * (dx[k] - mx) + (dy[k] - my) * (dy[k] - my);
                if (Math.Sqrt(spread0 / n) <= TranslationSpread) return (1, mx, my);
                LastKind = TrackerStepKind.Disagreed;
                return (1, 0, 0);
            }
        }
        // Patches that disagree about a common translation by more than TranslationSpread RMS say no global
        // motion: the whitened correlation of a smooth, changing picture (ffmpeg's gradients) puts a sharp peak
        // somewhere in every patch, a different place in each.
        double spread = 0;
        for (int k = 0; k < n; k++) spread += (dx[k] - mx) * (dx[k] - mx) + (dy[k] - my) * (dy[k] - my);
        if (n <= 1 || Math.Sqrt(spread / n) <= TranslationSpread) return (1, mx, my);
        if (DropOnePatch && n == 4 && AgreeingThree(dx, dy) is { } three) return (1, three.X, three.Y);
        LastKind = TrackerStepKind.Disagreed;
        return (1, 0, 0);
    }

    /// <summary>d = α·c + β by least squares over the patches, one α for both axes (then x_cur = c, x_prev = c − d =
    /// (1 − α)·c − β); with the RMS px by which the patches miss it and the patches' RMS distance from their centroid
    /// (α times it is how far the zoom moves them apart).</summary>
    private static (double Alpha, double Bx, double By, double Residual, double Reach) FitSimilarity(
        ReadOnlySpan<double> dx, ReadOnlySpan<double> dy, ReadOnlySpan<double> px, ReadOnlySpan<double> py, int n,
        double mx, double my, double mcx, double mcy)
    {
        double num = 0, den = 0;
        for (int k = 0; k < n; k++)
        {
            num += (dx[k] - mx) * (px[k] - mcx) + (dy[k] - my) * (py[k] - mcy);
            den += (px[k] - mcx) * (px[k] - mcx) + (py[k] - mcy) * (py[k] - mcy);
        }
        double alpha = den > 0 ? num / den : 0;
        double bx = mx - alpha * mcx, by = my - alpha * mcy;
        double res = 0;
        for (int k = 0; k < n; k++)
        {
            double ex = dx[k] - alpha * px[k] - bx, ey = dy[k] - alpha * py[k] - by;
            res += ex * ex + ey * ey;
        }
        return (alpha, bx, by, Math.Sqrt(res / n), Math.Sqrt(den / n));
    }

    /// <summary>A patch misses the model the other three fit by more than <see cref="OutlierFactor"/> times their own
    /// RMS miss (at least <see cref="OutlierFloor"/>) and at least <see cref="OutlierMinimum"/> px: it is dropped.</summary>
    public const double OutlierFactor = 4, OutlierFloor = 0.05, OutlierMinimum = 0.3;

    /// <summary>With <see cref="DropOnePatch"/>: of four sharp patches, the one that the other three (fitted by a
    /// translation, or with <paramref name="similarity"/> by d = α·c + β) put far off, if any. A static overlay (the
    /// visible label, which is textured and so chosen as its quadrant's patch) does not always pull its patch outside
    /// <see cref="TranslationSpread"/>: its peak at 0 and the content's a few reduced samples away blend under the taper, and
    /// the patch reports part of the motion. On the 1080p photo pan's stamp (first 6 s, every other frame) that left the
    /// reader's chain 6 % short of the embedder's map (20.8 px in 170 frames) and the registered read found nothing
    /// (round 12); the clean source's chain was within 0.5 px.</summary>
    private static int? OutlierPatch(ReadOnlySpan<double> dx, ReadOnlySpan<double> dy, ReadOnlySpan<double> px, ReadOnlySpan<double> py, bool similarity)
    {
        int? worst = null;
        double bestFit = double.MaxValue, bestMiss = 0;
        Span<double> ex = stackalloc double[3], ey = stackalloc double[3], cx = stackalloc double[3], cy = stackalloc double[3];
        for (int skip = 0; skip < 4; skip++)
        {
            int m = 0;
            for (int k = 0; k < 4; k++) if (k != skip) { (ex[m], ey[m], cx[m], cy[m]) = (dx[k], dy[k], px[k], py[k]); m++; }
            double mx = (ex[0] + ex[1] + ex[2]) / 3, my = (ey[0] + ey[1] + ey[2]) / 3;
            double mcx = (cx[0] + cx[1] + cx[2]) / 3, mcy = (cy[0] + cy[1] + cy[2]) / 3;
            double alpha = 0, bx = mx, by = my, fit;
            if (similarity)
            {
                (alpha, bx, by, fit, _) = FitSimilarity(ex, ey, cx, cy, 3, mx, my, mcx, mcy);
            }
            else
            {
                double spread = 0;
                for (int k = 0; k < 3; k++) spread += (ex[k] - mx) * (ex[k] - mx) + (ey[k] - my) * (ey[k] - my);
                fit = Math.Sqrt(spread / 3);
            }
            double mdx = dx[skip] - alpha * px[skip] - bx, mdy = dy[skip] - alpha * py[skip] - by;
            if (fit < bestFit) (bestFit, bestMiss, worst) = (fit, Math.Sqrt(mdx * mdx + mdy * mdy), skip);
        }
        return bestMiss >= OutlierMinimum && bestMiss > OutlierFactor * Math.Max(bestFit, OutlierFloor) ? worst : null;
    }

    /// <summary>With <see cref="DropOnePatch"/>: of four patches that disagree, the three that agree within
    /// <see cref="TranslationSpread"/> RMS (the tightest such three), as their mean; null when no three do.</summary>
    private static (double X, double Y)? AgreeingThree(ReadOnlySpan<double> dx, ReadOnlySpan<double> dy)
    {
        (double X, double Y)? best = null;
        double bestSpread = TranslationSpread;
        for (int skip = 0; skip < 4; skip++)
        {
            double mx = 0, my = 0;
            for (int k = 0; k < 4; k++) if (k != skip) { mx += dx[k]; my += dy[k]; }
            (mx, my) = (mx / 3, my / 3);
            double spread = 0;
            for (int k = 0; k < 4; k++) if (k != skip) spread += (dx[k] - mx) * (dx[k] - mx) + (dy[k] - my) * (dy[k] - my);
            spread = Math.Sqrt(spread / 3);
            if (spread <= bestSpread) (best, bestSpread) = ((mx, my), spread);
        }
        return best;
    }

    /// <summary>Per quadrant, the most textured of its four candidate patch positions (a 4 × 4 grid of centres at odd
    /// eighths of the frame), texture = Σ |horizontal| + |vertical| differences of the coarse plane over the patch. A flat
    /// patch (sky, a cartoon's fill) looks the same in both frames wherever the content moved, so its correlation peaks at
    /// 0 as sharply as a textured one at the motion: on the cartoon pan two of the fixed quadrant-centre patches said 0,
    /// two said −2 px, and the fit made a 0.24 % zoom out of it every frame. Candidates whose texture runs one way only
    /// (the smaller eigenvalue of the gradients' structure tensor under <see cref="ApertureRatio"/> of the larger: a
    /// stripe, a bar's edge) are passed over, and a quadrant with no other is not measured: such a patch correlates
    /// along the stripe as well as at the motion (the aperture problem), and on ffmpeg's testsrc2 (vertical colour bars
    /// crossed by a moving diagonal) the embedder's map walked 114 px down a still picture in 24 frames (round 12).</summary>
    private void ChoosePatches()
    {
        int span = Math.Max(2, _pp / _dc);
        Span<double> best = stackalloc double[4];
        best.Fill(-1);
        for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++)
        {
            if (AvoidCorners && (i == 0 || i == 3) && (j == 0 || j == 3)) continue;
            int x = (2 * i + 1) * _w / 8, y = (2 * j + 1) * _h / 8;
            int x0 = Math.Clamp(x - _pp / 2, 0, Math.Max(0, _w - _pp)) / _dc, y0 = Math.Clamp(y - _pp / 2, 0, Math.Max(0, _h - _pp)) / _dc;
            double t = 0, gxx = 0, gyy = 0, gxy = 0;
            for (int yy = y0; yy < Math.Min(_ch - 1, y0 + span); yy++)
            for (int xx = x0; xx < Math.Min(_cw - 1, x0 + span); xx++)
            {
                float v = _re[yy * CoarseSize + xx];
                double gx = _re[yy * CoarseSize + xx + 1] - v, gy = _re[(yy + 1) * CoarseSize + xx] - v;
                t += Math.Abs(gx) + Math.Abs(gy);
                (gxx, gyy, gxy) = (gxx + gx * gx, gyy + gy * gy, gxy + gx * gy);
            }
            // Eigenvalues of [[gxx, gxy], [gxy, gyy]]: half the trace ± the root.
            double half = (gxx + gyy) / 2, root = Math.Sqrt((gxx - gyy) * (gxx - gyy) / 4 + gxy * gxy);
            if (half + root > 0 && half - root < ApertureRatio * (half + root)) continue;
            int q = (j / 2) * 2 + i / 2;
            if (t > best[q]) { best[q] = t; _centres[q] = (x, y); }
        }
        for (int q = 0; q < 4; q++) _unmeasured[q] = best[q] < 0;
    }

    /// <summary>A candidate patch's structure tensor must have its smaller eigenvalue at least this share of its larger
    /// (<see cref="ChoosePatches"/>). On the first 6 s, 45 % of testsrc2's candidates measure under 0.01 (its colour bars)
    /// and 52 % under 0.05; the render pan's rendered texture has 13 % under 0.01, 56 % under 0.05, 76 % under 0.1, so at 0.1 two or three of its quadrants often had none, the steps that
    /// left one patch were taken as no motion and its map ran 393 px in 6 s where the pan runs 441 (its content-locked
    /// stamp 13 % larger than round 11's, bench/VIDEO.md round 12). At 0.05 it moves on 352 of 360 frames, and
    /// testsrc2's map moves less than at 0.1 (34 px in 6 s, against 84).</summary>
    public const double ApertureRatio = 0.05;

    private readonly bool[] _unmeasured = new bool[4];

    /// <summary>dest[y · stride + x] = mean of the d × d block at (x0 + d·x, y0 + d·y), for x &lt; outW, y &lt; outH.</summary>
    private void Reduce(ReadOnlySpan<byte> plane, int x0, int y0, int d, int outW, int outH, float[] dest, int stride) =>
        Reduce(plane, _w, _sums, x0, y0, d, outW, outH, dest, stride, ReferenceLoops);

    /// <summary><see cref="Reduce(ReadOnlySpan{byte}, int, int, int, int, int, float[], int)"/> on a plane
    /// <paramref name="planeWidth"/> wide, with <paramref name="sumsBuffer"/> (≥ outW · d) for the column sums;
    /// <paramref name="referenceLoops"/>: the generic column loop the specialised ones are tested against.</summary>
    internal static void Reduce(ReadOnlySpan<byte> plane, int planeWidth, ushort[] sumsBuffer, int x0, int y0, int d, int outW, int outH,
        float[] dest, int stride, bool referenceLoops = false)
    {
        int span = outW * d;
        float inv = 1f / (d * d);
        var sums = sumsBuffer.AsSpan(0, span);
        for (int y = 0; y < outH; y++)
        {
            sums.Clear();
            int row = (y0 + y * d) * planeWidth + x0;
            for (int j = 0; j < d; j++) ColumnSums.Accumulate(plane.Slice(row + j * planeWidth, span), sums);
            var o = dest.AsSpan(y * stride, outW);
            if (referenceLoops) ColumnMeansReference(sums, d, inv, o);
            else ColumnMeans(sums, d, inv, o);
        }
    }

    /// <summary>o[x] = (Σ of sums[d·x … d·x + d − 1]) · inv: integer adds (any order gives the same sum), one conversion
    /// and one multiply as <see cref="ColumnMeansReference"/>. The patches' d of 1-3 unrolled: the generic inner loop of two
    /// or three adds cost ≈ 3.5 µs a 128-sample row at 1080p (bench tracker-cpu, round 17), 8 patches × 128 rows a step.</summary>
    private static void ColumnMeans(ReadOnlySpan<ushort> sums, int d, float inv, Span<float> o)
    {
        ref ushort s = ref MemoryMarshal.GetReference(sums);
        ref float r = ref MemoryMarshal.GetReference(o);
        int n = o.Length;
        if (sums.Length < n * d) throw new ArgumentException("The column sums are shorter than the row.", nameof(sums));
        switch (d)
        {
            case 1:
                for (int x = 0; x < n; x++) Unsafe.Add(ref r, x) = Unsafe.Add(ref s, x) * inv;
                break;
            case 2:
                for (int x = 0; x < n; x++) Unsafe.Add(ref r, x) = (Unsafe.Add(ref s, 2 * x) + Unsafe.Add(ref s, 2 * x + 1)) * inv;
                break;
            case 3:
                for (int x = 0; x < n; x++)
                    Unsafe.Add(ref r, x) = (Unsafe.Add(ref s, 3 * x) + Unsafe.Add(ref s, 3 * x + 1) + Unsafe.Add(ref s, 3 * x + 2)) * inv;
                break;
            default:
                for (int x = 0, k = 0; x < n; x++)
                {
                    int acc = 0;
                    for (int end = k + d; k < end; k++) acc += Unsafe.Add(ref s, k);
                    Unsafe.Add(ref r, x) = acc * inv;
                }
                break;
        }
    }

    /// <summary>The column loop <see cref="ColumnMeans"/> replaces.</summary>
    private static void ColumnMeansReference(ReadOnlySpan<ushort> sums, int d, float inv, Span<float> o)
    {
        for (int x = 0, s = 0; x < o.Length; x++)
        {
            int acc = 0;
            for (int i = 0; i < d; i++) acc += sums[s++];
            o[x] = acc * inv;
        }
    }
}
