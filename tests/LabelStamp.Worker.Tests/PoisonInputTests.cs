using System.Diagnostics;
using System.Globalization;
using LabelStamp.Cli.Demo;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Tests.Support;
using Xunit.Abstractions;

namespace LabelStamp.Worker.Tests;

/// <summary>
/// Issue 22: inputs that do not finish never stall a worker. Several copies of an input that outlasts
/// its deadline (a 30 s 640×360 clip whose stamp takes ~15 s on two cores, under a 4 s deadline) stand
/// for any input that hangs: the mechanism is the same, the item's token is cancelled, its ffmpeg
/// children are killed and its workspace deleted. Valid files published behind them are labeled within
/// a bound; each poison copy is dead-lettered with LS112; no child process or temp directory is left;
/// a restarted worker of the same group does not meet the poison copies again.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PoisonInputTests(ITestOutputHelper output)
{
    private const int PoisonCopies = 4;

    [Fact]
    public async Task InputsPastTheirDeadline_AreDeadLetteredWithLs112_ValidFilesBehindThemAreLabeled_NothingLeftBehind()
    {
        using var rig = new PipelineRig(inputPartitions: 2);
        string tmp = Path.Combine(rig.Directory, "tmp");
        Directory.CreateDirectory(tmp);
        byte[] slowClip = MakeSlowClip(rig.Directory);
        var poison = Enumerable.Range(0, PoisonCopies)
            .Select(i => new SampleInput($"poison-{i}", "slow.mp4", slowClip, "outlasts its deadline")).ToList();
        var valid = PipelineRig.Samples("valid", 1).Where(s => s.Name.EndsWith(".jpg", StringComparison.Ordinal)).ToList();
        var settings = new Dictionary<string, string>
        {
            ["LABELSTAMP__Limits__DeadlineFloor"] = "00:00:04",
            ["LABELSTAMP__Limits__DeadlineCap"] = "00:00:04",
            ["TMPDIR"] = tmp, // the worker's workspaces, counted below
        };

        var worker = rig.StartWorker("poisoned", parallelism: 2, settings: settings);
        using var collector = rig.Collector();
        var clock = Stopwatch.StartNew();
        await rig.PublishAsync(poison.Take(2).Concat(valid.Take(2)).Concat(poison.Skip(2)).Concat(valid.Skip(2)));

        var everything = poison.Concat(valid).Select(i => i.ContentId).ToHashSet();
        bool complete = collector.CollectUntil(everything, PipelineRig.Patience);
        var elapsed = clock.Elapsed;
        output.WriteLine($"{PoisonCopies} poison copies and {valid.Count} valid files accounted for in {elapsed.TotalSeconds:0.0} s");
        Assert.True(complete, $"unaccounted: {string.Join(", ", everything.Except(collector.Accounted))}\n{rig.Logs()}");
        // Two slots: the poison copies cost at most 2 rounds of (deadline + grace); images a few seconds more.
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed.TotalSeconds:0} s\n{rig.Logs()}");

        Assert.Empty(await rig.AuditAsync(poison.Concat(valid).ToList(), collector));
        foreach (var p in poison)
        {
            var letter = Assert.Single(collector.Records, r => r.ContentId == p.ContentId);
            Assert.True(letter.IsDeadLetter);
            Assert.Equal("LS112", letter.Header(KafkaHeaders.ErrorCode));
        }
        Assert.False(worker.HasExited, "a poison input stopped the worker\n" + rig.Logs());
        Assert.Empty(ChildrenOf(worker.Id));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp, "labelstamp-*"));

        // A restart of the group meets only what was published since: the poison offsets are committed.
        await worker.StopAsync(TimeSpan.FromSeconds(60));
        int lettersBefore = collector.Records.Count(r => r.IsDeadLetter);
        var restarted = rig.StartWorker("restarted", parallelism: 2, settings: settings);
        var late = PipelineRig.Samples("late", 1).Where(s => s.Name.EndsWith(".jpg", StringComparison.Ordinal)).Take(1).ToList();
        await rig.PublishAsync(late);
        Assert.True(collector.CollectUntil(late.Select(l => l.ContentId).ToHashSet(), PipelineRig.Patience), rig.Logs());
        collector.Drain(TimeSpan.FromSeconds(3));
        Assert.Equal(lettersBefore, collector.Records.Count(r => r.IsDeadLetter));
        Assert.DoesNotContain(collector.Records, r => r.ContentId.StartsWith("poison-", StringComparison.Ordinal) && !r.IsDeadLetter);
        Assert.False(restarted.HasExited, rig.Logs());
    }

    /// <summary>ffmpeg's own test source, so the clip is made here (no media committed).</summary>
    private static byte[] MakeSlowClip(string directory)
    {
        string path = Path.Combine(directory, "slow.mp4");
        var start = new ProcessStartInfo("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "30",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", path]) { UseShellExecute = false };
        using var ffmpeg = Process.Start(start)!;
        Assert.True(ffmpeg.WaitForExit(120_000) && ffmpeg.ExitCode == 0, "ffmpeg could not make the test clip");
        return File.ReadAllBytes(path);
    }

    /// <summary>Live processes whose parent is <paramref name="pid"/> (zombies excluded: they are already dead).</summary>
    private static List<string> ChildrenOf(int pid)
    {
        var children = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                string? ppid = status.FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal))?[5..].Trim();
                string? state = status.FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
                if (ppid == pid.ToString(CultureInfo.InvariantCulture) && state?.Contains('Z') != true)
                    children.Add(status[0] + " " + Path.GetFileName(dir));
            }
            catch (IOException) { /* exited while we looked */ }
        }
        return children;
    }
}
