using System.Text.RegularExpressions;
using LabelStamp.Cli.Demo;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// The README's first command, end to end as a user runs it: <c>labelstamp demo</c> starts the embedded
/// broker, publishes (inline, by reference, and hostile files), labels with a worker, checks every output
/// and dead letter, and with <c>--bench --rounds 2</c> alternates Kafka and file-path rounds.
/// </summary>
public class DemoTests
{
    [Fact]
    public void Demo_labels_every_sample_dead_letters_the_hostile_ones_and_reports_a_median_ratio()
    {
        string samples = RepoPaths.NewTempDir(), output = RepoPaths.NewTempDir();
        // Small set: one photo over the 256 KiB inline limit (travels by reference), one under it, one audio file.
        File.Copy(RepoPaths.Samples("images", "ladybird.jpg"), Path.Combine(samples, "ladybird.jpg"));
        File.Copy(RepoPaths.Samples("images", "arc-transparent.png"), Path.Combine(samples, "arc-transparent.png"));
        File.Copy(RepoPaths.Samples("audio", "speech-espeak.flac"), Path.Combine(samples, "speech-espeak.flac"));

        var run = ExternalTool.Run("dotnet", [ServeTests.Server.Cli, "demo", "--samples", samples, "--out", output, "--workers", "1",
            "--repeat", "1", "--bench", "--rounds", "2"], 600_000);

        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        string[] lines = run.StdOut.Split('\n');
        Assert.Contains("demo: a new watermark key for this run only (key ", run.StdOut);
        Assert.Matches("demo: C2PA signed with (the|a) development test chain", run.StdOut);
        Assert.DoesNotContain("demo: removed the previous run", run.StdOut); // a fresh --out
        // The out bytes column is the labeled output's size (a C2PA manifest makes it larger than the input).
        var labeledRows = lines.Select(l => Regex.Match(l, @"^\S+\s+labeled\s+labeled\s+(?<in>\d+)\s+(?<out>\d+)\s")).Where(m => m.Success).ToList();
        Assert.Equal(3, labeledRows.Count);
        Assert.All(labeledRows, m => Assert.NotEqual(m.Groups["in"].Value, m.Groups["out"].Value));
        int hostile = SampleSet.Hostile(File.ReadAllBytes(RepoPaths.Samples("images", "ladybird.jpg"))).Count;
        Assert.Equal(hostile, lines.Count(l => Regex.IsMatch(l, @"^r1-bad-\S*\s+dlq\s+dlq\s+\d+\s+-\s+LS\d{3} ")));
        Assert.DoesNotContain(lines, l => l.Contains("(!)", StringComparison.Ordinal) || l.Contains("missing", StringComparison.Ordinal));
        Assert.Matches(@"bench: ratios \d+\.\d\d \d+\.\d\d; median \d+\.\d\d over 2 alternating rounds", run.StdOut);
        Assert.Equal(3 * 2, Directory.GetFiles(Path.Combine(output, "labeled")).Length); // both rounds' outputs, checked and kept

        // A second run into the same folder starts fresh and says so.
        var again = ExternalTool.Run("dotnet", [ServeTests.Server.Cli, "demo", "--samples", samples, "--out", output, "--workers", "1", "--repeat", "1", "--no-hostile"], 600_000);
        Assert.True(again.ExitCode == 0, again.StdOut + again.StdErr);
        Assert.Contains("demo: removed the previous run's labeled/ and store/", again.StdOut);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(output, "labeled")).Length);
    }
}
