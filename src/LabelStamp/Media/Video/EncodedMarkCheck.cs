using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Marks;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Media.Video;

/// <summary>
/// The stamp's read of its own encoded file, after <see cref="MarkedFramesCheck"/> found the mark in the frames it handed
/// to the encoder: the frames a verifier averages (<see cref="VideoMarkSampling"/>) are decoded from the output as verify
/// decodes them (yuv420p, the same selection) and read by the static detector. Why: the frames' check cannot see what the
/// encoder drops, and at small cells it can drop all of it (a 360p pan over a busy render read from its marked frames and
/// not from its own x264 file; bench/VIDEO.md round 15). Why only sometimes: decoding the output costs a decode of the
/// stream up to the last sampled frame, and a mark whose frames read with a wide margin was measured to read from every
/// stamp's file (<see cref="Needed"/>).
/// The content-locked mark once it moved (issue 18, round 17): the frames' reading is the registered search on the marked
/// frames placed at the embedder's maps (<see cref="MarkedFramesCheck.ReadPlaced"/>), and when that is thin
/// (<see cref="NeededPlaced"/>) the file is read by verify's own reader (<see cref="ReadAsVerifyAsync"/>): the static
/// detector, then the registered canvases verify builds, so what the stamp claims is what verify reads, registration errors
/// included.
/// </summary>
public static class EncodedMarkCheck
{
    /// <summary>Frames reading with more corrected bits than this get their file read as well.</summary>
    public const int MaxFramesBitsCorrected = 2;

    /// <summary>Frames reading with a smaller z than this get their file read as well. Measured (bench/VIDEO.md round 16, 51
    /// stamps of the development set and the sweep): every stamp (40) at or above it with ≤ 2 bits corrected read from its file at
    /// z ≥ 30.7 (the largest fall, 43.1 → 30.7, a 360p pan), where readings hold down to z ≈ 15; the file that did not read
    /// had frames at z 28.4 with 13 bits.</summary>
    public const double MinFramesZScore = 35;

    /// <summary>Whether the frames' reading leaves too little margin to stand for the file's.</summary>
    public static bool Needed(VideoMarkDetection framesReading)
    {
        ArgumentNullException.ThrowIfNull(framesReading);
        return Thin(framesReading.BitErrorsCorrected, framesReading.ZScore);
    }

    /// <summary>The margin rule both checks apply: more than <see cref="MaxFramesBitsCorrected"/> bits corrected or a z under
    /// <see cref="MinFramesZScore"/>.</summary>
    private static bool Thin(int bitsCorrected, double zScore) => bitsCorrected > MaxFramesBitsCorrected || zScore < MinFramesZScore;

    /// <summary>The static detector's reading of the sampled frames of <paramref name="path"/> (a file in
    /// <paramref name="ws"/>, the stamp's output) under <paramref name="key"/>; null when it does not decode.</summary>
    public static async Task<VideoMarkDetection?> ReadAsync(ToolRunner tools, MediaWorkspace ws, MediaFormat format, string path, VideoStreamInfo info,
        MarkKey key, string name, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(info);
        int step = VideoMarkSampling.Step(info.Frames);
        var decode = VideoLabeler.DecodeCommand(ws, format, VideoLabeler.SampledFramesFilter(step), path: path, maxFrames: VideoMarkSampling.MaxAveragedFrames);
        using var sum = new MarkedFramesCheck(info.Width, info.Height, info.Frames);
        // The i-th frame out of the filter is frame i · step of the stream.
        await new FramePipeline(tools).RunAsync(decode, null, info.FrameBytes, 2, parallel: false,
            (frame, i) => sum.Add(frame, (long)i * step), name + " (stamped file)", timeout, ct).ConfigureAwait(false);
        return sum.Read(key).Detection;
    }

    /// <summary>Whether the placed frames' reading (<see cref="MarkedFramesCheck.ReadPlaced"/>) leaves too little margin to
    /// stand for verify's reading of the file: the static rule, measured for it too (bench/VIDEO.md round 17, the 59 stamps of
    /// the 90 sweep clips and 15 development clips whose pattern moved, the file always read): the 39 placed readings at
    /// z ≥ 35 with ≤ 2 bits (all at z ≥ 39.8) read from their files at z ≥ 32.9 with ≤ 9 bits (the 360p text pan, 0 bits at
    /// z 40.3 placed; the largest fall, 51.3 → 41.2, Mandelbrot's H.265 stamp); the three files that did not read had placed
    /// readings at z 23.1-30.1 with 9-34 bits.</summary>
    public static bool NeededPlaced(RegisteredMarkReading placedReading)
    {
        ArgumentNullException.ThrowIfNull(placedReading);
        return Thin(placedReading.BitErrorsCorrected, placedReading.ZScore);
    }

    /// <summary>Verify's reader as the stamp uses it on its own file: the CLI's verify with the registered canvases built
    /// in its one decode (<see cref="RegisteredReadMode.Always"/>: the verdict of verify's default, which decodes a second
    /// time for them only when the static reading misses).</summary>
    public static VideoInspector VerifyReader(VideoLabelOptions options, ToolRunner tools, LabelRenderer? renderer = null) =>
        new(options: options with { RegisteredRead = RegisteredReadMode.Always }, tools: tools, renderer: renderer);

    /// <summary>Verify's reading of the frames' mark in <paramref name="output"/> (the stamp's encoded file) under
    /// <paramref name="key"/>: <see cref="VideoInspector"/>'s own read (its probe, decode, static detector and registered
    /// canvases) through <paramref name="inspector"/>, made by <see cref="VerifyReader"/>. Null when nothing reads under the
    /// key.</summary>
    public static async Task<MarkReading?> ReadAsVerifyAsync(VideoInspector inspector, ReadOnlyMemory<byte> output, MediaFormat format, MarkKey key,
        string name, MediaLimits limits, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        ArgumentNullException.ThrowIfNull(key);
        var readings = await inspector.ReadFramesMarksAsync(output, name + " (stamped file)", format, [key], limits, ct).ConfigureAwait(false);
        return readings[0];
    }
}
