namespace LabelStamp.Benchmarks;

/// <summary>
/// Global motion between consecutive luma planes as a zoom about the centre plus a translation:
/// content at x in the previous frame is at c + (1 + a)(x − c) + t in this one. 36 patches on a 6 × 6
/// grid are block-matched on a 4 × 4 box-averaged plane (±6 low-res px, so ±24 px per frame), refined on
/// the full plane (±3 px, parabolic sub-pixel), and fitted by least squares with one outlier pass; flat
/// patches (no SAD minimum worth the name) are left out, and with fewer than three reliable patches the
/// motion is taken as zero. Exploration code for issue 18's motion-following mark.
/// </summary>
public sealed class GlobalMotionEstimator
{
    private const int Down = 4, Grid = 6, LowRadius = 6, FullRadius = 3;
    private readonly int _w, _h, _lw, _lh, _lowHalf, _fullHalf;
    private byte[] _prev, _cur;
    private int[] _prevLow, _curLow;

    public GlobalMotionEstimator(int width, int height)
    {
        _w = width;
        _h = height;
        _lw = width / Down;
        _lh = height / Down;
        _lowHalf = Math.Max(6, Math.Min(12, Math.Min(_lw, _lh) / (2 * Grid)));
        _fullHalf = Math.Min(24, _lowHalf * Down);
        _prev = new byte[width * height];
        _cur = new byte[width * height];
        _prevLow = new int[_lw * _lh];
        _curLow = new int[_lw * _lh];
    }

    public void Remember(ReadOnlySpan<byte> luma)
    {
        luma[..(_w * _h)].CopyTo(_prev);
        Reduce(_prev, _prevLow);
    }

    /// <summary>Motion from the remembered plane to <paramref name="luma"/>, which is then remembered.</summary>
    public (double A, double Tx, double Ty) Estimate(ReadOnlySpan<byte> luma)
    {
        luma[..(_w * _h)].CopyTo(_cur);
        Reduce(_cur, _curLow);
        Span<double> px = stackalloc double[Grid * Grid], py = stackalloc double[Grid * Grid],
            dx = stackalloc double[Grid * Grid], dy = stackalloc double[Grid * Grid];
        int n = 0;
        int margin = _lowHalf + LowRadius + 1;
        for (int j = 0; j < Grid; j++)
        for (int i = 0; i < Grid; i++)
        {
            int cx = Math.Clamp((int)((i + 0.5) * _lw / Grid), margin, _lw - margin - 1);
            int cy = Math.Clamp((int)((j + 0.5) * _lh / Grid), margin, _lh - margin - 1);
            if (!Match(cx, cy, out double mx, out double my)) continue;
            px[n] = cx * Down + Down / 2.0 - _w / 2.0;
            py[n] = cy * Down + Down / 2.0 - _h / 2.0;
            dx[n] = mx;
            dy[n] = my;
            n++;
        }
        (_prev, _cur) = (_cur, _prev);
        (_prevLow, _curLow) = (_curLow, _prevLow);
        if (n < 3) return (0, 0, 0);
        Span<bool> use = stackalloc bool[n];
        use.Fill(true);
        var fit = Fit(px[..n], py[..n], dx[..n], dy[..n], use);
        Span<double> r = stackalloc double[n];
        for (int k = 0; k < n; k++) r[k] = Math.Abs(dx[k] - fit.A * px[k] - fit.Tx) + Math.Abs(dy[k] - fit.A * py[k] - fit.Ty);
        double[] sorted = r.ToArray();
        Array.Sort(sorted);
        double limit = Math.Max(0.75, 2.5 * sorted[n / 2]);
        int kept = 0;
        for (int k = 0; k < n; k++) if (use[k] = r[k] <= limit) kept++;
        if (kept < 3) return (0, 0, 0);
        return Fit(px[..n], py[..n], dx[..n], dy[..n], use);
    }

    /// <summary>Least squares of d = a·p + t over the points in use (a zoom about the origin plus a shift); the
    /// translation estimator's zoom fit too.</summary>
    internal static (double A, double Tx, double Ty) Fit(ReadOnlySpan<double> px, ReadOnlySpan<double> py, ReadOnlySpan<double> dx, ReadOnlySpan<double> dy, ReadOnlySpan<bool> use)
    {
        double mpx = 0, mpy = 0, mdx = 0, mdy = 0;
        int m = 0;
        for (int k = 0; k < px.Length; k++)
        {
            if (!use[k]) continue;
            mpx += px[k]; mpy += py[k]; mdx += dx[k]; mdy += dy[k]; m++;
        }
        mpx /= m; mpy /= m; mdx /= m; mdy /= m;
        double num = 0, den = 0;
        for (int k = 0; k < px.Length; k++)
        {
            if (!use[k]) continue;
            num += (px[k] - mpx) * (dx[k] - mdx) + (py[k] - mpy) * (dy[k] - mdy);
            den += (px[k] - mpx) * (px[k] - mpx) + (py[k] - mpy) * (py[k] - mpy);
        }
        double a = den > 0 ? num / den : 0;
        return (a, mdx - a * mpx, mdy - a * mpy);
    }

    /// <summary>Where the patch centred on low-res (cx, cy) of the previous frame went, in full-res pixels.</summary>
    private bool Match(int cx, int cy, out double mx, out double my)
    {
        mx = my = 0;
        long best = long.MaxValue;
        int bx = 0, by = 0;
        for (int oy = -LowRadius; oy <= LowRadius; oy++)
        for (int ox = -LowRadius; ox <= LowRadius; ox++)
        {
            long sad = 0;
            for (int y = -_lowHalf; y < _lowHalf; y++)
            {
                int pr = (cy + y) * _lw + cx, cr = (cy + y + oy) * _lw + cx + ox;
                for (int x = -_lowHalf; x < _lowHalf; x++) sad += Math.Abs(_curLow[cr + x] - _prevLow[pr + x]);
            }
            if (sad < best) { best = sad; bx = ox; by = oy; }
        }
        // Refine on the full plane around the coarse match.
        int fcx = cx * Down + Down / 2, fcy = cy * Down + Down / 2;
        int side = 2 * FullRadius + 1;
        Span<long> s = stackalloc long[side * side];
        for (int oy = -FullRadius; oy <= FullRadius; oy++)
        for (int ox = -FullRadius; ox <= FullRadius; ox++)
        {
            int sx = bx * Down + ox, sy = by * Down + oy;
            long sad = 0;
            for (int y = -_fullHalf; y < _fullHalf; y += 2)
            {
                int py = fcy + y, qy = py + sy;
                if ((uint)qy >= (uint)_h || (uint)py >= (uint)_h) { sad += 1 << 20; continue; }
                int pr = py * _w, cr = qy * _w;
                for (int x = -_fullHalf; x < _fullHalf; x += 2)
                {
                    int pxx = fcx + x, qx = pxx + sx;
                    if ((uint)qx >= (uint)_w || (uint)pxx >= (uint)_w) { sad += 255; continue; }
                    sad += Math.Abs(_cur[cr + qx] - _prev[pr + pxx]);
                }
            }
            s[(oy + FullRadius) * side + ox + FullRadius] = sad;
        }
        int bi = 0;
        for (int k = 1; k < s.Length; k++) if (s[k] < s[bi]) bi = k;
        int iy = bi / side, ix = bi % side;
        if (ix == 0 || iy == 0 || ix == side - 1 || iy == side - 1) return false; // no minimum inside the window
        double c0 = s[bi], l = s[bi - 1], rr = s[bi + 1], u = s[bi - side], d = s[bi + side];
        int samples = _fullHalf * _fullHalf; // (2·half / 2)²
        // A flat patch has no minimum worth trusting: the neighbours must cost clearly more than the
        // match (twice, and ≥ 0.05 level per sample more; a render's flat areas with a few edges pass).
        double around = (l + rr + u + d) / 4;
        if (around < 2 * c0 || around - c0 < 0.05 * samples) return false;
        double fx = l + rr - 2 * c0 > 0 ? 0.5 * (l - rr) / (l + rr - 2 * c0) : 0;
        double fy = u + d - 2 * c0 > 0 ? 0.5 * (u - d) / (u + d - 2 * c0) : 0;
        mx = bx * Down + (ix - FullRadius) + fx;
        my = by * Down + (iy - FullRadius) + fy;
        return true;
    }

    private void Reduce(byte[] plane, int[] low)
    {
        Array.Clear(low);
        for (int y = 0; y < _lh * Down; y++)
        {
            int r = y * _w, lr = (y / Down) * _lw;
            for (int x = 0; x < _lw * Down; x++) low[lr + x / Down] += plane[r + x];
        }
    }
}
