using System.Diagnostics;

namespace LabelStamp.Pipeline;

/// <summary>Per-stage wall time of one item (decode, explicit, watermark, encode, metadata, provenance).</summary>
public sealed class StageTimings
{
    private readonly List<(string Stage, double Ms)> _stages = [];

    public IReadOnlyList<(string Stage, double Ms)> Stages => _stages;

    /// <summary>The sum of the stages. Stages can overlap (video decodes, encodes and labels audio at once),
    /// so this is work, not the item's wall-clock time.</summary>
    public double TotalMs => _stages.Sum(s => s.Ms);

    public T Measure<T>(string stage, Func<T> work)
    {
        long start = Stopwatch.GetTimestamp();
        try { return work(); }
        finally { Add(stage, Stopwatch.GetElapsedTime(start).TotalMilliseconds); }
    }

    public void Measure(string stage, Action work) => Measure<int>(stage, () => { work(); return 0; });

    public void Add(string stage, double ms)
    {
        lock (_stages) _stages.Add((stage, ms));
    }

    public override string ToString() => string.Join(' ', _stages.Select(s => $"{s.Stage}={s.Ms:0.#}ms"));
}
