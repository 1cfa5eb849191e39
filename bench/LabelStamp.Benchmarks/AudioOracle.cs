using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Robustness.Audio;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `audio-oracle CORPUS_DIR --attacks a,b [--clips f1,f2 | --per-cell C] [--product] [--bands] [--weights-bound] [--informed λ1,λ2] [--caps c1,c2] [--snr t1,t2] [--strength s1,s2] [--list-configs CxL@tau,..]`: the quick loop for changes to
/// the mark. Each clip is marked the way <c>stamp</c> marks it (<see cref="AudioMarkTrial.StampAsync"/>;
/// with <c>--product</c>, the file <see cref="AudioLabeler"/> writes in the clip's own format, decoded, as
/// audio-corpus attacks it: that includes the product's re-encode) and put through the named attacks of <see cref="AudioAttackSuite.Extended"/>; per attack it prints
/// whether the detector read it and the oracle view (<see cref="AudioMarkDetector"/>'s best-agreeing
/// alignment): raw coded-bit errors of 330, bit SNR d′, sync z and rank. A data failure (low d′, sync
/// rank 0) needs more evidence per bit; a sync failure (high rank) a better sync. Every unmarked
/// attacked clip is also read with the right key (a false detection is reported). The summary per
/// attack: cells read, median raw errors, median d′. Key and mark IDs as in audio-corpus.
/// <c>--weights-bound</c> adds the d′ the soft bits would have with per-band weights from the true bits
/// (regions of 5, 10 and 40 bands: dw16, dw8, dw2), an upper bound for any detector-side band weighting.
/// <c>--informed</c> marks each clip once per informed-embedding weight λ (the embedder run over the whole
/// clip at once, not through the labeler) and tags the rows with it; the unmarked trials run once.
/// <c>--caps</c> does the same per cap on a band's relative change (<see cref="AudioMarkEmbedder.MaxBandGain"/>),
/// at the product's λ unless <c>--informed</c> names others (then every λ with every cap).
/// <c>--snr</c> does the same per target of the frame governor in dB (<see cref="AudioMarkEmbedder.TargetSnrDb"/>;
/// the whole-second floor stays 30.05 dB) and <c>--strength</c> per embedding strength (<see cref="AudioMarkEmbedder.DefaultStrength"/>),
/// crossed with any λ and cap named.
/// </summary>
public static class AudioOracle
{
    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: audio-oracle CORPUS_DIR --attacks a,b [--clips f1,f2 | --per-cell C] [--product] [--bands]"); return 2; }
        string root = Path.GetFullPath(args[0]);
        IReadOnlyList<AudioAttack> attacks = AudioAttackSuite.Extended;
        string[]? clipNames = null;
        int perCell = int.MaxValue;
        bool product = false;
        bool bands = false;
        bool weightsBound = false;
        float[]? lambdas = null;
        float[]? caps = null;
        double[]? targets = null;
        float[]? strengths = null;
        var bandRows = new List<(string Attack, double[] Groups)>();
        var configs = new List<(int C, int L, double Tau, int Deep)>();
        for (int i = 1; i < args.Length; i += 2)
        {
            if (args[i] == "--product") { product = true; i--; continue; }
            if (args[i] == "--bands") { bands = true; i--; continue; }
            if (args[i] == "--weights-bound") { weightsBound = true; i--; continue; }
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--attacks": attacks = AudioAttackSuite.Named(args[i + 1].Split(',')); break;
                case "--clips": clipNames = args[i + 1].Split(','); break;
                case "--list-configs":
                    foreach (string c in args[i + 1].Split(','))
                    {
                        // CxL@tau, e.g. 4x64@0.2: stage 2 over the best C candidates, L words each, sync p ≤ tau;
                        // CxLdD@tau: only the first D candidates get L words, the rest the shallow list.
                        var at = c.Split('@'); var cl = at[0].Split('x'); var ld = cl[1].Split('d');
                        configs.Add((int.Parse(cl[0], CultureInfo.InvariantCulture), int.Parse(ld[0], CultureInfo.InvariantCulture), double.Parse(at[1], CultureInfo.InvariantCulture),
                            ld.Length > 1 ? int.Parse(ld[1], CultureInfo.InvariantCulture) : int.MaxValue));
                    }
                    break;
                case "--informed": lambdas = args[i + 1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--caps": caps = args[i + 1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--strength": strengths = args[i + 1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--snr": targets = args[i + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--per-cell": perCell = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (product && (lambdas is not null || caps is not null || targets is not null)) throw new ArgumentException("--informed, --caps and --snr mark PCM; --product stamps with the product's λ, cap and target");
        // The embedder variants: (λ, cap) pairs, or none (the product's own mark through AudioMarkTrial).
        bool knobs = strengths is not null;
        (float Lambda, float Cap, double Target, float Strength)[]? variants = lambdas is null && caps is null && targets is null && !knobs ? null
            : (lambdas ?? [AudioMarkEmbedder.InformedLambda]).SelectMany(l => (caps ?? [AudioMarkEmbedder.MaxBandGain])
                .SelectMany(c => (targets ?? [AudioMarkEmbedder.TargetSnrDb]).SelectMany(t => (strengths ?? [AudioMarkEmbedder.DefaultStrength])
                .Select(st => (l, c, t, st))))).ToArray();
        var clips = AudioCorpusTable.ReadManifest(root);
        if (clipNames is not null) clips = clips.Where(c => clipNames.Contains(c.File, StringComparer.Ordinal)).ToList();
        var count = new Dictionary<(int, string), int>();
        clips = clips.Where(c => { int n = count.GetValueOrDefault((c.Rate, c.Class)); count[(c.Rate, c.Class)] = n + 1; return n < perCell; }).ToList();

        var key = BenchKeys.Corpus;
        var tools = new ToolRunner();
        var rows = new List<(string Attack, string Clip, bool Read, int Raw, double DPrime)>();
        int falseHits = 0, falseTrials = 0;
        var configReads = new Dictionary<string, int>();
        foreach (var clip in clips)
        {
            var id = MarkId.Compute(key, "labelstamp-corpus", clip.File);
            // The coded bits the embedder writes: its payload carries the audio format's version
            // (AudioMarkLayout.FormatVersion), not MarkPayload.For's, and the version is under the CRC.
            var coded = PayloadCodec.Encode(new MarkPayload(id, AudioMarkLayout.FormatVersion, MarkPayload.KeyNibbleOf(key)));
            float[] pcm = AudioCorpusTable.Decode(Path.Combine(root, clip.File), clip.Rate, clip.Channels);
            // One mark per variant (the product's alone without --informed); the unmarked trials run once per clip.
            for (int variant = 0; variant < (variants?.Length ?? 1); variant++)
            {
            string tag = variants is null ? "" : knobs || targets is not null ? string.Create(CultureInfo.InvariantCulture, $"[snr {variants[variant].Target} strength {variants[variant].Strength}] ")
                : targets is not null ? string.Create(CultureInfo.InvariantCulture, $"[snr {variants[variant].Target}] ")
                : caps is null ? string.Create(CultureInfo.InvariantCulture, $"[λ {variants[variant].Lambda}] ")
                : string.Create(CultureInfo.InvariantCulture, $"[λ {variants[variant].Lambda} cap {variants[variant].Cap}] ");
            float[]? marked;
            if (variants is null) marked = AudioMarkTrial.StampAsync(pcm, clip.Rate, clip.Channels, key, id).GetAwaiter().GetResult();
            else if (clip.Rate < AudioMarkLayout.MinimumEmbedRate) marked = null;
            else
            {
                marked = (float[])pcm.Clone();
                new AudioMarkEmbedder(new AudioMarkLayout(key), MarkPayload.For(id, key), clip.Rate, clip.Channels, variants[variant].Strength, variants[variant].Lambda, variants[variant].Cap, variants[variant].Target).ProcessAll(marked);
            }
            if (marked is null) { Console.WriteLine($"{clip.File}: not marked (rate {clip.Rate})"); continue; }
            if (product)
            {
                byte[] input = File.ReadAllBytes(Path.Combine(root, clip.File));
                var format = MediaSniffer.Sniff(input, clip.File);
                var (stamped, _) = new AudioLabeler(tools).LabelAsync(input, AudioMarkTrial.WatermarkOnly(clip.File, format, key, id), default).GetAwaiter().GetResult();
                marked = AudioCorpusTable.DecodeBytes(stamped, Path.GetExtension(clip.File), clip.Rate, clip.Channels);
            }
            foreach (var attack in attacks)
            {
                var x = attack.AttackAsync(marked, clip.Rate, clip.Channels, tools, default).GetAwaiter().GetResult();
                {
                string attackName = tag + attack.Name;
                var d = new AudioMarkDetector(new AudioMarkLayout(key), x.SampleRate, x.Channels);
                d.Add(x.Samples);
                var (o, bestLane) = d.OracleAt(coded);
                if (bands && bestLane >= 0)
                {
                    // Mean band z per eighth of the band range (10 bands, 862 Hz each, from 517 Hz).
                    var z = d.BandEvidence(coded, bestLane, o.Cell);
                    var groups = new double[8];
                    for (int b = 0; b < z.Length; b++) groups[b * 8 / z.Length] += z[b] / (z.Length / 8);
                    bandRows.Add((attackName, groups));
                }
                string bound = weightsBound && bestLane >= 0 ? string.Create(CultureInfo.InvariantCulture,
                    $"  dw16 {d.GenieWeightedDPrime(coded, bestLane, o.Cell, 16):F2} dw8 {d.GenieWeightedDPrime(coded, bestLane, o.Cell, 8):F2} dw2 {d.GenieWeightedDPrime(coded, bestLane, o.Cell, 2):F2}") : "";
                var r = d.Finish();
                bool read = r is not null && r.Payload.MarkId == id;
                string alt = "";
                foreach (var (c, l, tau, deep) in configs)
                {
                    var ra = d.Finish(c, l, tau, deep);
                    string key2 = deep == int.MaxValue ? $"{c}x{l}@{tau}" : $"{c}x{l}d{deep}@{tau}";
                    bool ok = ra is not null && ra.Payload.MarkId == id;
                    configReads[key2] = configReads.GetValueOrDefault(key2) + (ok ? 1 : 0);
                    alt += $"  {key2}:{(ok ? "read" : ra is null ? "--" : "WRONG")}";
                }
                rows.Add((attackName, clip.File, read, o.BitErrors, o.DPrime));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{clip.File,-30} {attackName,-37} {(read ? "read" : "--"),-4} raw {o.BitErrors,3}/330  d' {o.DPrime,5:F2}  z {o.Z,5:F1} rank {o.SyncRank,4}{(r is null ? "" : $"  corrected {r.BitErrorsCorrected}")}{bound}{alt}"));
                }
                if (variant > 0) continue;
                var u = attack.AttackAsync(pcm, clip.Rate, clip.Channels, tools, default).GetAwaiter().GetResult();
                falseTrials++;
                if (AudioMarkTrial.Detect(u.Samples, u.SampleRate, u.Channels, key) is not null) falseHits++;
            }
            }
        }
        Console.WriteLine();
        Console.WriteLine("| attack | read | median raw errors | median d' |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Attack))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.Count(r => r.Read)}/{g.Count()} | {Stats.Median(g.Select(r => (double)r.Raw))} | {Stats.Median(g.Select(r => r.DPrime)):F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| all | {rows.Count(r => r.Read)}/{rows.Count} | {Stats.Median(rows.Select(r => (double)r.Raw))} | {Stats.Median(rows.Select(r => r.DPrime)):F2} |"));
        if (bands)
        {
            // Which frequencies carry the mark after each attack: median over clips of the mean band z.
            Console.WriteLine();
            Console.WriteLine("| attack | " + string.Join(" | ", Enumerable.Range(0, 8).Select(g => string.Create(CultureInfo.InvariantCulture, $"{(517 + g * 861.3) / 1000:F1}-{(517 + (g + 1) * 861.3) / 1000:F1} kHz"))) + " |");
            Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 8)));
            foreach (var g in bandRows.GroupBy(r => r.Attack))
                Console.WriteLine("| " + g.Key + " | " + string.Join(" | ", Enumerable.Range(0, 8).Select(k => Stats.Median(g.Select(r => r.Groups[k])).ToString("F2", CultureInfo.InvariantCulture))) + " |");
        }
        foreach (var (k2, n) in configReads) Console.WriteLine($"stage 2 as {k2}: {n}/{rows.Count} read");
        Console.WriteLine($"false detections (unmarked, right key): {falseHits}/{falseTrials}");
        return 0;
    }
}
