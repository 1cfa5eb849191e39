using System.Globalization;
using LabelStamp.Marks;
using LabelStamp.Media;
using LabelStamp.Media.Audio;

namespace LabelStamp.Verification;

/// <summary>Turns the audio path's <see cref="AudioReport"/> into verify's per-layer rows. It handles the audio
/// containers; an MP4 comes here only from the <see cref="VideoInspector"/>, after <see cref="Mp4Kind"/> said it holds
/// no video track (the one place that decides it on the read side).</summary>
public sealed class AudioFileInspector(AudioLabeler labeler, AudioInspector inspector) : IMediaInspector
{
    public bool Handles(MediaFormat format) => labeler.Handles(format);

    public async Task<VerifyReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, VerifyOptions options, CancellationToken cancellationToken)
    {
        var report = await inspector.InspectAsync(input, name, options.Key, cancellationToken, options.Limits, options.Policy.VoiceClip).ConfigureAwait(false);

        var prompt = PromptFinding(report);
        var metadata = AigcFinding.FromJson(report.AigcJson, null, report.AigcJson is null ? 0 : 1, options.Key, report.AigcLocation ?? "audio tags");

        LayerFinding watermark;
        if (options.Key is null) watermark = LayerFinding.NotChecked("not checked: no key (--key-file or LABELSTAMP_MARK_KEY)");
        else if (report.Watermark is { } w && report.KeyNibbleMatches)
            watermark = WatermarkFinding.From(new MarkReading(w.Payload.MarkId, options.Key.KeyId, w.BitErrorsCorrected, w.FalsePositiveProbability,
                string.Create(CultureInfo.InvariantCulture, $"grid at {w.OffsetSeconds:0.###} s, sync z {w.SyncZ:0.#}, {w.BlocksSeen} blocks")));
        else watermark = WatermarkFinding.From((MarkReading?)null);

        var provenance = C2paFinding.From(input.ToArray(), name, report.KeyNibbleMatches ? report.Watermark?.Payload.MarkId : null, options.Limits.Metadata, options.TrustAnchors);
        return new VerifyReport(name, format.Name, prompt, metadata, watermark, provenance) { Kind = "audio" };
    }

    /// <summary>The audible label row; its details give the prompt's place (seconds) for the conformance
    /// check and the verifier page's waveform: promptKind, promptStart, promptEnd, promptLength.</summary>
    private static LayerFinding PromptFinding(AudioReport report)
    {
        var details = new Dictionary<string, string>();
        static string S(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        if (report.VoiceClipAtStartSeconds is not null || report.VoiceClipAtEndSeconds is not null)
        {
            details["promptKind"] = "voice-clip";
            if (report.VoiceClipAtStartSeconds is { } vs) details["promptStart"] = S(vs);
            if (report.VoiceClipAtEndSeconds is { } ve) details["promptEnd"] = S(ve);
            details["voiceClipCorrelation"] = report.VoiceClipCorrelation.ToString("0.00", CultureInfo.InvariantCulture);
            return new LayerFinding(LayerState.Found, string.Create(CultureInfo.InvariantCulture,
                $"provider voice clip {(report.VoiceClipAtStartSeconds is { } a ? $"at {a:0.00} s" : "")}{(report.VoiceClipAtEndSeconds is { } b ? $" and at the end ({b:0.00} s)" : "")} (correlation {report.VoiceClipCorrelation:0.00})"), details);
        }
        details["duration"] = S(report.Stream.Duration.TotalSeconds);
        if (report.RhythmAtStartSeconds is null && report.RhythmAtEndSeconds is null)
            return new LayerFinding(LayerState.NotFound, "no short-long-short-short rhythm prompt at the start or end", details);
        details["promptKind"] = "rhythm";
        details["promptLength"] = S(RhythmPrompt.Default.TotalMs / 1000);
        if (report.RhythmAtStartSeconds is { } s) details["promptStart"] = S(s);
        if (report.RhythmAtEndSeconds is { } e) details["promptEnd"] = S(e);
        return new LayerFinding(LayerState.Found, string.Create(CultureInfo.InvariantCulture,
            $"rhythm prompt (Morse 'AI') {(report.RhythmAtStartSeconds is { } x ? $"at {x:0.00} s" : "")}{(report.RhythmAtEndSeconds is { } y ? $" and at the end ({y:0.00} s)" : "")}"), details);
    }
}
