using System.Buffers;
using LabelStamp.Kernels;

namespace LabelStamp.Marks.Video;

/// <summary>
/// The mean of a suspect file's sampled frames, registered to the first one: each frame's global translation (and zoom,
/// as the embedder follows it) is measured by <see cref="ReducedPhaseTracker"/> against the previous frame given (the content-locked mark's embedder
/// measures the same way on the clean frames), accumulated, and the frame is summed at that offset, rounded to whole
/// pixels, on a canvas that covers everything the frames showed. On the canvas the content-locked pattern stands still,
/// so it adds up unsmeared where the static mean would smear it along the pan. The canvas grows as the frames move (a
/// quarter frame of margin per growth), capped at 3 × 3 frames around the first (a longer pan is cut at its ends).
/// Frames above 1920 × 1088 are registered and summed at half size (the mark's grid is frame-relative). Feed frames in
/// display order; read with <see cref="RegisteredMarkSearch"/>. By default each frame is registered to the one before (the
/// chain); verify also builds one registered against key frames (<see cref="KeyFrameSteps"/>, <see cref="HoldSteps"/>).
/// </summary>
public sealed class RegisteredCanvas : IDisposable
{
    private readonly int _w, _h, _half, _fw, _fh;
    private readonly ReducedPhaseTracker _tracker;
    private byte[]? _reduced;
    private float[] _sum = [];
    private ushort[] _count = [];
    private int _left, _top, _cw, _ch;
    private FrameMap _map = FrameMap.Identity;
    private bool _disposed;

    /// <param name="width">the decoded frames' width.</param>
    /// <param name="height">the decoded frames' height.</param>
    /// <param name="followZoom">register zoom steps too (frames resampled through the map), for stamps whose embedder
    /// followed the zoom.</param>
    /// <param name="keyFrameSteps">kept frames measured against one reference (1: each frame against the one before, the
    /// chain; verify also builds a canvas with <see cref="KeyFrameSteps"/>).</param>
    /// <param name="holdSteps">steps of 0 for which a reference is kept beyond <paramref name="keyFrameSteps"/> (0: none;
    /// verify's key-frame canvas: <see cref="HoldSteps"/>).</param>
    public RegisteredCanvas(int width, int height, bool followZoom = false, int keyFrameSteps = 1, int holdSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyFrameSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(holdSteps);
        if (Math.Min(width, height) < 16) throw new ArgumentOutOfRangeException(nameof(width), "a frame of at least 16 × 16");
        (_w, _h) = (width, height);
        _half = (long)width * height > 1920 * 1088 ? 2 : 1;
        (_fw, _fh) = (width / _half, height / _half);
        // Zoom is registered only for an embedder that follows it (followZoom, not the product's): on a pan the reader's
        // stray zoom fits turned the canvas "zoomed" (the render pan's stamp at scale 1.003, its CRF 30 copy lost, round 12).
        _tracker = new ReducedPhaseTracker(_fw, _fh)
        {
            DropOnePatch = true, AvoidCorners = true, FollowZoom = followZoom, MinimumZoomPixels = ReducedPhaseTracker.ZoomHoldPixels,
            KeyFrameSteps = keyFrameSteps, ReferenceHoldSteps = holdSteps,
        };
        (_left, _top) = (-(_fw / 2), -(_fh / 2));
    }

    /// <summary>The registered frames' size (half the decoded size above 1920 × 1088).</summary>
    public int FrameWidth => _fw;
    public int FrameHeight => _fh;

    /// <summary>Frames summed, and those whose step from the previous one was not zero.</summary>
    public int Frames { get; private set; }
    public int Moved { get; private set; }

    /// <summary>Frames placed at a held reference's map because their step from it measured no motion (patches that
    /// disagreed, nothing measured; <see cref="ReducedPhaseTracker.ReferenceHoldSteps"/>): chained as before round 15, each
    /// would have become the next frame's reference and lost the motion its refresh showed later.</summary>
    public int Held { get; private set; }

    /// <summary>Verify's second canvas (round 15): kept frames measured against one reference frame (its map known), instead
    /// of each against the one before; read when the chained canvas does not decode, as on testsrc2's stamp the key-frame
    /// registration follows the moving parts against the still picture (1 → 48 bits corrected) while the chain reads it.
    /// An x264 veryfast CRF 30 copy of a smooth or dark pan shows the motion block by block as skipped blocks are refreshed:
    /// frame to frame, the blocks not yet refreshed pull the patch's peak toward 0 (a blend under the taper: 0.65 px a
    /// step for 2 px on the photo crossfade's combined copy) and the chain ended 115 px short of the pan after 5 s; against
    /// a reference up to 4 kept frames back it ended 1.7 px short and the copy read (the dark pan's: 260 px short, then 6.4;
    /// bench/VIDEO.md round 15).</summary>
    public const int KeyFrameSteps = 4;

    /// <summary>Steps of 0 from one reference after which it is given up (the frame becomes the reference, as any frame
    /// after <see cref="KeyFrameSteps"/> that moved). The dark pan's combined copy showed no motion for up to 11 kept
    /// frames at a time between refreshes (50 fps sampled every 3rd frame); bench/VIDEO.md round 15.</summary>
    public const int HoldSteps = 16;

    /// <summary>The registration's scale left 1 by more than <see cref="ZoomedAt"/> on some frame: the tile's scale on the
    /// canvas is the first frame's, which an excerpt does not know, so the reader searches it.</summary>
    public bool Zoomed { get; private set; }

    /// <summary>|ln scale| past which the canvas counts as <see cref="Zoomed"/> (1 %: the scale search's coarse step is 2.5 %).</summary>
    public const double ZoomedAt = 0.01;

    /// <summary>The last frame's map from the first (the registration's drift, for reports).</summary>
    public FrameMap LastMap => _map;

    /// <summary>Registers the luma plane of the next frame (the first width × height bytes) and adds it.</summary>
    public void Add(ReadOnlySpan<byte> luma)
    {
        var frame = Registered(luma);
        Place(frame, Register(frame));
    }

    /// <summary>Adds the luma plane of the next frame at a map known beforehand, without measuring it: the stamp's check of a
    /// content-locked mark (<see cref="Media.Video.MarkedFramesCheck"/>) knows where its embedder drew the pattern on each
    /// frame (<see cref="ContentLockedMarkEmbedder.Track"/>, full-size centred pixels), so the pattern stands still on this
    /// canvas as it does on verify's registered one, placed as verify places a frame (halved above 1920 × 1088, rounded
    /// to whole pixels), but with no registration error.</summary>
    internal void AddAt(ReadOnlySpan<byte> luma, FrameMap map)
    {
        if (!(map.Scale > 0) || !double.IsFinite(map.OffsetX) || !double.IsFinite(map.OffsetY))
            throw new ArgumentOutOfRangeException(nameof(map), "a finite map with a positive scale");
        var frame = Registered(luma);
        if (_finished) throw new InvalidOperationException("the canvas's mean was taken: no frame can be added");
        if (Frames == ushort.MaxValue) throw new InvalidOperationException($"at most {ushort.MaxValue} frames");
        var placed = _half == 1 ? map : new FrameMap(map.Scale, map.OffsetX / _half, map.OffsetY / _half);
        if (Frames > 0 && placed != _map) Moved++;
        Frames++;
        _map = placed;
        if (Math.Abs(Math.Log(placed.Scale)) > ZoomedAt) Zoomed = true;
        Place(frame, placed);
    }

    /// <summary>The luma plane at the size frames are registered at (<see cref="FrameWidth"/> × <see cref="FrameHeight"/>):
    /// itself, or halved into this canvas's buffer (valid until the next call). <see cref="RegisteredCanvasPair"/> halves a
    /// frame once for both of verify's canvases.</summary>
    internal ReadOnlySpan<byte> Registered(ReadOnlySpan<byte> luma)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (luma.Length < _w * _h) throw new ArgumentException($"need a {_w}×{_h} luma plane", nameof(luma));
        ReadOnlySpan<byte> frame = luma[..(_w * _h)];
        if (_half == 1) return frame;
        _reduced ??= ArrayPool<byte>.Shared.Rent(_fw * _fh);
        Halve(frame, _reduced);
        return _reduced.AsSpan(0, _fw * _fh);
    }

    /// <summary>The next frame's map (a frame at the registered size, <see cref="Registered"/>): the tracker's step from its
    /// reference, counted; the frame is not yet summed (<see cref="Place"/>).</summary>
    internal FrameMap Register(ReadOnlySpan<byte> frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished) throw new InvalidOperationException("the canvas's mean was taken: no frame can be added");
        if (frame.Length != _fw * _fh) throw new ArgumentException($"need a {_fw}×{_fh} plane", nameof(frame));
        if (Frames == ushort.MaxValue) throw new InvalidOperationException($"at most {ushort.MaxValue} frames");
        var (s, tx, ty) = _tracker.Step(frame);
        Frames++;
        // The step is measured from the tracker's reference, whose map is known; a step of 0 puts the frame where the
        // reference is (a still picture, a frozen copy, a refresh not yet shown, or nothing measured).
        _map = _reference;
        if (Frames > 1 && (s != 1 || tx != 0 || ty != 0))
        {
            _map = _reference.Then(s, tx, ty);
            Moved++;
        }
        else if (Frames > 1 && _tracker.LastReferenceKept && _tracker.LastKind != TrackerStepKind.Measured) Held++;
        if (!_tracker.LastReferenceKept) _reference = _map;
        if (Math.Abs(Math.Log(_map.Scale)) > ZoomedAt) Zoomed = true;
        return _map;
    }

    /// <summary>The map of the tracker's reference frame: a step is measured from it.</summary>
    private FrameMap _reference = FrameMap.Identity;

    /// <summary>Sums a registered frame at its map (<see cref="Register"/>).</summary>
    internal void Place(ReadOnlySpan<byte> frame, FrameMap map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (map.Scale != 1) AddScaled(frame, map);
        else AddShifted(frame, map);
    }

    /// <summary>Two maps put a frame on the same canvas pixels with the same weights: whole-pixel placement of the same
    /// rounded offset, or the same zoomed map. Canvases fed the same frames at the same placements hold the same sums.</summary>
    internal static bool SamePlacement(FrameMap a, FrameMap b) =>
        a.Scale == 1 && b.Scale == 1
            ? Math.Round(a.OffsetX) == Math.Round(b.OffsetX) && Math.Round(a.OffsetY) == Math.Round(b.OffsetY)
            : a == b;

    /// <summary>Takes a copy of another canvas's sums, counts and extent (frames of the same size, registered at the same
    /// size): what this canvas holds after the frames the other placed, when it placed each of them the same way.</summary>
    internal void CopySums(RegisteredCanvas from)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (from._fw != _fw || from._fh != _fh) throw new ArgumentException("a canvas of another frame size", nameof(from));
        int n = from._cw * from._ch;
        ReturnCanvas();
        if (n > 0)
        {
            _sum = ArrayPool<float>.Shared.Rent(n);
            _count = ArrayPool<ushort>.Shared.Rent(n);
            from._sum.AsSpan(0, n).CopyTo(_sum);
            from._count.AsSpan(0, n).CopyTo(_count);
        }
        (_left, _top, _cw, _ch) = (from._left, from._top, from._cw, from._ch);
    }

    /// <summary>A frame whose map is a translation: summed at the offset rounded to whole pixels.</summary>
    private void AddShifted(ReadOnlySpan<byte> frame, FrameMap map)
    {
        // Frame pixel x (centred x + 0.5 − fw/2) shows reference position X = x − T: canvas column X − left.
        int ix = -(int)Math.Round(map.OffsetX) - _fw / 2, iy = -(int)Math.Round(map.OffsetY) - _fh / 2;
        Cover(ix, iy, ix + _fw, iy + _fh);
        int xs = Math.Max(0, _left - ix), xe = Math.Min(_fw, _left + _cw - ix);
        for (int y = 0; y < _fh; y++)
        {
            int cy = y + iy - _top;
            if ((uint)cy >= (uint)_ch || xs >= xe) continue;
            var src = frame.Slice(y * _fw + xs, xe - xs);
            int o = cy * _cw + xs + ix - _left;
            CanvasSums.Add(src, _sum.AsSpan(o, src.Length), _count.AsSpan(o, src.Length));
        }
    }

    /// <summary>A frame whose map zooms: canvas column c (reference centred X = c + left + 0.5) shows the frame at centred
    /// x = S·X + T, sampled bilinearly, so the pattern the embedder drew through its own map stands still on the canvas
    /// at the first frame's scale.</summary>
    private void AddScaled(ReadOnlySpan<byte> frame, FrameMap map)
    {
        double s = map.Scale, ox = map.OffsetX, oy = map.OffsetY;
        // The frame's footprint in reference coordinates: X = (x − T) / S over x in [−fw/2, fw/2].
        int l = (int)Math.Floor((-_fw / 2.0 - ox) / s), r = (int)Math.Ceiling((_fw / 2.0 - ox) / s);
        int t = (int)Math.Floor((-_fh / 2.0 - oy) / s), b = (int)Math.Ceiling((_fh / 2.0 - oy) / s);
        Cover(l, t, r, b);
        int c0 = Math.Max(l, _left) - _left, c1 = Math.Min(r, _left + _cw) - _left;
        int r0 = Math.Max(t, _top) - _top, r1 = Math.Min(b, _top + _ch) - _top;
        for (int cy = r0; cy < r1; cy++)
        {
            // Frame row coordinate of this canvas row (pixel centres at integer + 0.5 in centred terms).
            double fy = s * (cy + _top + 0.5) + oy + _fh / 2.0 - 0.5;
            if (fy < 0 || fy > _fh - 1) continue;
            int y0 = Math.Min((int)fy, _fh - 2);
            float wy = (float)(fy - y0);
            var a = frame.Slice(y0 * _fw, _fw);
            var bRow = frame.Slice((y0 + 1) * _fw, _fw);
            var sum = _sum.AsSpan(cy * _cw, _cw);
            var count = _count.AsSpan(cy * _cw, _cw);
            for (int cx = c0; cx < c1; cx++)
            {
                double fx = s * (cx + _left + 0.5) + ox + _fw / 2.0 - 0.5;
                if (fx < 0 || fx > _fw - 1) continue;
                int x0 = Math.Min((int)fx, _fw - 2);
                float wx = (float)(fx - x0);
                float top = a[x0] + wx * (a[x0 + 1] - a[x0]), bottom = bRow[x0] + wx * (bRow[x0 + 1] - bRow[x0]);
                sum[cx] += top + wy * (bottom - top);
                count[cx]++;
            }
        }
    }

    /// <summary>The canvas mean in the canvas's own pooled sums, and where any frame covered it (row-major, the first
    /// <see cref="Width"/> × <see cref="Height"/> entries; the arrays may be longer). No frame is added after; the mean
    /// is valid until <see cref="Dispose"/>. Verify reads it so: a second float plane the size of the canvas (13 MB for a
    /// 1080p pan's) is never made. Values are those of <see cref="Mean"/>.</summary>
    internal (float[] Mean, bool[] Valid) MeanInPlace()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished) throw new InvalidOperationException("the canvas's mean was already taken");
        _finished = true;
        int n = _cw * _ch;
        bool[] valid = new bool[n];
        for (int p = 0; p < n; p++)
        {
            valid[p] = _count[p] > 0;
            if (valid[p]) _sum[p] /= _count[p];
        }
        return (_sum, valid);
    }

    private bool _finished;

    /// <summary>The canvas mean and where any frame covered it (row-major, <see cref="Width"/> × <see cref="Height"/>).</summary>
    public (float[] Mean, bool[] Valid) Mean()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished) throw new InvalidOperationException("the canvas's mean was taken in place");
        int n = _cw * _ch;
        float[] mean = new float[n];
        bool[] valid = new bool[n];
        for (int p = 0; p < n; p++)
        {
            valid[p] = _count[p] > 0;
            if (valid[p]) mean[p] = _sum[p] / _count[p];
        }
        return (mean, valid);
    }

    public int Width => _cw;
    public int Height => _ch;

    /// <summary>Grows the canvas to cover the reference columns [l, r) and rows [t, b), within the 3 × 3 frame cap.</summary>
    private void Cover(int l, int t, int r, int b)
    {
        int capL = -3 * _fw / 2, capR = 3 * _fw / 2, capT = -3 * _fh / 2, capB = 3 * _fh / 2;
        (l, r, t, b) = (Math.Max(capL, l), Math.Min(capR, r), Math.Max(capT, t), Math.Min(capB, b));
        if (_cw > 0 && l >= _left && r <= _left + _cw && t >= _top && b <= _top + _ch) return;
        int nl = _cw == 0 ? l : Math.Min(_left, l), nr = _cw == 0 ? r : Math.Max(_left + _cw, r);
        int nt = _ch == 0 ? t : Math.Min(_top, t), nb = _ch == 0 ? b : Math.Max(_top + _ch, b);
        // A quarter frame of margin on each side that grew, so a steady pan reallocates every quarter frame of travel.
        if (_cw > 0)
        {
            if (nl < _left) nl = Math.Max(capL, nl - _fw / 4);
            if (nr > _left + _cw) nr = Math.Min(capR, nr + _fw / 4);
            if (nt < _top) nt = Math.Max(capT, nt - _fh / 4);
            if (nb > _top + _ch) nb = Math.Min(capB, nb + _fh / 4);
        }
        int nw = nr - nl, nh = nb - nt;
        float[] sum = ArrayPool<float>.Shared.Rent(nw * nh);
        ushort[] count = ArrayPool<ushort>.Shared.Rent(nw * nh);
        Array.Clear(sum, 0, nw * nh);
        Array.Clear(count, 0, nw * nh);
        for (int y = 0; y < _ch; y++)
        {
            int o = (y + _top - nt) * nw + _left - nl;
            _sum.AsSpan(y * _cw, _cw).CopyTo(sum.AsSpan(o, _cw));
            _count.AsSpan(y * _cw, _cw).CopyTo(count.AsSpan(o, _cw));
        }
        ReturnCanvas();
        (_sum, _count, _left, _top, _cw, _ch) = (sum, count, nl, nt, nw, nh);
    }

    /// <summary>2 × 2 box mean, rounded (what ffmpeg's area scaler gives for an exact half).</summary>
    private void Halve(ReadOnlySpan<byte> src, byte[] dest)
    {
        for (int y = 0; y < _fh; y++)
            BoxHalve.Row(src.Slice(2 * y * _w, _w), src.Slice((2 * y + 1) * _w, _w), dest.AsSpan(y * _fw, _fw));
    }

    private void ReturnCanvas()
    {
        if (_sum.Length > 0) ArrayPool<float>.Shared.Return(_sum);
        if (_count.Length > 0) ArrayPool<ushort>.Shared.Return(_count);
        (_sum, _count) = ([], []);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _tracker.Dispose();
        ReturnCanvas();
        _cw = _ch = 0;
        if (_reduced is not null) ArrayPool<byte>.Shared.Return(_reduced);
    }
}
