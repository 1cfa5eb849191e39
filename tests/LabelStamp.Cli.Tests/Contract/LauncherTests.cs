using System.Diagnostics;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>
/// Issue 21, item 7: the ./labelstamp launcher rebuilds only when a project's sources or the shared props
/// changed (never for files a build itself regenerates under obj/), and a Ctrl-C during a rebuild stops it
/// quietly with status 130. Its build is a ReadyToRun publish, and the plain publish when that one fails (no
/// ahead-of-time compiler for the machine). The logic runs against a fake tree with a fake `dotnet` first in PATH
/// (fast, and no rebuild of the real CLI under the other tests), then once against the real tree.
/// </summary>
public sealed class LauncherTests
{
    private sealed class FakeTree
    {
        public FakeTree()
        {
            Root = RepoPaths.NewTempDir();
            File.Copy(Path.Combine(RepoPaths.Root, "labelstamp"), Path.Combine(Root, "labelstamp"));
            Bin = Path.Combine(Root, "src", "LabelStamp.Cli", "bin", "launcher");
            Directory.CreateDirectory(Bin);
            Directory.CreateDirectory(Path.Combine(Root, "src", "LabelStamp.Cli", "obj", "Release"));
            Directory.CreateDirectory(Path.Combine(Root, "src", "LabelStamp"));
            Directory.CreateDirectory(Path.Combine(Root, "tools"));
            foreach (string f in new[] { "src/LabelStamp.Cli/Program.cs", "src/LabelStamp.Cli/LabelStamp.Cli.csproj", "src/LabelStamp/Lib.cs",
                         "Directory.Build.props", "Directory.Packages.props" })
                Touch(f, DateTime.UtcNow.AddHours(-2));
            foreach (string dll in new[] { "LabelStamp.Cli.dll", "LabelStamp.dll" }) Write(Path.Combine(Bin, dll), "dll");
            BuiltAnHourAgo();
            // A build writes obj/**/*.cs after the dll: newer than the dll, and never a reason to rebuild.
            Touch("src/LabelStamp.Cli/obj/Release/LabelStamp.Cli.AssemblyInfo.cs", DateTime.UtcNow);
            string dotnet = Write(Path.Combine(Root, "tools", "dotnet"),
                "#!/bin/sh\nif [ \"$1\" = publish ]; then echo \"$$ $*\" >> \"$FAKE_BUILDS\"; [ -n \"$FAKE_SLOW\" ] && sleep 60;\n"
                + "  case \"$*\" in *PublishReadyToRun=true*) [ -n \"$FAKE_NO_R2R\" ] && exit 1;; esac; exit 0; fi\necho \"ran $*\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Root { get; }
        public string Bin { get; }
        public string Builds => Path.Combine(Root, "builds.txt");

        public void BuiltAnHourAgo()
        {
            foreach (string dll in Directory.GetFiles(Bin, "*.dll")) File.SetLastWriteTimeUtc(dll, DateTime.UtcNow.AddHours(-1));
        }

        public int BuildCount => BuildLines.Length;

        /// <summary>One line per publish the launcher ran: the fake's pid, then its arguments.</summary>
        public string[] BuildLines => File.Exists(Builds) ? File.ReadAllLines(Builds) : [];

        public void Touch(string relative, DateTime when) =>
            File.SetLastWriteTimeUtc(File.Exists(Path.Combine(Root, relative)) ? Path.Combine(Root, relative) : Write(Path.Combine(Root, relative), "x"), when);

        public ProcessStartInfo Start(bool slow, bool noReadyToRun = false)
        {
            // setsid: the launcher leads its own process group, as a shell's foreground job does, so a
            // group SIGINT below is what Ctrl-C in a terminal sends.
            var psi = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // env --default-signal: an ignored SIGINT (a runner started as a background job) would be
            // inherited, and bash cannot trap a signal ignored on entry.
            foreach (string a in new[] { "env", "--default-signal=INT", "bash", Path.Combine(Root, "labelstamp"), "--version" }) psi.ArgumentList.Add(a);
            psi.Environment["PATH"] = Path.Combine(Root, "tools") + ":" + Environment.GetEnvironmentVariable("PATH");
            psi.Environment["FAKE_BUILDS"] = Builds;
            if (slow) psi.Environment["FAKE_SLOW"] = "1";
            if (noReadyToRun) psi.Environment["FAKE_NO_R2R"] = "1";
            return psi;
        }

        public (int Code, string Out, string Err) Run(bool noReadyToRun = false)
        {
            using var p = Process.Start(Start(slow: false, noReadyToRun))!;
            string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(30_000));
            return (p.ExitCode, stdout, stderr);
        }

        private static string Write(string path, string text)
        {
            File.WriteAllText(path, text);
            return path;
        }
    }

    [Fact]
    public void Rebuilds_only_for_changed_sources_or_props_never_for_generated_obj_files()
    {
        var tree = new FakeTree();
        var fresh = tree.Run();
        Assert.Equal((0, "ran " + Path.Combine(tree.Bin, "LabelStamp.Cli.dll") + " --version\n", ""), fresh);
        Assert.Equal(0, tree.BuildCount);

        tree.Touch("src/LabelStamp/Lib.cs", DateTime.UtcNow); // a library source: LabelStamp.Cli.dll itself would not change
        var changed = tree.Run();
        Assert.Equal(0, changed.Code);
        Assert.Contains("labelstamp: building the CLI", changed.Err);
        Assert.Equal(1, tree.BuildCount);
        var again = tree.Run();
        Assert.Equal("", again.Err);
        Assert.Equal(1, tree.BuildCount);

        tree.BuiltAnHourAgo();
        tree.Touch("Directory.Packages.props", DateTime.UtcNow.AddMinutes(-30));
        tree.Run();
        Assert.Equal(2, tree.BuildCount);
        tree.BuiltAnHourAgo();
        tree.Touch("Directory.Packages.props", DateTime.UtcNow.AddHours(-2));
        tree.Touch("src/LabelStamp.Cli/LabelStamp.Cli.csproj", DateTime.UtcNow.AddMinutes(-30));
        tree.Run();
        Assert.Equal(3, tree.BuildCount);
        tree.Run();
        Assert.Equal(3, tree.BuildCount);
    }

    [Fact]
    public void Publishes_ReadyToRun_for_this_machine_and_falls_back_to_the_plain_publish()
    {
        var tree = new FakeTree();
        tree.Touch("src/LabelStamp.Cli/Program.cs", DateTime.UtcNow);
        var r2r = tree.Run();
        Assert.Equal((0, "ran " + Path.Combine(tree.Bin, "LabelStamp.Cli.dll") + " --version\n"), (r2r.Code, r2r.Out));
        string publish = Assert.Single(tree.BuildLines);
        Assert.Contains(" -o " + tree.Bin + " ", publish + " ");
        Assert.Contains("-p:PublishReadyToRun=true", publish);
        Assert.Contains("-r linux-" + (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64"), publish);

        // The ahead-of-time compiler cannot be had: the plain publish runs, and the command still runs.
        tree.Touch("src/LabelStamp.Cli/Program.cs", DateTime.UtcNow.AddMinutes(1));
        var plain = tree.Run(noReadyToRun: true);
        Assert.Equal((0, "ran " + Path.Combine(tree.Bin, "LabelStamp.Cli.dll") + " --version\n"), (plain.Code, plain.Out));
        Assert.Equal(3, tree.BuildCount);
        Assert.Contains("-p:PublishReadyToRun=true", tree.BuildLines[1]);
        Assert.DoesNotContain("ReadyToRun", tree.BuildLines[2]);
        Assert.DoesNotContain(" -r ", tree.BuildLines[2]);
    }

    [Fact]
    public async Task Ctrl_C_during_a_rebuild_stops_the_build_quietly_with_130()
    {
        var tree = new FakeTree();
        tree.Touch("src/LabelStamp.Cli/Program.cs", DateTime.UtcNow);
        using var p = Process.Start(tree.Start(slow: true))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (tree.BuildCount == 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        Assert.Equal(1, tree.BuildCount);
        var kill = ExternalTool.Run("kill", ["-INT", "--", "-" + p.Id]);
        Assert.Equal(0, kill.ExitCode);
        Assert.True(p.WaitForExit(20_000), "the launcher did not stop");
        Assert.Equal(130, p.ExitCode);
        Assert.Equal("", await stdout);
        Assert.Equal("labelstamp: building the CLI (Release) ...\nlabelstamp: build interrupted\n", await stderr);
        int build = int.Parse(tree.BuildLines[0].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        clock.Restart();
        while (Directory.Exists($"/proc/{build}") && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.False(Directory.Exists($"/proc/{build}"), "the build was left running");
    }

    [Fact]
    public void The_real_launcher_does_not_rebuild_twice()
    {
        string launcher = Path.Combine(RepoPaths.Root, "labelstamp");
        string dll = Path.Combine(RepoPaths.Root, "src", "LabelStamp.Cli", "bin", "launcher", "LabelStamp.Cli.dll");
        var first = ExternalTool.Run("bash", [launcher, "--version"], 600_000);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var built = File.GetLastWriteTimeUtc(dll);
        var clock = Stopwatch.StartNew();
        var second = ExternalTool.Run("bash", [launcher, "--version"], 60_000);
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("building", second.StdErr);
        Assert.Equal(built, File.GetLastWriteTimeUtc(dll));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"second run took {clock.Elapsed}");
        Assert.Equal(first.StdOut, second.StdOut);
    }
}
