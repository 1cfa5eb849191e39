namespace LabelStamp.Benchmarks;

/// <summary>Summaries for the figure commands: the median and quartiles, since these shared machines are noisy.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>The q-quantile (0 ≤ q ≤ 1), linear between the two nearest sorted values (the median is q = 0.5).</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var s = values.OrderBy(x => x).ToList();
        if (s.Count == 0) throw new ArgumentException("no values", nameof(values));
        double at = q * (s.Count - 1);
        int i = (int)at;
        return i + 1 < s.Count ? s[i] + (at - i) * (s[i + 1] - s[i]) : s[i];
    }
}
