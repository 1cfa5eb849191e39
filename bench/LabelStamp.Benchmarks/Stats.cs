namespace LabelStamp.Benchmarks;

/// <summary>Summaries for the figure commands: the median, since these shared machines are noisy.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var s = values.OrderBy(x => x).ToList();
        if (s.Count == 0) throw new ArgumentException("no values", nameof(values));
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
