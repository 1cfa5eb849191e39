using LabelStamp.Kernels;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Global translation between two luma planes, or the verdict that there is none (round 4 of issue 18).
/// Three levels: a whole-plane search on a 16 × reduced plane gives a coarse shift (so the range is
/// large at little cost); 48 patches (8 × 6, 64 × 64 px) are matched around it on a 4 × reduced plane
/// and refined on the full plane (±3 px, parabolic sub-pixel). Every sum of absolute differences goes
/// through <see cref="RowSad"/> (PSADBW). The fit is deliberately conservative, because a wrong
/// "motion" costs more than a missed one (the pattern then moves against the content):
/// - patches with little texture, or whose match has no clear minimum, are left out;
/// - if half the textured patches are unchanged in place, the picture is still: no global motion;
/// - the translation is the mean of the vectors within 0.5 px of their median (the inliers);
/// - "global motion" is declared only when ≥ 60 % of the textured patches (and ≥ 8) are inliers and
///   their RMS deviation is ≤ 0.6 px. A zoom (vectors growing away from the centre), a crossfade or
///   a cellular automaton's local changes fail that test and give "no global motion".
/// The zoom about the centre is also fitted by least squares on all textured vectors (reported only).
/// Exploration code: not product code.
/// </summary>
public sealed class TranslationEstimator
{
    public readonly record struct Motion(double Tx, double Ty, bool Global, int Textured, int Inliers, double Residual, double Zoom)
    {
        /// <summary>No motion because the picture stands still (not merely because the fit failed).</summary>
        public bool Still { get; init; }
    }

    /// <summary>A vector within this many pixels of the median (each axis) is an inlier: a global pan's
    /// vectors agree to ≈ 0.2 px; 1 px let locally moving content into the mean.</summary>
    private const double Inlier = 0.5;
    private const int Down = 4, CoarseDown = 16, Patch = 64, LowPatch = Patch / Down, LowRadius = 2, FullRadius = 3;
    private readonly int _w, _h, _lw, _lh, _cw, _ch, _coarseRadius;
    private byte[] _prev, _cur, _prevLow, _curLow, _prevCoarse, _curCoarse;
    private bool _has;

    /// <param name="maxShift">largest motion between two calls, full-resolution pixels.</param>
    public TranslationEstimator(int width, int height, int maxShift)
    {
        _w = width;
        _h = height;
        _lw = width / Down;
        _lh = height / Down;
        _cw = width / CoarseDown;
        _ch = height / CoarseDown;
        _coarseRadius = Math.Max(2, (maxShift + CoarseDown - 1) / CoarseDown);
        _prev = new byte[width * height];
        _cur = new byte[width * height];
        _prevLow = new byte[_lw * _lh];
        _curLow = new byte[_lw * _lh];
        _prevCoarse = new byte[_cw * _ch];
        _curCoarse = new byte[_cw * _ch];
    }

    /// <summary>Motion from the previous plane given to this one (none on the first call).</summary>
    public Motion Estimate(ReadOnlySpan<byte> luma)
    {
        var m = EstimateFromReference(luma);
        PromoteCurrent();
        return m;
    }

    /// <summary>Motion from the reference plane to this one (none while there is no reference); the
    /// reference stays until <see cref="PromoteCurrent"/>. Round 5: measuring against a key frame
    /// several frames back instead of the previous frame keeps a slow zoom's per-frame error from
    /// adding up over the whole clip, and makes the motion to measure larger than the noise.</summary>
    public Motion EstimateFromReference(ReadOnlySpan<byte> luma)
    {
        luma[..(_w * _h)].CopyTo(_cur);
        Reduce(_cur, _w, _h, Down, _curLow);
        Reduce(_curLow, _lw, _lh, CoarseDown / Down, _curCoarse);
        return _has ? Match() : default;
    }

    /// <summary>The plane last given becomes the reference.</summary>
    public void PromoteCurrent()
    {
        (_prev, _cur) = (_cur, _prev);
        (_prevLow, _curLow) = (_curLow, _prevLow);
        (_prevCoarse, _curCoarse) = (_curCoarse, _prevCoarse);
        _has = true;
    }

    /// <summary>There is a reference to measure against.</summary>
    public bool HasReference => _has;

    private Motion Match()
    {
        var (cx, cy) = CoarseShift();
        int gridX = GridColumns, gridY = GridRows;
        Span<double> px = stackalloc double[gridX * gridY], py = stackalloc double[gridX * gridY],
            dx = stackalloc double[gridX * gridY], dy = stackalloc double[gridX * gridY];
        int n = 0, still = 0, textured = 0;
        for (int j = 0; j < gridY; j++)
        for (int i = 0; i < gridX; i++)
        {
            // Patch top-left on the low plane, evenly spread, kept inside with room for the search.
            int lx = (int)((i + 0.5) * _lw / gridX) - LowPatch / 2, ly = (int)((j + 0.5) * _lh / gridY) - LowPatch / 2;
            int sx = cx * (CoarseDown / Down), sy = cy * (CoarseDown / Down);
            if (PriorZoom != 0)
            {
                // The zoom expected since the reference moves this patch radially by PriorZoom × its
                // distance from the centre, which the whole-plane shift cannot show: centre the search there.
                double ppx = lx * Down + Patch / 2.0 - _w / 2.0, ppy = ly * Down + Patch / 2.0 - _h / 2.0;
                sx += (int)Math.Round(PriorZoom * ppx / Down);
                sy += (int)Math.Round(PriorZoom * ppy / Down);
            }
            if (lx + Math.Min(0, sx) - LowRadius < 0 || ly + Math.Min(0, sy) - LowRadius < 0
                || lx + LowPatch + Math.Max(0, sx) + LowRadius > _lw || ly + LowPatch + Math.Max(0, sy) + LowRadius > _lh) continue;
            if (!Textured(lx, ly)) continue;
            textured++;
            if (StillPatch(lx, ly)) still++;
            if (!PatchShift(lx, ly, sx, sy, out double mx, out double my)) continue;
            px[n] = lx * Down + Patch / 2.0 - _w / 2.0;
            py[n] = ly * Down + Patch / 2.0 - _h / 2.0;
            dx[n] = mx;
            dy[n] = my;
            n++;
        }
        // Half the textured patches unchanged in place: the picture stands still and what changes is
        // local (a cellular automaton, a moving object over a still shot). Measured on `life`: without
        // this rule the few moving cells' vectors dragged the mean by ≈ 0.15 px per frame.
        if (textured > 0 && still >= 0.5 * textured) return new Motion(0, 0, false, n, 0, 0, 0) { Still = true };
        if (n < 8) return new Motion(0, 0, false, n, 0, double.NaN, 0);
        double medX = Median(dx[..n]), medY = Median(dy[..n]);
        double sumX = 0, sumY = 0, sq = 0;
        int inl = 0;
        for (int k = 0; k < n; k++)
        {
            if (Math.Abs(dx[k] - medX) > Inlier || Math.Abs(dy[k] - medY) > Inlier) continue;
            sumX += dx[k];
            sumY += dy[k];
            inl++;
        }
        double tx = sumX / inl, ty = sumY / inl;
        for (int k = 0; k < n; k++)
            if (Math.Abs(dx[k] - medX) <= Inlier && Math.Abs(dy[k] - medY) <= Inlier)
                sq += (dx[k] - tx) * (dx[k] - tx) + (dy[k] - ty) * (dy[k] - ty);
        double rms = Math.Sqrt(sq / inl);
        // Zoom about the centre: least squares of the vectors' radial growth.
        double num = 0, den = 0, mpx = 0, mpy = 0, mdx = 0, mdy = 0;
        for (int k = 0; k < n; k++) { mpx += px[k]; mpy += py[k]; mdx += dx[k]; mdy += dy[k]; }
        mpx /= n; mpy /= n; mdx /= n; mdy /= n;
        for (int k = 0; k < n; k++)
        {
            num += (px[k] - mpx) * (dx[k] - mdx) + (py[k] - mpy) * (dy[k] - mdy);
            den += (px[k] - mpx) * (px[k] - mpx) + (py[k] - mpy) * (py[k] - mpy);
        }
        double zoom = den > 0 ? num / den : 0;
        bool global = inl >= 8 && inl >= 0.6 * n && rms <= 0.6;
        var translation = global ? new Motion(tx, ty, true, n, inl, rms, 0) : new Motion(0, 0, false, n, inl, rms, zoom);
        if (!Similarity) return translation;
        // Zoom about the centre + translation, with one outlier pass; preferred when it fits, since a slow
        // zoom (0.1 px per frame at the corners) also passes as a translation and would be missed.
        Span<bool> use = stackalloc bool[n];
        use.Fill(true);
        var (a, zx, zy) = GlobalMotionEstimator.Fit(px[..n], py[..n], dx[..n], dy[..n], use);
        Span<double> res = stackalloc double[n];
        for (int k = 0; k < n; k++) res[k] = Math.Sqrt(Sq(dx[k] - a * px[k] - zx) + Sq(dy[k] - a * py[k] - zy));
        double limit = Math.Max(1, 2.5 * Median(res));
        int zin = 0;
        for (int k = 0; k < n; k++) if (use[k] = res[k] <= limit) zin++;
        if (zin < 8 || zin < 0.6 * n) return translation;
        (a, zx, zy) = GlobalMotionEstimator.Fit(px[..n], py[..n], dx[..n], dy[..n], use);
        double zsq = 0;
        for (int k = 0; k < n; k++) if (use[k]) zsq += Sq(dx[k] - a * px[k] - zx) + Sq(dy[k] - a * py[k] - zy);
        double zrms = Math.Sqrt(zsq / zin);
        return zrms <= 0.6 ? new Motion(zx, zy, true, n, zin, zrms, a) : translation;
    }

    /// <summary>Patches across and down (8 × 6 in round 4). Round 5: on the smooth 720p60 render pan only
    /// 0–9 of 48 patches had texture and a clear minimum, below the 8 a fit needs, in 89 of 120 frames;
    /// a denser grid gives flat content more chances to show a textured patch.</summary>
    public int GridColumns { get; init; } = 8;

    /// <summary>The texture floor (levels, low plane) and the clear-minimum test (ratio, gap in levels per
    /// sample) of a patch. Round 5: a reader may lower them (<see cref="Lenient"/>): a wrong fit there only
    /// blurs its own canvas, and the CRC still decides; the embedder keeps round 4's values, because a
    /// wrong fit there moves the pattern against the content.</summary>
    public double TextureFloor { get; init; } = 0.75;
    public double MinimumContrast { get; init; } = 1.5;
    public double MinimumGap { get; init; } = 0.3;

    /// <summary>Round 5's lenient reader settings: measured on the CRF 30 veryfast copy of the render pan,
    /// where the default settings fitted 26 of 120 frames (0–7 patches with texture and a clear minimum).</summary>
    public static (double Floor, double Contrast, double Gap) Lenient => (0.25, 1.15, 0.08);
    /// <summary>Round 6, the embedder's stricter settings (variant "r"): only patches with enough texture and a
    /// clear enough minimum to survive a CRF 30 copy. Round 5's render zoom: the embedder fitted 146 of 180
    /// frames with the defaults, the reader 13 of 90 kept frames of the CRF 30 veryfast copy.</summary>
    public static (double Floor, double Contrast, double Gap) Robust => (2.0, 2.0, 0.6);
    public int GridRows { get; init; } = 6;

    /// <summary>Round 6: the zoom expected between the reference and this plane (0: none). A key frame 8
    /// frames back on the 720p photo zoom is ≈ 1.2 % away, 7 px at the patch grid's edge: near the edge of
    /// the patches' ±11 px search around the whole-plane shift, where round 5 saw most failures.</summary>
    public double PriorZoom { get; set; }

    /// <summary>Also accept zoom about the centre + translation when a translation alone does not fit.</summary>
    public bool Similarity { get; init; }

    private static double Sq(double v) => v * v;

    /// <summary>Whole-plane search on the coarse planes: the shift with the least mean absolute difference
    /// over the overlap (at least half the plane).</summary>
    private (int, int) CoarseShift()
    {
        int r = Math.Min(_coarseRadius, Math.Min(_cw, _ch) / 4);
        double best = double.MaxValue;
        int bx = 0, by = 0;
        for (int oy = -r; oy <= r; oy++)
        for (int ox = -r; ox <= r; ox++)
        {
            int x0 = Math.Max(0, -ox), x1 = Math.Min(_cw, _cw - ox), y0 = Math.Max(0, -oy), y1 = Math.Min(_ch, _ch - oy);
            long sad = 0;
            for (int y = y0; y < y1; y++)
                sad += RowSad.Sum(_prevCoarse.AsSpan(y * _cw + x0, x1 - x0), _curCoarse.AsSpan((y + oy) * _cw + x0 + ox, x1 - x0));
            // Small preference for small shifts, so a flat plane stays at zero.
            double cost = (double)sad / ((x1 - x0) * (y1 - y0)) + 0.01 * (Math.Abs(ox) + Math.Abs(oy));
            if (cost < best) { best = cost; bx = ox; by = oy; }
        }
        return (bx, by);
    }

    /// <summary>Mean absolute horizontal + vertical difference on the low plane ≥ 0.75 level: a patch
    /// flatter than that has no position to find (render skies, flat cartoon areas); the match's own
    /// clear-minimum test then judges the rest.</summary>
    private bool Textured(int lx, int ly)
    {
        long s = 0;
        for (int y = ly; y < ly + LowPatch - 1; y++)
        {
            var row = _prevLow.AsSpan(y * _lw + lx, LowPatch);
            s += RowSad.Sum(row[..^1], row[1..]) + RowSad.Sum(row, _prevLow.AsSpan((y + 1) * _lw + lx, LowPatch));
        }
        return s >= TextureFloor * (LowPatch - 1) * (LowPatch - 1) * 2;
    }

    /// <summary>The full-resolution patch is unchanged in place: mean absolute difference at zero shift
    /// ≤ 0.1 level (every other row), i.e. the codec coded it as skipped. 0.5 level took the smooth
    /// 720p60 render pan (1.2 px per frame over gradients below 0.4 level per px) for a still picture:
    /// the mark followed it in 0 of 360 frames.</summary>
    private bool StillPatch(int lx, int ly)
    {
        int fx = lx * Down, fy = ly * Down;
        long sad = 0;
        for (int y = 0; y < Patch; y += 2)
            sad += RowSad.Sum(_prev.AsSpan((fy + y) * _w + fx, Patch), _cur.AsSpan((fy + y) * _w + fx, Patch));
        return sad <= 0.1 * Patch * Patch / 2;
    }

    private bool PatchShift(int lx, int ly, int sx, int sy, out double mx, out double my)
    {
        mx = my = 0;
        long best = long.MaxValue;
        int bx = sx, by = sy;
        for (int oy = sy - LowRadius; oy <= sy + LowRadius; oy++)
        for (int ox = sx - LowRadius; ox <= sx + LowRadius; ox++)
        {
            long sad = 0;
            for (int y = 0; y < LowPatch; y++)
                sad += RowSad.Sum(_prevLow.AsSpan((ly + y) * _lw + lx, LowPatch), _curLow.AsSpan((ly + y + oy) * _lw + lx + ox, LowPatch));
            if (sad < best) { best = sad; bx = ox; by = oy; }
        }
        // Full-resolution refinement around the low-plane match, on every row: sampling every other row
        // biased the sub-pixel fit on 2 × nearest-neighbour content (`life`: a shift of +1 row stayed
        // inside the same 2-px block, −1 did not, so the parabola leaned down by ≈ 0.15 px per frame).
        int fx = lx * Down, fy = ly * Down, side = 2 * FullRadius + 1;
        Span<long> s = stackalloc long[side * side];
        for (int oy = -FullRadius; oy <= FullRadius; oy++)
        for (int ox = -FullRadius; ox <= FullRadius; ox++)
        {
            int qx = fx + bx * Down + ox, qy = fy + by * Down + oy;
            long sad;
            if (qx < 0 || qy < 0 || qx + Patch > _w || qy + Patch > _h) sad = long.MaxValue / 4;
            else
            {
                sad = 0;
                for (int y = 0; y < Patch; y++)
                    sad += RowSad.Sum(_prev.AsSpan((fy + y) * _w + fx, Patch), _cur.AsSpan((qy + y) * _w + qx, Patch));
            }
            s[(oy + FullRadius) * side + ox + FullRadius] = sad;
        }
        int bi = 0;
        for (int k = 1; k < s.Length; k++) if (s[k] < s[bi]) bi = k;
        int iy = bi / side, ix = bi % side;
        if (ix == 0 || iy == 0 || ix == side - 1 || iy == side - 1) return false;
        double c0 = s[bi], l = s[bi - 1], rr = s[bi + 1], u = s[bi - side], d = s[bi + side];
        int samples = Patch * Patch;
        // A clear minimum: the four neighbours cost ≥ 1.5× the match and ≥ 0.3 level per sample more.
        double around = (l + rr + u + d) / 4;
        if (around < MinimumContrast * c0 || around - c0 < MinimumGap * samples) return false;
        double subX = l + rr - 2 * c0 > 0 ? 0.5 * (l - rr) / (l + rr - 2 * c0) : 0;
        double subY = u + d - 2 * c0 > 0 ? 0.5 * (u - d) / (u + d - 2 * c0) : 0;
        mx = bx * Down + (ix - FullRadius) + subX;
        my = by * Down + (iy - FullRadius) + subY;
        return true;
    }

    private static double Median(Span<double> v)
    {
        double[] a = v.ToArray();
        Array.Sort(a);
        return a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]);
    }

    /// <summary>Box average by <paramref name="f"/> in both directions, rounded.</summary>
    private static void Reduce(byte[] src, int w, int h, int f, byte[] dst)
    {
        int dw = w / f, dh = h / f, area = f * f;
        Span<int> acc = dw <= 4096 ? stackalloc int[dw] : new int[dw];
        for (int dy = 0; dy < dh; dy++)
        {
            acc.Clear();
            for (int y = dy * f; y < dy * f + f; y++)
            {
                int r = y * w;
                for (int x = 0; x < dw * f; x++) acc[x / f] += src[r + x];
            }
            for (int x = 0; x < dw; x++) dst[dy * dw + x] = (byte)((acc[x] + area / 2) / area);
        }
    }
}
