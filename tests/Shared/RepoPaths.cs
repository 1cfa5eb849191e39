namespace LabelStamp.TestSupport;

/// <summary>Finds the repository from a test's output directory, so tests use samples-media in place.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples(params string[] parts) => Path.Combine([Root, "samples-media", .. parts]);

    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "labelstamp-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LabelStamp.sln"))) return dir.FullName;
        throw new InvalidOperationException("LabelStamp.sln not found above " + AppContext.BaseDirectory);
    }
}
