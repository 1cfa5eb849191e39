using LabelStamp.Fuzz;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Fuzzing;

/// <summary>
/// Every input the fuzzers ever found (tests/LabelStamp.Fuzz/regressions/TARGET/), and every real file
/// in samples-media, through every fuzz target: each must parse or fail with a typed input error, never
/// another exception or LS999 (<see cref="FuzzTarget.Run"/> lets exactly those escape). Feeding every
/// file to every target also checks that each parser refuses other formats cleanly.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string Regressions = Path.Combine(RepoPaths.Root, "tests", "LabelStamp.Fuzz", "regressions");

    public static TheoryData<string, string> RegressionInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string dir in Directory.EnumerateDirectories(Regressions).Order(StringComparer.Ordinal))
            foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(dir), Path.GetRelativePath(Regressions, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RegressionInputs))]
    public void A_saved_finding_gets_a_typed_answer_from_its_target(string target, string input)
    {
        var fuzzTarget = FuzzTargets.Find(target);
        Assert.NotNull(fuzzTarget); // a regression folder names its target
        fuzzTarget.Run(File.ReadAllBytes(Path.Combine(Regressions, input)));
    }

    [Fact]
    public void Every_target_gives_a_typed_answer_for_every_real_sample_and_every_saved_finding()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Samples(), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Regressions, "*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 10, $"only {files.Count} files found");
        var failures = new List<string>();
        foreach (var target in FuzzTargets.All)
            foreach (string file in files)
            {
                try { target.Run(File.ReadAllBytes(file)); }
                catch (Exception e) { failures.Add($"{target.Name} {Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}"); }
            }
        Assert.Empty(failures);
    }

    [Fact]
    public void Every_regression_folder_is_a_known_target()
    {
        foreach (string dir in Directory.EnumerateDirectories(Regressions))
            Assert.NotNull(FuzzTargets.Find(Path.GetFileName(dir)));
    }
}
