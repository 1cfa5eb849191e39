using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Robustness.Audio;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-corpus CORPUS_DIR [--jobs J] [--results FILE] [--limit N] [--per-cell C] [--attacks a,b] [--clips f1,f2] [--report-only]`:
/// the audio mark over the development corpus made by bench/corpus/make-audio-corpus.sh. For every clip:
/// decode; mark the PCM the way <c>stamp</c> does (<see cref="AudioMarkTrial.StampAsync"/>: the product's
/// sample processor, chunks and governor) to measure SNR and embed speed; stamp the file itself with
/// <see cref="AudioLabeler"/> (watermark layer alone, re-encoded in the clip's own format) and verify it
/// with <see cref="AudioInspector"/>; then apply every attack of <see cref="AudioAttackSuite.Extended"/> to
/// the decoded stamped file and read it with the product's detector at the rate the attacked audio has.
/// False detections: the unmarked clip (right and wrong keys), the stamped clip with wrong keys, and
/// attacked unmarked clips (18 trials per clip). Prints markdown tables by source rate × content class ×
/// attack, worst first. <c>--results FILE</c> appends one line per finished clip and skips clips already
/// there, so an interrupted run resumes; <c>--report-only</c> prints the tables from that file alone;
/// <c>--limit N</c> keeps the first N clips of the manifest, <c>--per-cell C</c> the first C of each
/// rate × class cell; <c>--attacks</c> runs a subset of the suite (a results file holds one suite); <c>--clips</c> names the clips
/// to run (a fixed subset for quick A/B loops).
/// </summary>
public static class AudioCorpusTable
{
    private const string Producer = "labelstamp-corpus";
    private const int FalseTrialsPerClip = 18;

    internal sealed record Clip(string File, string Class, int Rate, int Channels, string Format, double Seconds);

    /// <summary>One clip's outcome. <see cref="Outcomes"/> has one character per attack, in suite order:
    /// '1' read (right mark ID), '0' not read, 'W' a wrong ID, 'E' the attack or the read threw, '-' not
    /// marked (the product does not mark this rate). <see cref="Bits"/>: Viterbi-corrected coded-bit errors
    /// per attack (-1 when not read).</summary>
    private sealed record ClipResult(string File, string Class, int Rate, int Channels, string Format, double Duration,
        double Snr, double WorstSecondSnr, double EmbedX, double DetectX, long DetectAlloc, bool Verified,
        int FalseTrials, int FalseHits, double Seconds, string Outcomes, int[] Bits, string Error);

    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: audio-corpus CORPUS_DIR [--jobs J] [--results FILE] [--limit N] [--per-cell C] [--attacks a,b] [--clips f1,f2] [--report-only]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int perCell = int.MaxValue, limit = int.MaxValue, jobs = 2;
        string? resultsPath = null;
        bool reportOnly = false;
        string[]? clipNames = null;
        IReadOnlyList<AudioAttack> suite = AudioAttackSuite.Extended;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--report-only") { reportOnly = true; continue; }
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--per-cell": perCell = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--limit": limit = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--jobs": jobs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--results": resultsPath = value; break;
                case "--attacks": suite = AudioAttackSuite.Named(value.Split(',')); break;
                case "--clips": clipNames = value.Split(','); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
            i++;
        }
        if (perCell < 1 || limit < 1 || jobs < 1) throw new ArgumentException("--per-cell, --limit and --jobs must be ≥ 1");
        if (reportOnly && resultsPath is null) throw new ArgumentException("--report-only needs --results FILE");

        string suiteKey = string.Join('|', suite.Select(a => a.Name));
        List<Clip> all = ReadManifest(root);
        if (clipNames is not null) all = all.Where(c => clipNames.Contains(c.File, StringComparer.Ordinal)).ToList();
        var perCellCount = new Dictionary<(int, string), int>();
        List<Clip> selected = all.Where(c =>
        {
            int n = perCellCount.GetValueOrDefault((c.Rate, c.Class));
            perCellCount[(c.Rate, c.Class)] = n + 1;
            return n < perCell;
        }).Take(limit).ToList();
        string selection = $"{(perCell == int.MaxValue ? "all" : $"first {perCell} per rate × class")}{(limit == int.MaxValue ? "" : $", first {limit}")}";

        var results = new ConcurrentDictionary<string, ClipResult>(StringComparer.Ordinal);
        if (resultsPath is not null) LoadResults(resultsPath, suiteKey, results);
        var todo = selected.Where(c => !reportOnly && !results.ContainsKey(c.File))
            .OrderByDescending(c => c.Seconds).ThenBy(c => c.File, StringComparer.Ordinal).ToList(); // longest first: shorter tail
        Console.Error.WriteLine($"corpus {root}: {all.Count} clips, {selected.Count} selected ({selection}), {selected.Count(c => results.ContainsKey(c.File))} already in results, {todo.Count} to run, {suite.Count} attacks, {jobs} jobs");

        var key = BenchKeys.Corpus;
        var wrongKeys = Enumerable.Range(0, 6).Select(k => MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 11 + 3 + 29 * k)).ToArray())).ToArray();
        if (todo.Count > 0) WarmUp(key);
        var wall = Stopwatch.StartNew();
        var writeLock = new object();
        int done = 0;
        // No buffering: clips start in the list's order (longest first), not in the default partitioner's chunks.
        Parallel.ForEach(Partitioner.Create(todo, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = jobs }, clip =>
        {
            ClipResult r = Process(root, clip, suite, key, wrongKeys);
            results[clip.File] = r;
            lock (writeLock)
            {
                done++;
                if (resultsPath is not null) File.AppendAllText(resultsPath, Serialise(r) + "\n");
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{done}/{todo.Count}] {r.File} {r.Duration:F1} s in {r.Seconds:F0} s  clean {(r.Outcomes.Length > 0 && r.Outcomes[0] == '1' ? "read" : "MISSED")}  verify {(r.Verified ? "read" : "MISSED")}  suite {r.Outcomes.Count(c => c == '1')}/{r.Outcomes.Length}  SNR {r.Snr:F1} (worst s {r.WorstSecondSnr:F1})  false {r.FalseHits}/{r.FalseTrials}{(r.Error.Length > 0 ? "  error: " + r.Error : "")}"));
            }
        });
        wall.Stop();

        var chosen = selected.Where(c => results.ContainsKey(c.File)).Select(c => results[c.File]).ToList();
        if (chosen.Count < selected.Count) Console.WriteLine($"Only {chosen.Count} of the {selected.Count} selected clips have results (an interrupted run or --report-only).\n");
        Console.WriteLine(Report(root, all.Count, selection, jobs, suite, chosen, wall.Elapsed));
        return 0;
    }

    private static ClipResult Process(string root, Clip clip, IReadOnlyList<AudioAttack> suite, MarkKey key, MarkKey[] wrongKeys)
    {
        var sw = Stopwatch.StartNew();
        var tools = new ToolRunner();
        var id = MarkId.Compute(key, Producer, clip.File);
        string path = Path.Combine(root, clip.File);
        int rate = clip.Rate, ch = clip.Channels;
        double snr = double.NaN, worst = double.NaN, embedX = double.NaN, detectX = double.NaN;
        long alloc = 0;
        bool verified = false;
        int falseTrials = 0, falseHits = 0;
        var outcomes = new StringBuilder(suite.Count);
        var bits = new int[suite.Count];
        Array.Fill(bits, -1);
        string error = "";
        try
        {
            float[] pcm = Decode(path, rate, ch);
            double seconds = pcm.Length / (double)(rate * ch);

            // The mark alone, in process, the way stamp's sample processor applies it: SNR and embed speed.
            long t = Stopwatch.GetTimestamp();
            float[]? marked = AudioMarkTrial.StampAsync(pcm, rate, ch, key, id).GetAwaiter().GetResult();
            embedX = seconds / Stopwatch.GetElapsedTime(t).TotalSeconds;
            if (marked is null)
                return new ClipResult(clip.File, clip.Class, rate, ch, clip.Format, seconds, double.NaN, double.NaN, double.NaN, double.NaN, 0, false,
                    0, 0, sw.Elapsed.TotalSeconds, new string('-', suite.Count), bits, "not marked at this rate");
            (snr, worst) = Snr(pcm, marked, rate, ch);

            // The product's own file: stamp (watermark layer only) in the clip's format, then verify it.
            byte[] input = File.ReadAllBytes(path);
            var format = MediaSniffer.Sniff(input, clip.File);
            var labeler = new AudioLabeler(tools);
            var (stamped, _) = labeler.LabelAsync(input, AudioMarkTrial.WatermarkOnly(clip.File, format, key, id), default).GetAwaiter().GetResult();
            var report = new AudioInspector(tools).InspectAsync(stamped, clip.File, key, default).GetAwaiter().GetResult();
            verified = report.Watermark?.Payload.MarkId == id;
            float[] stampedPcm = DecodeBytes(stamped, Path.GetExtension(clip.File), rate, ch);

            t = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            AudioMarkTrial.Detect(stampedPcm, rate, ch, key);
            alloc = GC.GetAllocatedBytesForCurrentThread() - before;
            detectX = stampedPcm.Length / (double)(rate * ch) / Stopwatch.GetElapsedTime(t).TotalSeconds;

            for (int i = 0; i < suite.Count; i++)
            {
                try
                {
                    var row = AudioMarkTrial.RunOneAsync(stampedPcm, rate, ch, key, id, suite[i], tools, default).GetAwaiter().GetResult();
                    outcomes.Append(row.CorrectId ? '1' : row.Detected ? 'W' : '0');
                    bits[i] = row.CorrectId ? row.BitErrors : -1;
                }
                catch (Exception e) when (e is Errors.LabelStampException or InvalidOperationException or IOException)
                {
                    outcomes.Append('E');
                    if (error.Length == 0) error = $"{suite[i].Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
                }
            }

            // False detections: any payload at all counts (a CRC-valid read of audio that holds no mark
            // for that key), 18 trials per clip.
            void Trial(float[] x, int r, MarkKey k)
            {
                falseTrials++;
                if (AudioMarkTrial.Detect(x, r, ch, k) is not null) falseHits++;
            }
            Trial(pcm, rate, key);
            foreach (var k in wrongKeys.Take(5)) Trial(pcm, rate, k);
            foreach (var k in wrongKeys.Skip(2).Take(4)) Trial(stampedPcm, rate, k);
            foreach (var a in AudioAttackSuite.Named(["mp3-64k", "resample@48k", "opus-64k@48k", "excerpt-5s"]))
            {
                var x = a.AttackAsync(pcm, rate, ch, tools, default).GetAwaiter().GetResult();
                Trial(x.Samples, x.SampleRate, key);
                Trial(x.Samples, x.SampleRate, wrongKeys[5]);
            }
        }
        catch (Exception e) when (e is Errors.LabelStampException or InvalidOperationException or IOException)
        {
            if (error.Length == 0) error = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            while (outcomes.Length < suite.Count) outcomes.Append('E');
        }
        return new ClipResult(clip.File, clip.Class, rate, ch, clip.Format, clip.Seconds, snr, worst, embedX, detectX, alloc, verified,
            falseTrials, falseHits, sw.Elapsed.TotalSeconds, outcomes.ToString(), bits, error);
    }

    /// <summary>Compiles the embed and detect paths once (2 s of noise), so the first clip's speed is not the JIT's.</summary>
    private static void WarmUp(MarkKey key)
    {
        var rng = new Random(15);
        var noise = new float[2 * 44_100];
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        var id = MarkId.Compute(key, Producer, "warm-up");
        var marked = AudioMarkTrial.StampAsync(noise, 44_100, 1, key, id).GetAwaiter().GetResult() ?? noise;
        AudioMarkTrial.Detect(marked, 44_100, 1, key);
    }

    /// <summary>SNR of the mark over the whole clip, and of its worst whole second (seconds where the mark
    /// changed nothing, e.g. digital silence, are skipped).</summary>
    private static (double File, double WorstSecond) Snr(float[] pcm, float[] marked, int rate, int channels)
    {
        double s = 0, e = 0;
        for (int i = 0; i < pcm.Length; i++) { s += (double)pcm[i] * pcm[i]; double d = marked[i] - pcm[i]; e += d * d; }
        double worst = double.PositiveInfinity;
        int second = rate * channels;
        for (int a = 0; a + second <= pcm.Length; a += second)
        {
            double ss = 0, ee = 0;
            for (int i = a; i < a + second; i++) { ss += (double)pcm[i] * pcm[i]; double d = marked[i] - pcm[i]; ee += d * d; }
            if (ee > 0) worst = Math.Min(worst, 10 * Math.Log10(ss / ee));
        }
        return (e > 0 ? 10 * Math.Log10(s / e) : double.PositiveInfinity, worst);
    }

    internal static float[] Decode(string path, int rate, int channels) =>
        MemoryMarshal.Cast<byte, float>(Ffmpeg(["-i", path, "-map", "0:a:0", "-f", "f32le", "-ar", Inv(rate), "-ac", Inv(channels), "pipe:1"])).ToArray();

    internal static float[] DecodeBytes(byte[] file, string ext, int rate, int channels)
    {
        string tmp = Path.Combine(Path.GetTempPath(), "labelstamp-corpus-" + Guid.NewGuid().ToString("N") + ext);
        File.WriteAllBytes(tmp, file);
        try { return Decode(tmp, rate, channels); }
        finally { File.Delete(tmp); }
    }

    private static byte[] Ffmpeg(string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-hide_banner", "-v", "error" }.Concat(args)) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        copy.Wait();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + err.Result);
        return ms.ToArray();
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ manifest and results file

    internal static List<Clip> ReadManifest(string root)
    {
        string manifest = Path.Combine(root, "manifest.tsv");
        if (!File.Exists(manifest)) throw new FileNotFoundException($"{manifest} not found: build the corpus with bench/corpus/make-audio-corpus.sh {root}");
        string[] lines = File.ReadAllLines(manifest);
        string[] head = lines[0].Split('\t');
        int file = Array.IndexOf(head, "file"), cls = Array.IndexOf(head, "class"), rate = Array.IndexOf(head, "rate"),
            chs = Array.IndexOf(head, "channels"), fmt = Array.IndexOf(head, "format"), dur = Array.IndexOf(head, "duration");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new Clip(f[file], f[cls],
            int.Parse(f[rate], CultureInfo.InvariantCulture), int.Parse(f[chs], CultureInfo.InvariantCulture), f[fmt],
            double.Parse(f[dur], CultureInfo.InvariantCulture))).ToList();
    }

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Serialise(ClipResult r) => string.Join('\t', r.File, r.Class, Inv(r.Rate), Inv(r.Channels), r.Format, D(r.Duration),
        D(r.Snr), D(r.WorstSecondSnr), D(r.EmbedX), D(r.DetectX), r.DetectAlloc.ToString(CultureInfo.InvariantCulture), r.Verified ? "1" : "0",
        Inv(r.FalseTrials), Inv(r.FalseHits), r.Seconds.ToString("F2", CultureInfo.InvariantCulture), r.Outcomes,
        string.Join(',', r.Bits.Select(Inv)), r.Error.Replace('\t', ' '));

    /// <summary>Results of earlier runs, kept only if they were made with the same attack suite (the file's
    /// first line names it).</summary>
    private static void LoadResults(string path, string suiteKey, ConcurrentDictionary<string, ClipResult> into)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            File.WriteAllText(path, "# audio-corpus suite " + suiteKey + "\n");
            return;
        }
        string[] lines = File.ReadAllLines(path);
        if (lines[0] != "# audio-corpus suite " + suiteKey)
            throw new InvalidOperationException($"{path} was written with another attack suite; remove it or pass another --results file");
        var inv = CultureInfo.InvariantCulture;
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split('\t');
            if (f.Length < 17) continue; // a line cut by an interrupted run: that clip runs again
            into[f[0]] = new ClipResult(f[0], f[1], int.Parse(f[2], inv), int.Parse(f[3], inv), f[4], double.Parse(f[5], inv),
                double.Parse(f[6], inv), double.Parse(f[7], inv), double.Parse(f[8], inv), double.Parse(f[9], inv), long.Parse(f[10], inv),
                f[11] == "1", int.Parse(f[12], inv), int.Parse(f[13], inv), double.Parse(f[14], inv), f[15],
                f[16].Split(',').Select(b => int.Parse(b, inv)).ToArray(), f.Length > 17 ? f[17] : "");
        }
    }

    // ------------------------------------------------------------------ report

    private static string RateLabel(int rate) => (rate / 1000.0).ToString("0.##", CultureInfo.InvariantCulture) + " kHz";

    private readonly record struct Tally(int Found, int Total)
    {
        public double Rate => Total == 0 ? double.NaN : (double)Found / Total;
        public Tally Add(bool found) => new(Found + (found ? 1 : 0), Total + 1);
        public override string ToString() => Total == 0 ? "" : Found == Total ? $"{Found}/{Total}" : $"**{Found}/{Total}**";
        public string Percent => Total == 0 ? "" : (100.0 * Found / Total).ToString("F1", CultureInfo.InvariantCulture) + " %";
    }

    private static Tally Count(IEnumerable<ClipResult> rs, Func<int, bool> attackFilter)
    {
        var t = new Tally();
        foreach (var r in rs)
            for (int i = 0; i < r.Outcomes.Length; i++)
                if (attackFilter(i)) t = t.Add(r.Outcomes[i] == '1');
        return t;
    }

    private static string Report(string root, int corpusSize, string selection, int jobs, IReadOnlyList<AudioAttack> suite,
        List<ClipResult> rs, TimeSpan wall)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string[] classes = ["music", "speech", "effects"];
        classes = classes.Where(c => rs.Any(r => r.Class == c)).Concat(rs.Select(r => r.Class).Distinct().Where(c => !classes.Contains(c)).Order()).ToArray();
        int[] rates = rs.Select(r => r.Rate).Distinct().Order().ToArray();
        int[] idx = Enumerable.Range(0, suite.Count).ToArray();
        Func<int, bool> any = _ => true;
        var spec = AudioAttackSuite.All.Select(a => a.Name).ToHashSet();

        sb.AppendLine(inv, $"Corpus `{root}`: {rs.Count} of {corpusSize} clips ({selection}), {rs.Sum(r => r.Duration) / 60:F1} min of audio; {suite.Count} cases per clip (the stamped file + {suite.Count - 1} attacks); {jobs} jobs; wall time {wall:hh\\:mm\\:ss} for the clips run now, {rs.Sum(r => r.Seconds) / 60:F1} min of per-clip time in total.");
        int errors = rs.Sum(r => r.Outcomes.Count(c => c == 'E'));
        if (errors > 0) sb.AppendLine(inv, $"Errors (counted as not read): {errors}, e.g. {rs.First(r => r.Error.Length > 0).File}: {rs.First(r => r.Error.Length > 0).Error}");
        int wrong = rs.Sum(r => r.Outcomes.Count(c => c == 'W'));
        sb.AppendLine(inv, $"Wrong mark IDs read (counted as not read): {wrong}.");
        sb.AppendLine();

        sb.AppendLine("Composition (clips):").AppendLine();
        sb.AppendLine("| class | " + string.Join(" | ", rates.Select(RateLabel)) + " | all |").AppendLine("|---|" + string.Concat(rates.Select(_ => "---:|")) + "---:|");
        foreach (string c in classes)
            sb.AppendLine(inv, $"| {c} | {string.Join(" | ", rates.Select(x => rs.Count(r => r.Class == c && r.Rate == x)))} | {rs.Count(r => r.Class == c)} |");
        sb.AppendLine(inv, $"| formats | {string.Join(" | ", rates.Select(x => string.Join(" ", rs.Where(r => r.Rate == x).Select(r => r.Format).Distinct().Order())))} | {string.Join(" ", rs.GroupBy(r => r.Format).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))} |").AppendLine();

        // Headline: every cell (clip × case, the stamped file included) against the targets.
        Tally hi = Count(rs.Where(r => r.Rate >= 22_050), any), lo = Count(rs.Where(r => r.Rate < 22_050), any);
        sb.AppendLine("Headline (cells = clip × case, the stamped file itself included; target ≥ 97 % for sources ≥ 22.05 kHz, ≥ 90 % at 16 kHz):").AppendLine();
        sb.AppendLine("| sources | clips | all cases | spec §5 suite | rate & codec attacks | stamped file (detector) | stamped file (`verify` path) |").AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, set) in new[] { ("≥ 22.05 kHz", rs.Where(r => r.Rate >= 22_050).ToList()), ("16 kHz", rs.Where(r => r.Rate < 22_050).ToList()), ("all", rs) })
        {
            if (set.Count == 0) continue;
            Tally a = Count(set, any), s = Count(set, i => spec.Contains(suite[i].Name)), n = Count(set, i => !spec.Contains(suite[i].Name));
            int none = Array.FindIndex(suite.ToArray(), x => x.Name == "none");
            sb.AppendLine(inv, $"| {label} | {set.Count} | {a} = {a.Percent} | {s} = {s.Percent} | {n} = {n.Percent} | {(none < 0 ? "" : Count(set, i => i == none).ToString())} | {set.Count(r => r.Verified)}/{set.Count} |");
        }
        sb.AppendLine();

        sb.AppendLine("By source rate × content class (all cases), worst first:").AppendLine();
        sb.AppendLine("| rate | class | clips | all cases | % | spec §5 | rate & codec |").AppendLine("|---|---|---:|---:|---:|---:|---:|");
        var cells = (from x in rates from c in classes
                     let set = rs.Where(r => r.Rate == x && r.Class == c).ToList()
                     where set.Count > 0
                     let t = Count(set, any)
                     orderby t.Rate, x, c
                     select (x, c, set, t)).ToList();
        foreach (var (x, c, set, t) in cells)
            sb.AppendLine(inv, $"| {RateLabel(x)} | {c} | {set.Count} | {t} | {t.Percent} | {Count(set, i => spec.Contains(suite[i].Name)).Percent} | {Count(set, i => !spec.Contains(suite[i].Name)).Percent} |");
        sb.AppendLine();

        sb.AppendLine("Each attack by source rate (read / clips), worst first; median coded-bit errors Viterbi corrected where read:").AppendLine();
        sb.AppendLine("| attack | " + string.Join(" | ", rates.Select(RateLabel)) + " | all | % | music | speech | effects | median bits corrected |")
          .AppendLine("|---|" + string.Concat(rates.Select(_ => "---:|")) + "---:|---:|---:|---:|---:|---:|");
        foreach (int i in idx.OrderBy(i => Count(rs, j => j == i).Rate).ThenBy(i => i))
        {
            Tally t = Count(rs, j => j == i);
            var corrected = rs.Where(r => r.Bits.Length > i && r.Bits[i] >= 0).Select(r => (double)r.Bits[i]).ToList();
            sb.AppendLine(inv, $"| {suite[i].Name} | {string.Join(" | ", rates.Select(x => Count(rs.Where(r => r.Rate == x), j => j == i)))} | {t} | {t.Percent} | {string.Join(" | ", new[] { "music", "speech", "effects" }.Select(c => Count(rs.Where(r => r.Class == c), j => j == i).Percent))} | {(corrected.Count > 0 ? Stats.Median(corrected).ToString("0", inv) : "")} |");
        }
        sb.AppendLine();

        sb.AppendLine("Source rate × content class × attack (read / clips; bold = not all read), rows worst first; columns in suite order:").AppendLine();
        sb.AppendLine("| rate | class | " + string.Join(" | ", suite.Select(a => a.Name)) + " |").AppendLine("|---|---|" + string.Concat(suite.Select(_ => "---:|")));
        foreach (var (x, c, set, _) in cells)
            sb.AppendLine(inv, $"| {RateLabel(x)} | {c} | {string.Join(" | ", idx.Select(i => Count(set, j => j == i).ToString()))} |");
        sb.AppendLine();

        var worst = (from x in rates from c in classes
                     let set = rs.Where(r => r.Rate == x && r.Class == c).ToList()
                     where set.Count > 0
                     from i in idx
                     let t = Count(set, j => j == i)
                     where t.Found < t.Total
                     orderby t.Rate, x, c, i
                     select $"{RateLabel(x)} / {c} / {suite[i].Name}: {t.Found}/{t.Total}").ToList();
        sb.AppendLine(inv, $"Rate × class × attack cells with a miss: {worst.Count} of {cells.Count * suite.Count}; the worst 30:").AppendLine();
        foreach (string w in worst.Take(30)) sb.AppendLine("- " + w);
        sb.AppendLine();

        sb.AppendLine("By format of the clip (the stamped file is re-encoded in it):").AppendLine();
        sb.AppendLine("| format | clips | stamped file | all cases % |").AppendLine("|---|---:|---:|---:|");
        foreach (var g in rs.GroupBy(r => r.Format).OrderBy(g => Count(g, any).Rate))
            sb.AppendLine(inv, $"| {g.Key} | {g.Count()} | {Count(g, i => suite[i].Name == "none")} | {Count(g, any).Percent} |");
        sb.AppendLine();

        var marked = rs.Where(r => !double.IsNaN(r.Snr)).ToList();
        if (marked.Count > 0)
        {
            sb.AppendLine("SNR of the mark (PCM before encoding; target ≥ 30 dB on every whole second):").AppendLine();
            sb.AppendLine("| rate | class | min file SNR dB | median file SNR dB | worst second dB | clips with a second < 30 dB |").AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var x in rates)
                foreach (var c in classes)
                {
                    var set = marked.Where(r => r.Rate == x && r.Class == c).ToList();
                    if (set.Count == 0) continue;
                    sb.AppendLine(inv, $"| {RateLabel(x)} | {c} | {set.Min(r => r.Snr):F1} | {Stats.Median(set.Select(r => r.Snr)):F1} | {set.Min(r => r.WorstSecondSnr):F1} | {set.Count(r => r.WorstSecondSnr < 30)} |");
                }
            var w = marked.MinBy(r => r.WorstSecondSnr)!;
            sb.AppendLine();
            sb.AppendLine(inv, $"Worst whole second over the corpus: {w.WorstSecondSnr:F1} dB ({w.File}); {marked.Count(r => r.WorstSecondSnr < 30)} of {marked.Count} clips have a second below 30 dB.");
            sb.AppendLine();
            sb.AppendLine(inv, $"Speed (one core each, PCM in memory, {jobs} clips at a time on a shared machine): embed median {Stats.Median(marked.Select(r => r.EmbedX)):F0}× realtime (min {marked.Min(r => r.EmbedX):F0}×), detect median {Stats.Median(marked.Select(r => r.DetectX)):F0}× realtime (min {marked.Min(r => r.DetectX):F0}×); detector managed allocation median {Stats.Median(marked.Select(r => r.DetectAlloc / 1048576.0)):F1} MiB, max {marked.Max(r => r.DetectAlloc) / 1048576.0:F1} MiB.");
            sb.AppendLine();
        }
        int trials = rs.Sum(r => r.FalseTrials), hits = rs.Sum(r => r.FalseHits);
        sb.AppendLine(inv, $"False detections: {hits} in {trials} trials (per clip: the unmarked clip with the right key and 5 wrong keys, the stamped clip with 4 wrong keys, the unmarked clip after MP3 64k, resample@48k, Opus 64k@48k and a 5 s excerpt, each with the right key and a wrong key){(hits > 0 ? ": " + string.Join(", ", rs.Where(r => r.FalseHits > 0).Select(r => $"{r.File} {r.FalseHits}")) : "")}.");
        return sb.ToString();
    }
}
