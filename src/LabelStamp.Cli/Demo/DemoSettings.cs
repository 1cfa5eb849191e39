namespace LabelStamp.Cli.Demo;

/// <summary>What <c>labelstamp demo</c> runs: how many workers, in processes or in this one, over which samples.</summary>
public sealed record DemoSettings
{
    public string SamplesDirectory { get; init; } = "samples-media";
    public string OutputDirectory { get; init; } = "labelstamp-demo";
    public int Workers { get; init; } = 2;
    public bool Processes { get; init; }
    public int Repeat { get; init; } = 3;
    /// <summary>Inputs above this travel by reference: the mock broker keeps little log per partition.</summary>
    public int InlineLimit { get; init; } = 256 << 10;
    public int Partitions { get; init; } = 4;
    public bool Bench { get; init; }
    /// <summary>With <see cref="Bench"/>: alternating Kafka and file-path rounds (the median ratio is reported).</summary>
    public int Rounds { get; init; } = 1;
    public bool IncludeHostile { get; init; } = true;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public string Producer { get; init; } = "LabelStampDemo";
}
