using System.Buffers;
using System.Diagnostics;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Media.Video;

/// <summary>
/// The stamp's check of its own video mark, on the frames it hands to the encoder: the luma of the frames verify will
/// average (<see cref="VideoMarkSampling"/>), labels and mark included, summed as they pass, then read once the stream is
/// done. Why: the detector's statistic also sees the picture, and on some pictures the picture wins before any encoder is
/// involved (a still shot of a busy, periodic render read nothing at 720p under either version; bench/VIDEO.md round 15),
/// so a stamp that lists the layer must have seen it read. Costs one vector add per luma sample of ≤ 120 frames and one
/// detection: under 1 % of a stamp. What it does not see: the encoder's own loss (<see cref="EncodedMarkCheck"/> reads the
/// output when this reading's margin is thin).
/// Two readings, as verify tries them: the static detector on the plain mean (<see cref="Read"/>), and, for the
/// content-locked mark (constructed with <c>contentLocked</c>), the registered reader's search on a canvas where each
/// frame is placed at the map its embedder drew the pattern with (<see cref="ReadPlaced"/>; issue 18, round 17): once the
/// pattern moved (<see cref="Moved"/>) the plain mean smears it, and verify registers the frames to read it. The stamp knows
/// the maps, so its canvas needs no registration; it is what verify's would be with registration that never errs.
/// Frames may arrive in any order and from several threads; the canvas takes them in display order (verify's), so its
/// extent and reading do not depend on the threads' timing.
/// </summary>
public sealed class MarkedFramesCheck : IDisposable
{
    private readonly int _width, _height, _step;
    private readonly SampledLumaMean _sum;
    private readonly RegisteredCanvas? _canvas;
    private readonly SortedDictionary<long, (byte[] Luma, FrameMap Map)> _pending = [];
    private readonly Lock _gate = new();
    private long _nextPlaced;
    private bool _moved, _disposed;

    /// <param name="width">the frames' width.</param>
    /// <param name="height">the frames' height.</param>
    /// <param name="totalFrames">the stream's frames (the sampling step).</param>
    /// <param name="contentLocked">the frames carry the content-locked mark: also place them on a canvas at their maps.</param>
    public MarkedFramesCheck(int width, int height, long totalFrames, bool contentLocked = false)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "a frame has positive sides");
        (_width, _height) = (width, height);
        _step = VideoMarkSampling.Step(totalFrames);
        _sum = new SampledLumaMean(width, height);
        if (contentLocked && Math.Min(width, height) >= VideoMarkLayout.MinimumSide / 2) _canvas = new RegisteredCanvas(width, height);
    }

    /// <summary>Adds frame <paramref name="index"/>'s luma (the first width × height bytes of a 4:2:0 frame) when the
    /// mean takes that frame; other frames cost nothing. A frame of the static mark.</summary>
    public void Add(ReadOnlySpan<byte> frame, long index) => Add(frame, index, FrameMap.Identity);

    /// <summary>Adds frame <paramref name="index"/>'s luma, marked through <paramref name="map"/> (the content-locked
    /// embedder's), when the mean takes that frame.</summary>
    public void Add(ReadOnlySpan<byte> frame, long index, FrameMap map)
    {
        if (!VideoMarkSampling.Takes(index, _step)) return;
        int plane = _width * _height;
        if (frame.Length < plane) throw new ArgumentException($"need a {_width}×{_height} luma plane", nameof(frame));
        var luma = frame[..plane];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sum.Add(luma);
            if (map != FrameMap.Identity) _moved = true;
            if (_canvas is null) return;
            long t0 = Stopwatch.GetTimestamp();
            Place(luma, index, map, plane);
            _placingTicks += Stopwatch.GetTimestamp() - t0;
        }
    }

    /// <summary>Places a sampled frame on the canvas in display order (under the gate).</summary>
    private void Place(ReadOnlySpan<byte> luma, long index, FrameMap map, int plane)
    {
        var canvas = _canvas!;
        // A frame index given again (placed, or waiting) is not placed twice.
        if (index < _nextPlaced || _pending.ContainsKey(index)) return;
        if (index != _nextPlaced)
        {
            // An earlier sampled frame is still in flight: hold a copy until it is placed (a few frames at most: the
            // pipeline keeps ≤ 18 frames in flight, and only every step-th is sampled).
            byte[] copy = ArrayPool<byte>.Shared.Rent(plane);
            luma.CopyTo(copy);
            _pending[index] = (copy, map);
            return;
        }
        canvas.AddAt(luma, map);
        _nextPlaced += _step;
        while (_pending.Remove(_nextPlaced, out var next))
        {
            canvas.AddAt(next.Luma.AsSpan(0, plane), next.Map);
            ArrayPool<byte>.Shared.Return(next.Luma);
            _nextPlaced += _step;
        }
    }

    private long _placingTicks;

    /// <summary>Wall milliseconds spent placing frames on the canvas so far (the stamp's timings, as the tracker's).</summary>
    public double PlacingMilliseconds
    {
        get { lock (_gate) return _placingTicks * 1000.0 / Stopwatch.Frequency; }
    }

    /// <summary>Whether the frames are placed on a canvas (content-locked, frames large enough for the registered reader).</summary>
    public bool Places => _canvas is not null;

    /// <summary>Some frame was marked through a map other than the identity: the content-locked pattern left its place,
    /// and the plain mean no longer shows it (<see cref="Read"/> says <see cref="MarkedFramesVerdict.NotChecked"/>).</summary>
    public bool Moved
    {
        get { lock (_gate) return _moved; }
    }

    /// <summary>The frames taken so far.</summary>
    public int Frames
    {
        get { lock (_gate) return _sum.Frames; }
    }

    /// <summary>The frames placed on the canvas so far (0 without one).</summary>
    public int PlacedFrames
    {
        get { lock (_gate) return _canvas?.Frames ?? 0; }
    }

    /// <summary>The static detector's reading of the mean under <paramref name="key"/>: the verdict, or
    /// <see cref="MarkedFramesVerdict.NotChecked"/> when no frame was taken or the content-locked pattern moved.</summary>
    public (MarkedFramesVerdict Verdict, VideoMarkDetection? Detection) Read(MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_moved || _sum.Mean() is not { } mean) return (MarkedFramesVerdict.NotChecked, null);
            var detection = VideoMarkDetector.Detect(mean, _width, _height, key);
            return (detection is null ? MarkedFramesVerdict.Unreadable : MarkedFramesVerdict.Reads, detection);
        }
    }

    /// <summary>The registered reader's search (<see cref="RegisteredMarkSearch"/>, verify's, the same candidates) on the
    /// canvas of the frames placed at their maps: the verdict, or <see cref="MarkedFramesVerdict.NotChecked"/> without a
    /// canvas (not content-locked, frames under the reader's minimum) or a placed frame, or while a sampled frame is
    /// missing from the display order (the stream ended early). Takes the canvas's mean: call once, after the stream.</summary>
    public (MarkedFramesVerdict Verdict, RegisteredMarkReading? Reading) ReadPlaced(MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_canvas is not { Frames: > 0 } canvas || _pending.Count > 0) return (MarkedFramesVerdict.NotChecked, null);
            var (mean, valid) = canvas.MeanInPlace();
            var reading = RegisteredMarkSearch.Detect(mean, valid, canvas.Width, canvas.Height, canvas.FrameWidth, canvas.FrameHeight, key,
                zoomed: canvas.Zoomed);
            return (reading is null ? MarkedFramesVerdict.Unreadable : MarkedFramesVerdict.Reads, reading);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _sum.Dispose();
            _canvas?.Dispose();
            foreach (var (luma, _) in _pending.Values) ArrayPool<byte>.Shared.Return(luma);
            _pending.Clear();
        }
    }
}
