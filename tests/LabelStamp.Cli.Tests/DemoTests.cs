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
        Assert.Equal(3, lines.Count(l => Regex.IsMatch(l, @"^\S+\s+labeled\s+labeled\s")));
        int hostile = SampleSet.Hostile(File.ReadAllBytes(RepoPaths.Samples("images", "ladybird.jpg"))).Count;
        Assert.Equal(hostile, lines.Count(l => Regex.IsMatch(l, @"^r1-bad-\S*\s+dlq\s+dlq\s+\d+\s+LS\d{3} ")));
        Assert.DoesNotContain(lines, l => l.Contains("(!)", StringComparison.Ordinal) || l.Contains("missing", StringComparison.Ordinal));
        Assert.Matches(@"bench: ratios \d+\.\d\d \d+\.\d\d; median \d+\.\d\d over 2 alternating rounds", run.StdOut);
        Assert.Equal(3 * 2, Directory.GetFiles(Path.Combine(output, "labeled")).Length); // both rounds' outputs, checked and kept
    }
}
