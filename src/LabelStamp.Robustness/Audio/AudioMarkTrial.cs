using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Pipeline;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Robustness.Audio;

/// <summary>Embed once, attack, detect: one row of the robustness table per attack.</summary>
public static class AudioMarkTrial
{
    /// <summary>One attack's outcome; <see cref="SampleRate"/> is the rate the attacked audio was read at.</summary>
    public sealed record Row(string Attack, bool Detected, bool CorrectId, double SyncZ, int BitErrors, int SampleRate = 0);

    public static float[] Embed(float[] pcm, int rate, int channels, MarkKey key, MarkId id, float strength = AudioMarkEmbedder.DefaultStrength)
    {
        var marked = (float[])pcm.Clone();
        new AudioMarkEmbedder(new AudioMarkLayout(key), MarkPayload.For(id, key), rate, channels, strength).ProcessAll(marked);
        return marked;
    }

    /// <summary>
    /// The mark as <c>stamp</c> applies it: <see cref="AudioLabeler.CreateSampleProcessorAsync"/> with the
    /// watermark layer alone (no rhythm prompt), fed the chunks <see cref="PcmPipeline"/> feeds it
    /// (<see cref="PcmPipeline.ChunkFrames"/> × 1024 frames), so strength, SNR governor and the
    /// too-low-rate rule are the product's. Returns null when the product would not mark this stream.
    /// </summary>
    public static async Task<float[]?> StampAsync(float[] pcm, int rate, int channels, MarkKey key, MarkId id,
        AudioLabeler? labeler = null, CancellationToken cancellationToken = default)
    {
        var info = new AudioStreamInfo("pcm_f32le", rate, channels, TimeSpan.FromSeconds(pcm.Length / (double)(rate * channels)),
            0, "flt", 32, false, new Dictionary<string, string>());
        var processor = await (labeler ?? new AudioLabeler()).CreateSampleProcessorAsync(info, WatermarkOnly("trial.wav", MediaFormat.Wav, key, id), cancellationToken)
            .ConfigureAwait(false);
        if (processor is null) return null;
        var marked = (float[])pcm.Clone();
        int chunk = PcmPipeline.ChunkFrames * 1024 * channels;
        long first = 0;
        Span<float> held = default;
        // As PcmPipeline: each chunk is seen with the one before it, and the end of stream is said.
        for (int at = 0; ; at += chunk)
        {
            var span = marked.AsSpan(Math.Min(at, marked.Length), Math.Clamp(marked.Length - at, 0, chunk));
            bool last = span.Length < chunk;
            processor(span, held, first, last);
            first += span.Length / channels;
            held = span;
            if (last) break;
        }
        return marked;
    }

    /// <summary>A stamp context that asks for the watermark layer alone (what the robustness figures measure).</summary>
    public static StampContext WatermarkOnly(string name, MediaFormat format, MarkKey key, MarkId id) =>
        new(name, format, new StampRequest("robustness", "labelstamp-robustness", new LabelPolicy { Layers = Layers.Watermark }),
            key, id, new AigcLabel("1", "labelstamp-robustness", "robustness"), new MediaLimits(), new StageTimings());

    public static AudioMarkDetection? Detect(float[] pcm, int rate, int channels, MarkKey key)
    {
        var d = new AudioMarkDetector(key, rate, channels);
        d.Add(pcm);
        return d.Finish();
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(float[] marked, int rate, int channels, MarkKey key, MarkId id,
        IEnumerable<AudioAttack> attacks, ToolRunner tools, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var attack in attacks)
            rows.Add(await RunOneAsync(marked, rate, channels, key, id, attack, tools, cancellationToken).ConfigureAwait(false));
        return rows;
    }

    /// <summary>One attack, read with the detector at the rate the attacked audio has.</summary>
    public static async Task<Row> RunOneAsync(float[] marked, int rate, int channels, MarkKey key, MarkId id,
        AudioAttack attack, ToolRunner tools, CancellationToken cancellationToken)
    {
        var attacked = await attack.AttackAsync(marked, rate, channels, tools, cancellationToken).ConfigureAwait(false);
        var r = Detect(attacked.Samples, attacked.SampleRate, attacked.Channels, key);
        return new Row(attack.Name, r is not null, r?.Payload.MarkId == id, r?.SyncZ ?? 0, r?.BitErrorsCorrected ?? -1, attacked.SampleRate);
    }
}
