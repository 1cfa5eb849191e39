using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;
using NetVips;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `image-corpus CORPUS_DIR [--every K] [--per-cell C] [--limit N] [--class C,…] [--files F,…] [--attacks A|B|…] [--jobs J] [--results FILE] [--report-only] [--null-only]`: the spec §5 image
/// attack suite over the development corpus made by bench/corpus/make-image-corpus.sh. For each image:
/// decode, embed the watermark layer alone as `stamp` does (same codec, matched encoder settings, no
/// visible label, no XMP), save in the image's own format, then read the clean file and every attack.
/// Also PSNR and SSIM (raw colour, and as displayed over black and white) of the mark alone and false detections on the unmarked original and with a wrong key.
/// Prints markdown tables by size band (short side) × content class × attack family, worst first.
/// <c>--every K</c> keeps every K-th image of the manifest, <c>--per-cell C</c> the first C of each size
/// band × class cell (a deterministic subset that still covers every cell), <c>--limit N</c> the first
/// N, <c>--class</c> the named content classes and <c>--files</c> the named manifest files (to iterate on the
/// failing images alone); <c>--attacks</c> keeps the named attacks of the suite (e.g. "jpeg q75|resize 0.9x", for a quick
/// comparison; the clean read is always made); <c>--results FILE</c> appends one line per finished image and skips images already there, so an
/// interrupted run resumes; <c>--report-only</c> prints the tables from that file alone (for the
/// selected images it holds); <c>--null-only</c> reads only the clean marked file and the false-detection trials
/// (the unmarked original and the wrong key, clean and after the null attacks), for a null run over the
/// whole corpus in a fraction of the time. Each image's line ends with the largest presence statistic of its null
/// trials, and the report names the largest of all (how far the nulls stay below the threshold).
/// </summary>
public static class ImageCorpusTable
{
    private const string Producer = "labelstamp-corpus";

    /// <summary>One image's outcome. <see cref="Outcomes"/> has one character per suite attack, in suite
    /// order: '1' read (right mark ID), 'P' the key's mark present but no ID (zero-bit tier), '0' neither,
    /// 'X' a wrong mark ID, 'E' the attack or the read threw. <see cref="Unmarked"/> and
    /// <see cref="WrongKey"/> hold the false-detection trials in the same letters ('0' is right there):
    /// the unmarked original clean and after <see cref="NullAttacks"/> under the test key, and the marked file
    /// clean and after the same attacks under a wrong key. Detect times are of the clean marked file and the
    /// clean unmarked original (ms, one thread).</summary>
    private sealed record ImageResult(string File, string Class, string Format, int Width, int Height, double Psnr, double Ssim,
        string Unmarked, string WrongKey, double Seconds, string Outcomes, string Error, double MarkedDetectMs = double.NaN, double UnmarkedDetectMs = double.NaN,
        double SsimDisplayed = double.NaN, double NullStatistic = double.NaN)
    {
        public bool UnmarkedDetected => Unmarked.Any(c => c != '0');
        public bool WrongKeyDetected => WrongKey.Any(c => c != '0');
    }

    /// <summary>Attacks applied to the null trials besides the clean file: a re-encode and the two new geometries.</summary>
    private static readonly string[] NullAttacks = ["jpeg q75", "flip horizontal", "rotate10 10deg"];

    public static int Run(string[] args)
    {
        if (args.Length < 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: image-corpus CORPUS_DIR [--every K] [--per-cell C] [--limit N] [--class C,…] [--files F,…] [--attacks A|B|…] [--jobs J] [--results FILE] [--report-only] [--null-only]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        int every = 1, perCell = int.MaxValue, limit = int.MaxValue, jobs = 2;
        string? resultsPath = null;
        string[]? attackNames = null, classes = null, files = null;
        bool reportOnly = false, nullOnly = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--report-only") { reportOnly = true; continue; }
            if (args[i] == "--null-only") { nullOnly = true; continue; }
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--every": every = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--per-cell": perCell = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--limit": limit = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--jobs": jobs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--results": resultsPath = value; break;
                case "--class": classes = value.Split(','); break;
                case "--files": files = value.Split(','); break;
                case "--attacks": attackNames = value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
            i++;
        }
        if (every < 1 || perCell < 1 || limit < 1 || jobs < 1) throw new ArgumentException("--every, --per-cell, --limit and --jobs must be ≥ 1");

        VipsRuntime.EnsureInitialised();
        IReadOnlyList<ImageAttack> suite = ImageAttackSuite.All();
        if (attackNames is not null)
        {
            string[] unknown = attackNames.Where(n => suite.All(a => a.ToString() != n)).ToArray();
            if (unknown.Length > 0) throw new ArgumentException($"unknown attack(s): {string.Join(", ", unknown)}; the suite has: {string.Join(" | ", suite)}");
            suite = suite.Where(a => attackNames.Contains(a.ToString()) || a.ToString() == "none -").ToList();
        }
        // The null trials take the null attacks the suite holds (--attacks may leave some out); --null-only keeps
        // all of them and reads nothing else of the marked file but the clean copy.
        List<ImageAttack> nullAttacks = suite.Where(a => NullAttacks.Contains(a.ToString())).ToList();
        if (nullOnly) suite = suite.Where(a => a.ToString() == "none -").ToList();
        string suiteKey = string.Join('|', suite.Select(a => a.ToString())) + (nullOnly ? " (null trials only)" : "");
        List<CorpusImage> all = ImageCorpusManifest.Read(root);
        var perCellCount = new Dictionary<(string, string), int>();
        List<CorpusImage> selected = all.Where((_, i) => i % every == 0)
            .Where(c => (classes is null || classes.Contains(c.Class)) && (files is null || files.Contains(c.File))).Where(c =>
        {
            var cell = (ImageCorpusManifest.BandOf(c.Width, c.Height), c.Class);
            int n = perCellCount.GetValueOrDefault(cell);
            perCellCount[cell] = n + 1;
            return n < perCell;
        }).Take(limit).ToList();
        string selection = $"every {every}{(classes is null ? "" : $", class {string.Join(',', classes)}")}{(files is null ? "" : $", {files.Length} named files")}{(perCell == int.MaxValue ? "" : $", first {perCell} per size band × class")}{(limit == int.MaxValue ? "" : $", first {limit}")}";

        var results = new ConcurrentDictionary<string, ImageResult>(StringComparer.Ordinal);
        if (resultsPath is not null) LoadResults(resultsPath, suiteKey, results);
        if (reportOnly && resultsPath is null) throw new ArgumentException("--report-only needs --results FILE");
        var todo = selected.Where(c => !reportOnly && !results.ContainsKey(c.File))
            .OrderByDescending(c => c.Pixels).ThenBy(c => c.File, StringComparer.Ordinal).ToList(); // largest first: shorter tail
        Console.Error.WriteLine($"corpus {root}: {all.Count} images, {selected.Count} selected ({selection}), {selected.Count(c => results.ContainsKey(c.File))} already in results, {todo.Count} to run, {suite.Count} attacks, {jobs} jobs");

        MarkKey key = BenchKeys.Corpus;
        MarkKey wrongKey = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 11 + 3)).ToArray());
        var wall = Stopwatch.StartNew();
        var writeLock = new object();
        int done = 0;
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = jobs }, image =>
        {
            ImageResult r = Process(root, image, suite, nullAttacks, key, wrongKey);
            results[image.File] = r;
            lock (writeLock)
            {
                done++;
                if (resultsPath is not null) File.AppendAllText(resultsPath, Serialise(r) + "\n");
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{done}/{todo.Count}] {r.File} {r.Width}x{r.Height} {r.Seconds:F1} s  clean {(r.Outcomes[0] == '1' ? "read" : r.Outcomes[0] == 'P' ? "PRESENT" : "MISSED")}  suite {r.Outcomes.Count(c => c == '1')}/{r.Outcomes.Length}  PSNR {r.Psnr:F1} SSIM {r.Ssim:F4} raw, {r.SsimDisplayed:F4} displayed{(r.Error.Length > 0 ? "  error: " + r.Error : "")}"));
            }
        });
        wall.Stop();

        var chosen = selected.Where(c => results.ContainsKey(c.File)).Select(c => results[c.File]).ToList();
        if (chosen.Count < selected.Count) Console.WriteLine($"Only {chosen.Count} of the {selected.Count} selected images have results (an interrupted run or --report-only).\n");
        Console.WriteLine(Report(root, all.Count, selection, jobs, suite, chosen, wall.Elapsed));
        return 0;
    }

    private static ImageResult Process(string root, CorpusImage image, IReadOnlyList<ImageAttack> suite, List<ImageAttack> nullAttacks, MarkKey key, MarkKey wrongKey)
    {
        var sw = Stopwatch.StartNew();
        var watermark = new ImageWatermark();
        MarkId id = MarkId.Compute(key, Producer, image.File);
        byte[] input = File.ReadAllBytes(Path.Combine(root, image.File));
        MediaFormat format = MediaSniffer.Sniff(input, image.File);
        ImageHeader header = ImageHeader.Read(input, format, image.File);
        byte[] marked;
        double psnr, ssim, ssimDisplayed;
        using (DecodedImage decoded = ImageCodec.Decode(input, header, image.File))
        {
            var original = new PixelBuffer((byte[])decoded.Pixels.Data.Clone(), decoded.Pixels.Width, decoded.Pixels.Height, decoded.Pixels.Bands);
            watermark.Embed(decoded.Pixels, key, id);
            psnr = ImageQuality.Psnr(original, decoded.Pixels);
            ssim = ImageQuality.Ssim(original, decoded.Pixels);
            ssimDisplayed = ImageQuality.SsimDisplayed(original, decoded.Pixels);
            marked = ImageMarkDiagnosis.EncodeMarked(decoded, header, image.File, watermark, key, id);
        }

        PixelBuffer unmarkedPixels = VipsPixels.Decode(input);
        PixelBuffer clean = VipsPixels.Decode(marked);
        long t0 = Stopwatch.GetTimestamp();
        ImageMarkDetector.Read(clean, key);
        double markedMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        t0 = Stopwatch.GetTimestamp();
        ImageMarkDetector.Read(unmarkedPixels, key);
        double unmarkedMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        // The largest presence statistic of the null trials shows how far they stay from the threshold, not only
        // that they stay under it.
        double nullStatistic = 0;
        char NullLetter(ImageMarkVerdict v)
        {
            nullStatistic = Math.Max(nullStatistic, v.PresenceStatistic);
            return Letter(v, id);
        }
        string unmarked = new(nullAttacks.Prepend(null).Select(a => NullLetter(ImageMarkDetector.Read(a is null ? unmarkedPixels : a.Apply(unmarkedPixels), key))).ToArray());
        string wrong = new(nullAttacks.Prepend(null).Select(a => NullLetter(ImageMarkDetector.Read(a is null ? clean : a.Apply(clean), wrongKey))).ToArray());

        var outcomes = new StringBuilder(suite.Count);
        string firstError = "";
        foreach (ImageAttack attack in suite)
        {
            try
            {
                outcomes.Append(Letter(ImageMarkDetector.Read(attack.Apply(clean), key), id));
            }
            catch (Exception e) when (e is VipsException or LabelStampException or ArgumentException or InvalidOperationException)
            {
                // Counted as not read and reported in the table's error count with the first message.
                outcomes.Append('E');
                if (firstError.Length == 0) firstError = $"{attack}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
        }
        return new ImageResult(image.File, image.Class, image.Format, image.Width, image.Height, psnr, ssim,
            unmarked, wrong, sw.Elapsed.TotalSeconds, outcomes.ToString(), firstError, markedMs, unmarkedMs, ssimDisplayed, nullStatistic);
    }

    private static char Letter(ImageMarkVerdict v, MarkId expected) =>
        v.Detection is { } d ? (d.MarkId == expected ? '1' : 'X') : v.Present ? 'P' : '0';

    // ------------------------------------------------------------------ results file

    private static string Serialise(ImageResult r) => string.Join('\t', r.File, r.Class, r.Format,
        r.Width.ToString(CultureInfo.InvariantCulture), r.Height.ToString(CultureInfo.InvariantCulture),
        r.Psnr.ToString("R", CultureInfo.InvariantCulture), r.Ssim.ToString("R", CultureInfo.InvariantCulture),
        r.Unmarked, r.WrongKey, r.Seconds.ToString("F2", CultureInfo.InvariantCulture),
        r.Outcomes, r.Error.Replace('\t', ' '), r.MarkedDetectMs.ToString("F1", CultureInfo.InvariantCulture),
        r.UnmarkedDetectMs.ToString("F1", CultureInfo.InvariantCulture), r.SsimDisplayed.ToString("R", CultureInfo.InvariantCulture),
        r.NullStatistic.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Results of earlier runs, kept only if they were made with the same attack suite (the file's
    /// first line names it).</summary>
    private static void LoadResults(string path, string suiteKey, ConcurrentDictionary<string, ImageResult> into)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            File.WriteAllText(path, "# suite " + suiteKey + "\n");
            return;
        }
        string[] lines = File.ReadAllLines(path);
        if (lines[0] != "# suite " + suiteKey)
            throw new InvalidOperationException($"{path} was written with another attack suite; remove it or pass another --results file");
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split('\t');
            if (f.Length < 11) continue; // a line cut by an interrupted run: that image runs again
            into[f[0]] = new ImageResult(f[0], f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture), f[7], f[8],
                double.Parse(f[9], CultureInfo.InvariantCulture), f[10], f.Length > 11 ? f[11] : "",
                f.Length > 13 ? double.Parse(f[12], CultureInfo.InvariantCulture) : double.NaN,
                f.Length > 13 ? double.Parse(f[13], CultureInfo.InvariantCulture) : double.NaN,
                f.Length > 14 ? double.Parse(f[14], CultureInfo.InvariantCulture) : double.NaN,
                f.Length > 15 ? double.Parse(f[15], CultureInfo.InvariantCulture) : double.NaN);
        }
    }

    // ------------------------------------------------------------------ report

    private static string BandOf(ImageResult r) => ImageCorpusManifest.BandOf(r.Width, r.Height);

    /// <summary>Attack family for the tables: the suite's name, "clean" for the unattacked file.</summary>
    private static string FamilyOf(ImageAttack a) => a.Name == "none" ? "clean" : a.Name;

    private readonly record struct Tally(int Found, int Total)
    {
        public double Rate => Total == 0 ? double.NaN : (double)Found / Total;
        public Tally Add(bool found) => new(Found + (found ? 1 : 0), Total + 1);
        public static Tally operator +(Tally a, Tally b) => new(a.Found + b.Found, a.Total + b.Total);
        public override string ToString() => Total == 0 ? "" : Found == Total ? $"{Found}/{Total}" : $"**{Found}/{Total}**";
        public string Percent => Total == 0 ? "" : (100.0 * Found / Total).ToString("F1", CultureInfo.InvariantCulture) + " %";
    }

    private static Tally Count(IEnumerable<ImageResult> rs, Func<int, bool> attackFilter)
    {
        var t = new Tally();
        foreach (var r in rs)
            for (int i = 0; i < r.Outcomes.Length; i++)
                if (attackFilter(i)) t = t.Add(r.Outcomes[i] == '1');
        return t;
    }

    private static Tally CountPresent(IEnumerable<ImageResult> rs, Func<int, bool> attackFilter)
    {
        var t = new Tally();
        foreach (var r in rs)
            for (int i = 0; i < r.Outcomes.Length; i++)
                if (attackFilter(i)) t = t.Add(r.Outcomes[i] is '1' or 'P');
        return t;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? double.NaN : v.Count % 2 == 1 ? v[v.Count / 2] : 0.5 * (v[v.Count / 2 - 1] + v[v.Count / 2]);
    }

    private static string Report(string root, int corpusSize, string selection, int jobs, IReadOnlyList<ImageAttack> suite,
        List<ImageResult> rs, TimeSpan wall)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string[] classes = rs.Select(r => r.Class).Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] bands = ImageCorpusManifest.Bands.Where(b => rs.Any(r => BandOf(r) == b)).ToArray();
        string[] families = suite.Select(FamilyOf).Distinct().ToArray();
        int[] suiteIdx = Enumerable.Range(0, suite.Count).ToArray();
        Func<int, bool> any = _ => true;
        Func<int, bool> attacksOnly = i => suite[i].Name != "none";
        Func<int, bool> Family(string f) => i => FamilyOf(suite[i]) == f;

        sb.AppendLine(inv, $"Corpus `{root}`: {rs.Count} of {corpusSize} images ({selection}); {suite.Count} cases per image (clean + {suite.Count - 1} attacks); {jobs} jobs; wall time {wall:hh\\:mm\\:ss} for the images run now, {rs.Sum(r => r.Seconds) / 60:F1} min of per-image time in total ({rs.Sum(r => r.Seconds) / Math.Max(1e-9, rs.Sum(r => r.Width * (double)r.Height) / 1e6):F2} s/MP).");
        int errors = rs.Sum(r => r.Outcomes.Count(c => c == 'E'));
        if (errors > 0) sb.AppendLine(inv, $"Errors (counted as not read): {errors}, e.g. {rs.First(r => r.Error.Length > 0).File}: {rs.First(r => r.Error.Length > 0).Error}");
        sb.AppendLine();

        sb.AppendLine("Composition (images; size band = short side in px):").AppendLine();
        sb.AppendLine("| class | " + string.Join(" | ", bands) + " | all |").AppendLine("|---|" + string.Concat(bands.Select(_ => "---:|")) + "---:|");
        foreach (string c in classes)
            sb.AppendLine(inv, $"| {c} | {string.Join(" | ", bands.Select(b => rs.Count(r => r.Class == c && BandOf(r) == b)))} | {rs.Count(r => r.Class == c)} |");
        sb.AppendLine(inv, $"| all | {string.Join(" | ", bands.Select(b => rs.Count(r => BandOf(r) == b)))} | {rs.Count} |").AppendLine();

        sb.AppendLine("By size band (found / total; suite = every attack, clean file excluded; the last column counts only images whose clean marked file reads):").AppendLine();
        sb.AppendLine("| size band | images | clean | JPEG q75 | suite | suite % | suite % where clean reads |").AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        int jpeg75 = suite.ToList().FindIndex(a => a.ToString() == "jpeg q75");
        foreach (string b in bands.Append("all"))
        {
            var set = rs.Where(r => b == "all" || BandOf(r) == b).ToList();
            Tally s = Count(set, attacksOnly);
            sb.AppendLine(inv, $"| {b} | {set.Count} | {Count(set, i => i == 0)} | {Count(set, i => i == jpeg75)} | {s} | {s.Percent} | {Count(set.Where(r => r.Outcomes[0] == '1'), attacksOnly).Percent} |");
        }
        sb.AppendLine();

        sb.AppendLine("By class:").AppendLine();
        sb.AppendLine("| class | images | clean | JPEG q75 | suite | suite % | suite % where clean reads |").AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (string c in classes.OrderBy(c => Count(rs.Where(r => r.Class == c), attacksOnly).Rate))
        {
            var set = rs.Where(r => r.Class == c).ToList();
            Tally s = Count(set, attacksOnly);
            sb.AppendLine(inv, $"| {c} | {set.Count} | {Count(set, i => i == 0)} | {Count(set, i => i == jpeg75)} | {s} | {s.Percent} | {Count(set.Where(r => r.Outcomes[0] == '1'), attacksOnly).Percent} |");
        }
        sb.AppendLine();

        sb.AppendLine("By format of the input (the marked file is saved in the same format):").AppendLine();
        sb.AppendLine("| format | images | clean | suite | suite % |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var g in rs.GroupBy(r => ImageCorpusManifest.FormatFamily(r.Format)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Tally s = Count(g, attacksOnly);
            sb.AppendLine(inv, $"| {g.Key} | {g.Count()} | {Count(g, i => i == 0)} | {s} | {s.Percent} |");
        }
        sb.AppendLine();

        sb.AppendLine("Size band × class × attack family, worst first (found / total; bold = not all read):").AppendLine();
        sb.AppendLine("| size band | class | images | " + string.Join(" | ", families) + " | suite % |");
        sb.AppendLine("|---|---|---:|" + string.Concat(families.Select(_ => "---:|")) + "---:|");
        var cells = from b in bands from c in classes
                    let set = rs.Where(r => BandOf(r) == b && r.Class == c).ToList()
                    where set.Count > 0
                    let s = Count(set, attacksOnly)
                    orderby s.Rate, b, c
                    select (b, c, set, s);
        foreach (var (b, c, set, s) in cells)
            sb.AppendLine(inv, $"| {b} | {c} | {set.Count} | {string.Join(" | ", families.Select(f => Count(set, Family(f)).ToString()))} | {s.Percent} |");
        sb.AppendLine();

        sb.AppendLine("Each attack by size band, worst first:").AppendLine();
        sb.AppendLine("| attack | " + string.Join(" | ", bands) + " | all | % |").AppendLine("|---|" + string.Concat(bands.Select(_ => "---:|")) + "---:|---:|");
        foreach (int i in suiteIdx.OrderBy(i => Count(rs, j => j == i).Rate).ThenBy(i => i))
        {
            Tally t = Count(rs, j => j == i);
            sb.AppendLine(inv, $"| {suite[i]} | {string.Join(" | ", bands.Select(b => Count(rs.Where(r => BandOf(r) == b), j => j == i)))} | {t} | {t.Percent} |");
        }
        sb.AppendLine();

        int[] neverRead = suiteIdx.Where(i => Count(rs, j => j == i).Found == 0).ToArray();
        if (neverRead.Length > 0)
            sb.AppendLine("Never read on any image: " + string.Join(", ", neverRead.Select(i => suite[i].ToString())) + " (left out of the list below).").AppendLine();
        var unread = (from b in bands from c in classes
                      let set = rs.Where(r => BandOf(r) == b && r.Class == c).ToList()
                      where set.Count > 0
                      let clean = Count(set, i => i == 0)
                      where clean.Rate < 0.5
                      orderby clean.Rate, b, c
                      select (b, c, clean)).ToList();
        if (unread.Count > 0)
            sb.AppendLine("Cells where even the clean marked file reads in fewer than half the images (every attack fails there too): " +
                string.Join(", ", unread.Select(u => $"{u.b} / {u.c} ({u.clean.Found}/{u.clean.Total})")) + ".").AppendLine();
        sb.AppendLine("Worst single attacks in the other cells (size band × class × attack, read rate below 50 %, lowest first):").AppendLine();
        var worst = (from b in bands from c in classes
                     let set = rs.Where(r => BandOf(r) == b && r.Class == c).ToList()
                     where set.Count > 0 && !unread.Any(u => u.b == b && u.c == c)
                     from i in suiteIdx
                     where !neverRead.Contains(i)
                     let t = Count(set, j => j == i)
                     where t.Rate < 0.5
                     orderby t.Rate, t.Total descending, b, c, i
                     select $"{b} / {c} / {suite[i]}: {t.Found}/{t.Total}").ToList();
        sb.AppendLine(inv, $"{worst.Count} such cells; the first 25:").AppendLine();
        foreach (string w in worst.Take(25)) sb.AppendLine("- " + w);
        sb.AppendLine();

        sb.AppendLine("Fidelity of the mark alone (before encoding), worst per size band × class; SSIM as displayed = composited over black and over white, the worse (the target), raw = colour under alpha 0 counted too:").AppendLine();
        sb.AppendLine("| size band | class | min PSNR dB | median PSNR dB | min SSIM displayed | min SSIM raw | below 40 dB | displayed below 0.98 | raw below 0.98 |").AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string b in bands)
            foreach (string c in classes)
            {
                var set = rs.Where(r => BandOf(r) == b && r.Class == c).ToList();
                if (set.Count == 0) continue;
                var psnrs = set.Select(r => r.Psnr).Order().ToList();
                sb.AppendLine(inv, $"| {b} | {c} | {psnrs[0]:F2} | {psnrs[psnrs.Count / 2]:F2} | {set.Min(r => r.SsimDisplayed):F4} | {set.Min(r => r.Ssim):F4} | {set.Count(r => r.Psnr < 40)} | {set.Count(r => r.SsimDisplayed < 0.98)} | {set.Count(r => r.Ssim < 0.98)} |");
            }
        sb.AppendLine();
        sb.AppendLine(inv, $"All images: PSNR min {rs.Min(r => r.Psnr):F2} dB, SSIM displayed min {rs.Min(r => r.SsimDisplayed):F4} ({rs.Count(r => r.SsimDisplayed < 0.98)} below 0.98), SSIM raw min {rs.Min(r => r.Ssim):F4} ({rs.Count(r => r.Ssim < 0.98)} below 0.98).");
        sb.AppendLine("Lowest SSIM displayed: " + string.Join(", ", rs.OrderBy(r => r.SsimDisplayed).Take(5).Select(r => string.Create(inv, $"{r.File} {r.SsimDisplayed:F4} ({r.Psnr:F1} dB)"))) + ".");
        sb.AppendLine("Lowest SSIM raw: " + string.Join(", ", rs.OrderBy(r => r.Ssim).Take(5).Select(r => string.Create(inv, $"{r.File} {r.Ssim:F4} ({r.Psnr:F1} dB)"))) + ".");
        sb.AppendLine("Lowest PSNR: " + string.Join(", ", rs.OrderBy(r => r.Psnr).Take(5).Select(r => string.Create(inv, $"{r.File} {r.Psnr:F2} dB"))) + ".");
        sb.AppendLine();

        sb.AppendLine("Two tiers (found = right mark ID; found or present = ID, or this key's mark present by the zero-bit sync test alone):").AppendLine();
        sb.AppendLine("| size band | images | clean found | clean found or present | JPEG q75 found | JPEG q75 found or present | suite found | suite found or present |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string b in bands.Append("all"))
        {
            var set = rs.Where(r => b == "all" || BandOf(r) == b).ToList();
            sb.AppendLine(inv, $"| {b} | {set.Count} | {Count(set, i => i == 0)} | {CountPresent(set, i => i == 0)} | {Count(set, i => i == jpeg75)} | {CountPresent(set, i => i == jpeg75)} | {Count(set, attacksOnly).Percent} | {CountPresent(set, attacksOnly).Percent} |");
        }
        sb.AppendLine();

        var timed = rs.Where(r => !double.IsNaN(r.MarkedDetectMs)).ToList();
        if (timed.Count > 0)
        {
            sb.AppendLine("Detection time of one read (clean marked file / unmarked original, one thread, this run's load), median ms/MP:").AppendLine();
            sb.AppendLine("| size band | images | marked ms/MP | unmarked ms/MP |").AppendLine("|---|---:|---:|---:|");
            foreach (string b in bands.Append("all"))
            {
                var set = timed.Where(r => b == "all" || BandOf(r) == b).ToList();
                if (set.Count == 0) continue;
                sb.AppendLine(inv, $"| {b} | {set.Count} | {Median(set.Select(r => r.MarkedDetectMs / (r.Width * (double)r.Height / 1e6))):F1} | {Median(set.Select(r => r.UnmarkedDetectMs / (r.Width * (double)r.Height / 1e6))):F1} |");
            }
            sb.AppendLine();
        }

        int trialsUnmarked = rs.Sum(r => r.Unmarked.Length), trialsWrong = rs.Sum(r => r.WrongKey.Length);
        int FalseIds(string t) => t.Count(c => c is '1' or 'X');
        int FalsePresent(string t) => t.Count(c => c == 'P');
        string Which(Func<ImageResult, bool> f) => rs.Any(f) ? " (" + string.Join(", ", rs.Where(f).Select(r => r.File)) + ")" : "";
        sb.AppendLine(inv, $"False detections over {trialsUnmarked + trialsWrong} null trials ({trialsUnmarked} unmarked: each original clean{(rs.Any(r => r.Unmarked.Length > 1) ? " and after " + string.Join(", ", NullAttacks) : "")}, under the test key; {trialsWrong} marked files, the same cases, under a wrong key): "
            + $"false ID {rs.Sum(r => FalseIds(r.Unmarked))} unmarked + {rs.Sum(r => FalseIds(r.WrongKey))} wrong key{Which(r => FalseIds(r.Unmarked) + FalseIds(r.WrongKey) > 0)}; "
            + $"false present {rs.Sum(r => FalsePresent(r.Unmarked))} unmarked + {rs.Sum(r => FalsePresent(r.WrongKey))} wrong key{Which(r => FalsePresent(r.Unmarked) + FalsePresent(r.WrongKey) > 0)}. "
            + $"Wrong ID read with the right key: {rs.Sum(r => r.Outcomes.Count(c => c == 'X'))}.");
        var withStatistic = rs.Where(r => !double.IsNaN(r.NullStatistic)).ToList();
        if (withStatistic.Count > 0)
        {
            ImageResult top = withStatistic.MaxBy(r => r.NullStatistic)!;
            sb.AppendLine(inv, $"Largest presence statistic of a null trial: {top.NullStatistic:F2} ({top.File}; over the {withStatistic.Count} images that recorded it).");
        }
        return sb.ToString();
    }
}
