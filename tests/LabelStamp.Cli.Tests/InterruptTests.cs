using System.Diagnostics;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Issue 22 (process ownership) and issue 21 (a summary on interruption): SIGINT or SIGTERM during a
/// video batch ends the run with 128 + the signal, after a summary line; no ffmpeg child outlives the
/// CLI and no workspace stays in the temp directory.
/// </summary>
public sealed class InterruptTests
{
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void A_signal_mid_video_batch_prints_the_summary_and_leaves_no_process_or_temp_file(string signal, int expected)
    {
        string dir = RepoPaths.NewTempDir();
        string tmp = Path.Combine(dir, "tmp");
        Directory.CreateDirectory(tmp);
        string video = RepoPaths.Samples("video", "pan-zoom.mp4");
        var inputs = Enumerable.Range(0, 3).Select(i => Path.Combine(dir, $"clip{i}.mp4")).ToList();
        foreach (string input in inputs) File.Copy(video, input);

        // env --default-signal: a runner started as a background job without job control ignores SIGINT,
        // and an ignored signal is inherited across exec; the CLI must see the signal a terminal sends.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"), "stamp", "-j", "1", "-o", Path.Combine(dir, "out") }.Concat(inputs))
            psi.ArgumentList.Add(a);
        psi.Environment["LABELSTAMP_MARK_KEY"] = new string('c', 64);
        psi.Environment["LABELSTAMP_PRODUCER"] = "001191310000000000000000000";
        psi.Environment["TMPDIR"] = tmp;
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        using var cli = new Process { StartInfo = psi };
        cli.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        cli.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        cli.Start();
        cli.BeginOutputReadLine();
        cli.BeginErrorReadLine();

        // Wait until ffmpeg runs on the first clip's workspace (its command line names the temp directory).
        var clock = Stopwatch.StartNew();
        while (ProcessesMentioning(tmp).Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(60) && !cli.HasExited)
            Thread.Sleep(50);
        Assert.False(cli.HasExited, $"the batch ended before it could be interrupted (after {clock.Elapsed}): {stdout} {stderr}");
        Thread.Sleep(500);
        var kill = ExternalTool.Run("kill", ["-" + signal, cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.StdErr + " | " + stdout + " | " + stderr);

        Assert.True(cli.WaitForExit(30_000), "the CLI did not stop after SIG" + signal);
        cli.WaitForExit(); // flushes the redirected output
        Assert.Equal(expected, cli.ExitCode);
        Assert.Matches(@"stamped \d of 3 files .*; interrupted, \d not done", stdout.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Empty(ProcessesMentioning(tmp));
    }

    /// <summary>Issue 22 / 17: a verify that fails inside ffmpeg (a cut MP4, an MP4 whose frames are garbage)
    /// still kills its children and deletes its workspace.</summary>
    [Fact]
    public void Failed_mp4_verifies_leave_no_process_or_temp_file()
    {
        string dir = RepoPaths.NewTempDir();
        string tmp = Path.Combine(dir, "tmp");
        Directory.CreateDirectory(tmp);
        byte[] video = File.ReadAllBytes(RepoPaths.Samples("video", "pan-zoom.mp4"));
        string cut = Path.Combine(dir, "cut.mp4"), garbage = Path.Combine(dir, "garbage.mp4");
        File.WriteAllBytes(cut, video[..(video.Length * 2 / 3)]);
        byte[] scrambled = (byte[])video.Clone();
        new Random(22).NextBytes(scrambled.AsSpan(scrambled.Length / 4, scrambled.Length / 2)); // fixed seed 22: the middle half of mdat
        File.WriteAllBytes(garbage, scrambled);

        var (code, _, err) = ExternalTool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"), "verify", cut, garbage], 120_000,
            new Dictionary<string, string> { ["TMPDIR"] = tmp });

        Assert.True(code is 1 or 2, err);
        Assert.DoesNotContain("LS999", err);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Empty(ProcessesMentioning(tmp));
    }

    /// <summary>Issue 17: the stamp side of the test above, and audio. Each input fails after its workspace
    /// exists and while or after ffmpeg ran: an MP4 whose frames are garbage (stamp: LS101 once the decode
    /// comes up short), an M4A cut before its moov box (verify: ffprobe fails, LS102), and a 15-minute
    /// FLAC stamped and verified under a 2 s deadline (LS112 while ffmpeg decodes; an idle two-core
    /// machine needs several times that for the clip). Nothing may outlive the run.</summary>
    [Fact]
    public void Failed_mp4_stamps_and_failed_audio_stamps_and_verifies_leave_no_process_or_temp_file()
    {
        string dir = RepoPaths.NewTempDir();
        string tmp = Path.Combine(dir, "tmp");
        Directory.CreateDirectory(tmp);
        byte[] video = File.ReadAllBytes(RepoPaths.Samples("video", "pan-zoom.mp4"));
        string garbage = Path.Combine(dir, "garbage.mp4");
        byte[] scrambled = (byte[])video.Clone();
        new Random(22).NextBytes(scrambled.AsSpan(scrambled.Length / 4, scrambled.Length / 2)); // fixed seed 22: the middle half of mdat
        File.WriteAllBytes(garbage, scrambled);

        string speech = RepoPaths.Samples("audio", "speech-espeak.flac");
        string m4a = Path.Combine(dir, "speech.m4a"), cutM4a = Path.Combine(dir, "cut.m4a"), longFlac = Path.Combine(dir, "long.flac");
        Ffmpeg("-i", speech, "-c:a", "aac", "-b:a", "64k", m4a); // moov is written last
        Ffmpeg("-stream_loop", "40", "-i", speech, longFlac);
        byte[] aac = File.ReadAllBytes(m4a);
        int moov = aac.AsSpan().IndexOf("moov"u8) - 4;
        Assert.True(moov > aac.AsSpan().IndexOf("mdat"u8), "the M4A's moov box is not after its samples");
        File.WriteAllBytes(cutM4a, aac[..moov]);

        var env = new Dictionary<string, string>
        {
            ["TMPDIR"] = tmp,
            ["LABELSTAMP_MARK_KEY"] = new string('c', 64),
            ["LABELSTAMP_PRODUCER"] = "001191310000000000000000000",
        };
        string cliDll = Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll");
        var stampVideo = ExternalTool.Run("dotnet", [cliDll, "stamp", "-o", Path.Combine(dir, "out-video"), garbage], 180_000, env);
        var verifyM4a = ExternalTool.Run("dotnet", [cliDll, "verify", cutM4a], 120_000, env);
        var stampLong = ExternalTool.Run("dotnet", [cliDll, "stamp", "--item-timeout", "1", "-o", Path.Combine(dir, "out-audio"), longFlac], 120_000, env);
        var verifyLong = ExternalTool.Run("dotnet", [cliDll, "verify", "--item-timeout", "1", longFlac], 120_000, env);

        // Inputs named on the command line are reported by their full path.
        Assert.True(stampVideo.ExitCode == 2 && stampVideo.StdErr.Contains("error LS101: ", StringComparison.Ordinal) && stampVideo.StdErr.Contains("garbage.mp4: only ", StringComparison.Ordinal), stampVideo.StdErr);
        Assert.True(verifyM4a.ExitCode == 2 && verifyM4a.StdErr.Contains("error LS102: ", StringComparison.Ordinal) && verifyM4a.StdErr.Contains("cut.m4a: not a readable mp4 file", StringComparison.Ordinal), verifyM4a.StdErr);
        Assert.True(stampLong.ExitCode == 2 && stampLong.StdErr.Contains("error LS112: ", StringComparison.Ordinal) && stampLong.StdErr.Contains("long.flac: not finished within its deadline", StringComparison.Ordinal), stampLong.StdErr);
        Assert.True(verifyLong.ExitCode == 2 && verifyLong.StdErr.Contains("error LS112: ", StringComparison.Ordinal) && verifyLong.StdErr.Contains("long.flac: not finished within its deadline", StringComparison.Ordinal), verifyLong.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.Empty(ProcessesMentioning(tmp));
        Assert.Empty(ProcessesMentioning(dir));
    }

    private static void Ffmpeg(params string[] args)
    {
        var made = ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-y", .. args]);
        Assert.True(made.ExitCode == 0, made.StdErr);
    }

    /// <summary>Live processes whose command line names <paramref name="text"/> (our ffmpeg children name their workspace).</summary>
    private static List<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && !File.ReadAllText(Path.Combine(dir, "stat")).Contains(") Z ", StringComparison.Ordinal))
                    found.Add(Path.GetFileName(dir) + " " + cmdline);
            }
            catch (IOException) { /* exited while we looked */ }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
