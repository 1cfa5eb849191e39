using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Audio;

namespace LabelStamp.Robustness.Audio;

/// <summary>Embed once, attack, detect: one row of the robustness table per attack.</summary>
public static class AudioMarkTrial
{
    public sealed record Row(string Attack, bool Detected, bool CorrectId, double SyncZ, int BitErrors);

    public static float[] Embed(float[] pcm, int rate, int channels, MarkKey key, MarkId id, float strength = AudioMarkEmbedder.DefaultStrength)
    {
        var marked = (float[])pcm.Clone();
        new AudioMarkEmbedder(new AudioMarkLayout(key), MarkPayload.For(id, key), rate, channels, strength).ProcessAll(marked);
        return marked;
    }

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
        {
            var attacked = await attack.ApplyAsync(marked, rate, channels, tools, cancellationToken).ConfigureAwait(false);
            var r = Detect(attacked, rate, channels, key);
            rows.Add(new Row(attack.Name, r is not null, r?.Payload.MarkId == id, r?.SyncZ ?? 0, r?.BitErrorsCorrected ?? -1));
        }
        return rows;
    }
}
