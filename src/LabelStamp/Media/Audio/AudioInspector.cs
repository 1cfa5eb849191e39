using LabelStamp.Errors;
using LabelStamp.Formats;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Media.Audio;

/// <summary>
/// The read side for <c>labelstamp verify</c>: one probe and one streaming decode. The watermark
/// detector sees every sample (bounded memory); the rhythm detector sees the first and last
/// <see cref="PromptWindowSeconds"/> seconds.
/// </summary>
public sealed class AudioInspector(ToolRunner? tools = null, RhythmPrompt? prompt = null)
{
    public const double PromptWindowSeconds = 4;
    private readonly ToolRunner _tools = tools ?? new ToolRunner();
    private readonly RhythmPrompt _prompt = prompt ?? RhythmPrompt.Default;

    public async Task<AudioReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MarkKey? key, CancellationToken cancellationToken,
        MediaLimits? limits = null, string? voiceClipPath = null)
    {
        limits ??= new MediaLimits();
        var format = MediaSniffer.Sniff(input.Span, name);
        var container = MediaCatalog.ModuleFor(format) as MediaContainerModule
            ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name} is not audio");
        limits.CheckBytes(input.Length, name);
        container.CheckHeader(input.Span, limits, name);
        using var ws = await MediaWorkspace.CreateAsync(input, format.Extension, cancellationToken).ConfigureAwait(false);
        var info = await new AudioProbe(_tools).ReadAsync(input, ws, format, name, limits.ToolTimeout, cancellationToken).ConfigureAwait(false);
        limits.CheckAudio(info.SampleRate, info.Channels, name);
        limits.CheckDuration(info.Duration, name);

        var (json, where) = container.ReadAigc(input, info.Tags, name);
        AigcLabel? label = null;
        if (json is not null)
        {
            try { label = AigcLabel.Parse(json); }
            catch (LabelStampException) { /* reported as raw JSON with a null parsed label */ }
        }

        int channels = info.Channels, rate = info.SampleRate;
        var detector = key is not null && rate >= AudioMarkLayout.MinimumDetectRate ? new AudioMarkDetector(key, rate, channels) : null;
        VoiceClip? clip = voiceClipPath is null ? null
            : await VoiceClip.LoadAsync(voiceClipPath, rate, 1, _tools, limits.ToolTimeout, cancellationToken).ConfigureAwait(false);
        // The head and tail windows must hold the whole clip plus slack for where it was placed.
        int window = (int)(Math.Max(PromptWindowSeconds, (clip?.Seconds ?? 0) + 2) * rate);
        var head = new float[window];
        var tail = new float[window];
        int headCount = 0;
        long total = 0;
        var decode = PcmPipeline.Decode(AudioCodecs.Demuxer(format), ws.InputPath, rate, channels);
        await new PcmPipeline(_tools).RunAsync(decode, channels, (chunk, _, first, _) =>
        {
            detector?.Add(chunk);
            int frames = chunk.Length / channels;
            for (int i = 0; i < frames; i++)
            {
                float s = 0;
                for (int c = 0; c < channels; c++) s += chunk[i * channels + c];
                s /= channels;
                if (headCount < window) head[headCount++] = s;
                tail[(int)(total % window)] = s;
                total++;
            }
        }, null, name, limits.ToolTimeout, cancellationToken).ConfigureAwait(false);

        var finder = new RhythmPromptDetector(_prompt);
        var headSpan = head.AsSpan(0, headCount);
        double? atStart = finder.Find(headSpan, rate);
        double? atEnd = null;
        float[]? ordered = null;
        if (total > window)
        {
            ordered = new float[window];
            int pos = (int)(total % window);
            tail.AsSpan(pos).CopyTo(ordered);
            tail.AsSpan(0, pos).CopyTo(ordered.AsSpan(window - pos));
            double? t = finder.Find(ordered, rate);
            if (t is not null) atEnd = (total - window) / (double)rate + t.Value;
        }
        double? clipStart = null, clipEnd = null;
        double correlation = 0;
        if (clip is not null)
        {
            float[] clipMono = clip.Mono();
            var s = VoiceClipDetector.Find(headSpan, rate, clipMono);
            if (s is { } hs) { clipStart = hs.Seconds; correlation = hs.Correlation; }
            if (ordered is not null && VoiceClipDetector.Find(ordered, rate, clipMono) is { } te)
            {
                double at = (total - window) / (double)rate + te.Seconds;
                if (clipStart is null || at > clipStart.Value + clip.Seconds) { clipEnd = at; correlation = Math.Max(correlation, te.Correlation); }
            }
        }
        var mark = detector?.Finish();
        return new AudioReport(name, format, info, json, label, where, atStart, atEnd, mark, key?.KeyId)
        {
            VoiceClipAtStartSeconds = clipStart,
            VoiceClipAtEndSeconds = clipEnd,
            VoiceClipCorrelation = correlation,
        };
    }
}
