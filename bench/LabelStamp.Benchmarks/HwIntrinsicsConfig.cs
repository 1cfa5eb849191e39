using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Jobs that differ only in which instruction sets the JIT may use, so one run compares the scalar
/// fallback, SSE/AVX (Vector128), AVX2 (Vector256) and AVX-512 where the machine has it.
/// </summary>
public sealed class HwIntrinsicsConfig : ManualConfig
{
    public HwIntrinsicsConfig()
    {
        var baseJob = Job.ShortRun.WithWarmupCount(2).WithIterationCount(8);
        AddJob(baseJob.WithId("Scalar").WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0"));
        AddJob(baseJob.WithId("Vector128").WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX2", "0"), new EnvironmentVariable("DOTNET_EnableAVX512F", "0")));
        AddJob(baseJob.WithId("Vector256").WithEnvironmentVariable("DOTNET_EnableAVX512F", "0"));
        AddJob(baseJob.WithId("Best").AsBaseline());
        WithOption(ConfigOptions.JoinSummary, true);
    }
}
