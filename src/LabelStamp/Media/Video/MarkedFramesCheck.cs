using LabelStamp.Labels;
using LabelStamp.Marks.Video;

namespace LabelStamp.Media.Video;

/// <summary>
/// The stamp's check of its own video mark, on the frames it hands to the encoder: the luma of the frames verify will
/// average (<see cref="VideoMarkSampling"/>), labels and mark included, summed as they pass, then read by the static
/// detector once the stream is done. Why: the detector's statistic also sees the picture, and on some pictures the
/// picture wins before any encoder is involved (a still shot of a busy, periodic render read nothing at 720p under
/// either version; bench/VIDEO.md round 15), so a stamp that lists the layer must have seen it read. Costs one vector add per
/// luma sample of ≤ 120 frames and one detection: under 1 % of a stamp. What it does not see: the encoder's own loss
/// (<see cref="EncodedMarkCheck"/> reads the output when this reading's margin is thin), and the content-locked pattern once it has moved (it no longer adds up in place
/// on a plain mean; <see cref="PatternMoved"/>), where the check says nothing either way.
/// Frames may arrive in any order and from several threads.
/// </summary>
public sealed class MarkedFramesCheck : IDisposable
{
    private readonly int _width, _height, _step;
    private readonly SampledLumaMean _sum;
    private readonly Lock _gate = new();
    private bool _moved, _disposed;

    public MarkedFramesCheck(int width, int height, long totalFrames)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "a frame has positive sides");
        (_width, _height) = (width, height);
        _step = VideoMarkSampling.Step(totalFrames);
        _sum = new SampledLumaMean(width, height);
    }

    /// <summary>Adds frame <paramref name="index"/>'s luma (the first width × height bytes of a 4:2:0 frame) when the
    /// mean takes that frame; other frames cost nothing.</summary>
    public void Add(ReadOnlySpan<byte> frame, long index)
    {
        if (!VideoMarkSampling.Takes(index, _step) || Volatile.Read(ref _moved)) return;
        int plane = _width * _height;
        if (frame.Length < plane) throw new ArgumentException($"need a {_width}×{_height} luma plane", nameof(frame));
        var luma = frame[..plane];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sum.Add(luma);
        }
    }

    /// <summary>The content-locked pattern left its place on some frame: the plain mean no longer shows it.</summary>
    public void PatternMoved() => Volatile.Write(ref _moved, true);

    /// <summary>The frames taken so far.</summary>
    public int Frames
    {
        get { lock (_gate) return _sum.Frames; }
    }

    /// <summary>The detector's reading of the mean under <paramref name="key"/>: the verdict, or
    /// <see cref="MarkedFramesVerdict.NotChecked"/> when no frame was taken or the content-locked pattern moved.</summary>
    public (MarkedFramesVerdict Verdict, VideoMarkDetection? Detection) Read(MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Volatile.Read(ref _moved) || _sum.Mean() is not { } mean) return (MarkedFramesVerdict.NotChecked, null);
            var detection = VideoMarkDetector.Detect(mean, _width, _height, key);
            return (detection is null ? MarkedFramesVerdict.Unreadable : MarkedFramesVerdict.Reads, detection);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _sum.Dispose();
        }
    }
}
