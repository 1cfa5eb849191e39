namespace LabelStamp.Benchmarks;

/// <summary>Finds samples-media from wherever BenchmarkDotNet runs the generated project.</summary>
public static class Samples
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "LabelStamp.sln")))
                return System.IO.Path.Combine([dir.FullName, "samples-media", .. parts]);
        string env = Environment.GetEnvironmentVariable("LABELSTAMP_ROOT") ?? throw new InvalidOperationException("set LABELSTAMP_ROOT to the repository");
        return System.IO.Path.Combine([env, "samples-media", .. parts]);
    }
}
