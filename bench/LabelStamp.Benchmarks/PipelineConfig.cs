using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LabelStamp.Benchmarks;

/// <summary>Per-file pipeline runs: tens of milliseconds each, so few iterations give stable medians.</summary>
public sealed class PipelineConfig : ManualConfig
{
    public PipelineConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(10));
        AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median);
    }
}
