using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Text.RegularExpressions;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- inline-audit [image,…] [--runs R] [--video DIR CLIP[,CLIP…]] [--keep DIR | --from DIR]`: which optimised methods still call a lane operator. The kernels'
/// lane types (LabelStamp.Kernels.Lanes) and element-wise operators are meant to vanish into their loops; when the JIT's
/// inlining budget of a method runs out they stay as one call per vector, several times slower, and nothing else shows
/// it (the results are the same bits). This runs the image embed, read and self-check harnesses (`embed-parts`,
/// `read-parts`, `selfcheck-parts`, R runs each, past tier-1) and the audio detector's (`audio-detect-speed`) in child
/// processes with the JIT's disassembly on (DOTNET_JitDisasm), and lists every tier-1, OSR or fully optimised method of
/// the project whose code calls a lane type's member or an operator's Invoke, with the calls counted. Calls into the
/// 512-bit lane types are listed apart where this machine has no AVX-512: that code is compiled but never runs here.
/// `--video` adds the video path: the clips stamped with the static and the content-locked mark through the product
/// (`video-stamp-digest`: labels, mark, trackers, the stamp's checks). `--keep DIR` keeps the listings, `--from DIR` reads kept ones instead of running the workloads. Exits 3 when a method
/// on this machine's path calls one (1 when a workload failed), so a script can stop on it.
/// </summary>
public static class InlineAudit
{
    private static readonly Regex Listing = new(@"^; Assembly listing for method (?<name>.*) \((?<tier>[^()]*)\)\s*$", RegexOptions.Compiled);
    private static readonly Regex LaneCall = new(@"\bcall\s+\[(?<callee>LabelStamp\.Kernels\.(?:Lanes\.\w+|\w*Operator):[\w.]+)", RegexOptions.Compiled);

    public static int Run(string[] args)
    {
        int runs = 40;
        string? keep = null, from = null, videoDir = null, clips = null;
        var images = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs") runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--keep") keep = args[++i];
            else if (args[i] == "--from") from = args[++i];
            else if (args[i] == "--video") (videoDir, clips) = (args[++i], args[++i]);
            else images.AddRange(args[i].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }
        if (images.Count == 0) images.AddRange(["storm.jpg", "goldfish.png"]);
        var findings = new SortedDictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        if (from is not null)
        {
            foreach (string listing in Directory.GetFiles(from, "jit-*.txt").Order(StringComparer.Ordinal)) Collect(listing, findings);
            return Report(findings);
        }
        string dir = keep ?? Directory.CreateTempSubdirectory("inline-audit-").FullName;
        Directory.CreateDirectory(dir);
        string self = typeof(InlineAudit).Assembly.Location, list = string.Join(',', images);
        string[][] workloads =
        [
            ["embed-parts", $"{runs}", list],
            ["read-parts", $"{Math.Max(31, runs / 4)}", list],
            ["selfcheck-parts", $"{Math.Max(31, runs / 4)}", list],
            ["audio-detect-speed", "10", "3"],
            .. (videoDir is null ? Array.Empty<string[]>() : [["video-stamp-digest", videoDir, clips!]]),
        ];
        try
        {
            foreach (string[] w in workloads)
            {
                string listing = Path.Combine(dir, $"jit-{w[0]}.txt");
                Console.Error.WriteLine($"inline-audit: {w[0]} …");
                if (!RunWithDisassembly(self, w, listing)) return 1;
                Collect(listing, findings);
            }
        }
        finally
        {
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
        return Report(findings);
    }

    private static int Report(SortedDictionary<string, Dictionary<string, int>> findings)
    {
        bool avx512 = Vector512.IsHardwareAccelerated;
        int live = 0;
        foreach (var (method, callees) in findings.OrderByDescending(f => f.Value.Values.Sum()))
        {
            bool dead = !avx512 && callees.Keys.All(c => c.Contains("512", StringComparison.Ordinal));
            if (!dead) live++;
            Console.WriteLine($"{(dead ? "[512, not run here] " : "")}{callees.Values.Sum(),4} {method}");
            foreach (var (callee, n) in callees.OrderByDescending(c => c.Value).Take(6)) Console.WriteLine($"         {n,3} {callee}");
        }
        Console.WriteLine(live == 0
            ? "no optimised method that runs on this machine calls a lane operator"
            : $"{live} optimised method(s) call lane operators on this machine's path");
        Console.WriteLine($"AVX-512: {(avx512 ? "yes" : "no")}; load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return live == 0 ? 0 : 3;
    }

    private static bool RunWithDisassembly(string self, string[] workload, string listing)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(self);
        foreach (string a in workload) start.ArgumentList.Add(a);
        start.Environment["DOTNET_JitDisasm"] = "*";
        start.Environment["DOTNET_JitStdOutFile"] = listing;
        using var p = Process.Start(start)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 0 && File.Exists(listing)) return true;
        Console.Error.WriteLine($"inline-audit: {workload[0]} exited {p.ExitCode}: {err.Result.Trim()}");
        return false;
    }

    /// <summary>Lane-operator calls per optimised project method of one disassembly listing. Methods compiled at the same
    /// time on two threads (tier-0 code on the main thread, tier-1 in the background) have their listings interleaved,
    /// down to single lines; a listing that shows a second "Emitting" preamble or a second first block is dropped whole
    /// (its method is audited where it was compiled alone: the harnesses compile their hot methods again per image).</summary>
    private static void Collect(string listing, SortedDictionary<string, Dictionary<string, int>> findings)
    {
        string? method = null;
        var calls = new List<string>();
        int preambles = 0, firstBlocks = 0;
        void Close()
        {
            if (method is not null && preambles <= 1 && firstBlocks <= 1 && calls.Count > 0)
            {
                if (!findings.TryGetValue(method, out var callees)) findings[method] = callees = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (string callee in calls) callees[callee] = callees.GetValueOrDefault(callee) + 1;
            }
            method = null;
            calls.Clear();
        }
        foreach (string line in File.ReadLines(listing))
        {
            var m = Listing.Match(line);
            if (m.Success)
            {
                Close();
                preambles = firstBlocks = 0;
                string tier = m.Groups["tier"].Value, name = m.Groups["name"].Value;
                bool optimised = !tier.Contains("Instrumented", StringComparison.Ordinal)
                    && (tier.Contains("Tier1", StringComparison.Ordinal) || tier.Contains("OSR", StringComparison.Ordinal) || tier.Contains("FullOpts", StringComparison.Ordinal));
                method = optimised && name.StartsWith("LabelStamp.", StringComparison.Ordinal) && !name.StartsWith("LabelStamp.Benchmarks.", StringComparison.Ordinal)
                    ? name[..(name.IndexOf('(') is var k and > 0 ? k : name.Length)]
                    : null;
                continue;
            }
            if (method is null) continue;
            if (line.Contains("Emitting BLENDED_CODE", StringComparison.Ordinal)) preambles++;
            if (line.Contains("G_M000_IG01:", StringComparison.Ordinal)) firstBlocks++;
            if (line.StartsWith("; Total bytes of code", StringComparison.Ordinal)) { Close(); continue; }
            var c = LaneCall.Match(line);
            if (c.Success) calls.Add(c.Groups["callee"].Value);
        }
        Close();
    }
}
