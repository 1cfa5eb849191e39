using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 2: the output directory is checked before any work (one error, a stable
/// code, exit 2, nothing stamped), and files a directory walk passes over are counted, not lost silently.</summary>
public sealed class OutputCheckTests
{
    [Fact]
    public void Output_that_is_a_regular_file_is_LS901_before_any_work()
    {
        string dir = RepoPaths.NewTempDir();
        string target = Path.Combine(dir, "labeled");
        File.WriteAllText(target, "keep me");
        var (code, stdout, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), RepoPaths.Samples("images", "dune.jpg"), "-o", target);
        Assert.Equal(2, code);
        string line = CliRun.ErrorLines(err).Single();
        Assert.StartsWith($"error LS901: -o {target}: is a file, not a directory", line);
        Assert.Equal("", stdout); // no ok line, no summary: nothing was started
        Assert.DoesNotContain("labelstamp: key", err);
        Assert.Equal("keep me", File.ReadAllText(target));
    }

    [Theory]
    [InlineData("/proc/self")]
    [InlineData("/proc/self/labeled")]
    public void Output_where_nothing_can_be_written_is_LS902_before_any_work_never_LS999(string target)
    {
        var (code, stdout, err) = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), RepoPaths.Samples("images", "dune.jpg"), "-o", target);
        Assert.Equal(2, code);
        string line = CliRun.ErrorLines(err).Single();
        Assert.StartsWith($"error LS902: -o {target}: cannot ", line);
        Assert.DoesNotContain("LS999", err);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void A_run_where_every_file_fails_leaves_no_output_directory_it_made()
    {
        string dir = RepoPaths.NewTempDir();
        string bad = Path.Combine(dir, "bad.png");
        File.WriteAllBytes(bad, [1, 2, 3]);
        string output = Path.Combine(dir, "out");
        var (code, stdout, err) = CliRun.Run("stamp", bad, "-o", output);
        Assert.Equal(2, code);
        Assert.Single(CliRun.ErrorLines(err));
        Assert.Contains("stamped 0 of 1 files", stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Non_media_files_in_a_walk_are_counted_in_the_summary_of_stamp_and_verify()
    {
        string dir = RepoPaths.NewTempDir();
        string input = Path.Combine(dir, "in");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(RepoPaths.Samples("images", "storm.jpg"), Path.Combine(input, "storm.jpg"));
        File.WriteAllText(Path.Combine(input, "logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        File.WriteAllText(Path.Combine(input, "sub", "notes.txt"), "not media");
        string output = Path.Combine(dir, "out");
        var stamp = CliRun.Run("stamp", input, "-o", output, "--layers", "explicit,metadata");
        Assert.True(stamp.Code == 0, stamp.Err);
        Assert.Contains("stamped 1 of 1 files", stamp.Out);
        Assert.Contains("; 2 skipped (not media);", stamp.Out);
        Assert.Equal(["storm.jpg"], Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName));

        var verify = CliRun.Run("verify", input);
        Assert.Equal(1, verify.Code);
        Assert.Contains("verified 1 files: 0 with an AI label, 1 without; 0 failed; 2 skipped (not media)", verify.Out);
        var json = CliRun.Run("verify", input, "--json");
        Assert.StartsWith("[", json.Out.TrimStart()); // the summary stays out of the JSON document
        Assert.Contains("2 skipped (not media)", json.Err);
    }
}
