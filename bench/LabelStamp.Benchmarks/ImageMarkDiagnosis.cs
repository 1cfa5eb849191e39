using System.Globalization;
using System.Text;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `image-diagnose CORPUS_DIR FILE[,FILE…] [ATTACK|ATTACK…]`: why a corpus image's mark does or does not
/// read after an attack that keeps the geometry (re-encodes). Marks and saves the image as image-corpus
/// does, applies each attack to the marked file and to the unmarked original, and prints per attack:
/// the detector's verdict; how much of the embedded mark survives the attack (its projection on the
/// clean mark, per pixel and per 4 × 4 chip mean); and, at the true geometry (scale 1, tile offset 0),
/// the sync statistic T, the raw bit error rate of the soft bits against the coded payload, their
/// mean/deviation and whether Viterbi decodes, for the detector's own whitening ("pixel") and for the
/// chip-domain whitening (<see cref="ChipEvidence"/>: the detector's <see cref="ImageMarkChipFold"/> over the whole
/// image at phase 0, the form the seventh step's figures in bench/WATERMARK.md were measured with). Keys and IDs are image-corpus's.
/// </summary>
public static class ImageMarkDiagnosis
{
    private const int P = ImageMarkLayout.Period;
    private const int Chip = ImageMarkLayout.Chip;
    private const int Cps = ImageMarkLayout.ChipsPerSide;

    /// <summary>A corpus file marked with the watermark alone under <paramref name="key"/> (the ID from the file's
    /// name, as the corpus tables derive it) and re-encoded in its own format with the stamp's encoder settings.</summary>
    internal static (MarkId Id, byte[] Input, byte[] Marked) MarkCorpusFile(string root, string file, MarkKey key)
    {
        MarkId id = MarkId.Compute(key, "labelstamp-corpus", file);
        byte[] input = File.ReadAllBytes(Path.Combine(root, file));
        ImageHeader header = ImageHeader.Read(input, MediaSniffer.Sniff(input, file), file);
        using DecodedImage decoded = ImageCodec.Decode(input, header, file);
        var watermark = new ImageWatermark();
        watermark.Embed(decoded.Pixels, key, id);
        return (id, input, EncodeMarked(decoded, header, file, watermark, key, id));
    }

    /// <summary>A marked frame encoded in its own format as the stamp encodes it: a small lossy output is checked
    /// and, where the mark does not read back, encoded again finer (<see cref="MarkCheckedEncode"/>).</summary>
    internal static byte[] EncodeMarked(DecodedImage decoded, ImageHeader header, string file, ImageWatermark watermark, MarkKey key, MarkId id) =>
        MarkCheckedEncode.ChecksFile(header)
            ? MarkCheckedEncode.Encode(decoded, header, new ImageEncodeOptions(), file, f => watermark.ReadsBack(VipsPixels.Decode(f), key, id)).File
            : ImageCodec.Encode(decoded, header, new ImageEncodeOptions(), file);

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: image-diagnose CORPUS_DIR FILE[,FILE…] [ATTACK|ATTACK…]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        string[] files = args[1].Split(',');
        string[] names = (args.Length > 2 ? args[2] : "none -|jpeg q75|webp q50").Split('|', StringSplitOptions.TrimEntries);
        VipsRuntime.EnsureInitialised();
        var suite = ImageAttackSuite.All();
        MarkKey key = BenchKeys.Corpus;
        var layout = new ImageMarkLayout(key);
        Console.WriteLine("file | attack | verdict | T best | keep px | keep chip | pixel: T0 BER snr dec | chip: T0 BER snr dec | both: BER dec");
        foreach (string file in files)
        {
            var (id, input, marked) = MarkCorpusFile(root, file, key);
            var payload = MarkPayload.For(id, key);
            sbyte[] coded = PayloadCodec.Encode(payload);
            PixelBuffer original = VipsPixels.Decode(input), clean = VipsPixels.Decode(marked);
            float[] lo = LumaOf(original), lc = LumaOf(clean);
            int w = clean.Width, h = clean.Height;
            foreach (string name in names)
            {
                ImageAttack attack = suite.First(a => a.ToString() == name);
                PixelBuffer am = attack.Apply(clean), ao = attack.Apply(original);
                if (am.Width != w || am.Height != h || name.StartsWith("rotate", StringComparison.Ordinal))
                {
                    Console.WriteLine(GeometryLine(file, name, am, w, h, key, id, layout, coded));
                    continue;
                }
                var verdict = ImageMarkDetector.Read(am, key);
                float[] lm = LumaOf(am), la = LumaOf(ao);
                (double keepPx, double keepChip) = Retention(lo, lc, la, lm, w, h);
                var pixel = PixelEvidence(am, layout, coded);
                var chip = ChipEvidence(lm, w, h, layout, coded);
                float[] both = new float[coded.Length];
                for (int i = 0; i < both.Length; i++) both[i] = (float)(pixel.Soft[i] / pixel.Scale + chip.Soft[i] / chip.Scale);
                var sb = new StringBuilder();
                sb.Append(CultureInfo.InvariantCulture, $"{file} | {name} | {(verdict.Detection is { } d ? (d.MarkId == id ? $"read s{d.Scale:F2}" : "WRONG") : verdict.Present ? "present" : "-")} | {verdict.PresenceStatistic:F1} | {keepPx:F2} | {keepChip:F2} | ");
                sb.Append(CultureInfo.InvariantCulture, $"{pixel.T0:F1} {pixel.Ber:P1} {pixel.Snr:F2} {(pixel.Decodes ? "yes" : "no")} | ");
                sb.Append(CultureInfo.InvariantCulture, $"{chip.T0:F1} {chip.Ber:P1} {chip.Snr:F2} {(chip.Decodes ? "yes" : "no")} | ");
                sb.Append(CultureInfo.InvariantCulture, $"{Ber(both, coded):P1} {(Decodes(both, payload) ? "yes" : "no")}");
                Console.WriteLine(sb.ToString());
            }
        }
        return 0;
    }

    /// <summary>
    /// A geometric attack (a resize or a rotation about the centre): which stage fails. The true lattice is known
    /// from the attack (scale = the size ratio; a rotation by ±θ, both signs tried); the line gives its rank among
    /// the detector's lattice candidates at full resolution and binned 2 × 2 (0 = strongest; "-" = not among the
    /// first 60), then the fold at the true lattice over the detector's central region: the best sync statistic over
    /// every tile offset, the raw bit errors of the soft bits at that offset and whether Viterbi decodes there. A
    /// true-geometry fold that decodes while the detector misses is a geometry failure; one that does not is the payload.
    /// </summary>
    private static string GeometryLine(string file, string name, PixelBuffer am, int w0, int h0, MarkKey key, MarkId id,
        ImageMarkLayout layout, sbyte[] coded)
    {
        var verdict = ImageMarkDetector.Read(am, key);
        string v = verdict.Detection is { } d ? (d.MarkId == id ? $"read s{d.Scale:F2} r{d.RotationDegrees:F1}" : "WRONG") : verdict.Present ? "present" : "-";
        var (white, w, h, x0, y0) = CentralWhitened(am);
        var truths = new List<(double Ax, double Ay, double Bx, double By)>();
        if (name.StartsWith("rotate", StringComparison.Ordinal))
        {
            string deg = name[(name.LastIndexOf(' ') + 1)..].Replace("deg", "", StringComparison.Ordinal);
            double th = double.Parse(deg, CultureInfo.InvariantCulture) * Math.PI / 180;
            foreach (double t in new[] { th, -th })
                truths.Add((P * Math.Cos(t), P * Math.Sin(t), -P * Math.Sin(t), P * Math.Cos(t)));
        }
        else truths.Add((P * (double)am.Width / w0, 0, 0, P * (double)am.Height / h0));
        var full = ImageMarkDetector.RankedLattices(white, w, h, binned: false, 60);
        var binned = ImageMarkDetector.RankedLattices(white, w, h, binned: true, 60);
        var layoutSync = new ImageMarkSync(layout);
        double bestT = -1; double ber = 1; bool dec = false; int which = 0;
        for (int k = 0; k < truths.Count; k++)
        {
            var (ax, ay, bx, by) = truths[k];
            double det = ax * by - bx * ay;
            double m00 = P * by / det, m01 = -P * bx / det, m10 = -P * ay / det, m11 = P * ax / det;
            float[] fold = new float[P * P], t = new float[P * P];
            ImageMarkDetector.FoldAnyGeometry(white, w, 1, w - 1, 1, h - 1, x0, y0, m00, m01, m10, m11, fold);
            layoutSync.Statistic(fold, t);
            int peak = 0;
            for (int i = 1; i < t.Length; i++) if (t[i] > t[peak]) peak = i;
            if (t[peak] <= bestT) continue;
            bestT = t[peak]; which = k;
            float[] soft = new float[coded.Length];
            ImageMarkDetector.SoftBits(fold, layout, peak % P, peak / P, soft);
            ber = Ber(soft, coded);
            dec = PayloadCodec.Decode(soft) is { } pd && pd.Payload == MarkPayload.For(id, key);
        }
        string Rank(List<(double Ax, double Ay, double Bx, double By)> cands)
        {
            var (tax, tay, tbx, tby) = truths[which];
            for (int i = 0; i < cands.Count; i++)
            {
                var c = cands[i];
                foreach (var (vx, vy) in new[] { (c.Ax, c.Ay), (c.Bx, c.By), (-c.Ax, -c.Ay), (-c.Bx, -c.By) })
                    if (Math.Abs(vx - tax) + Math.Abs(vy - tay) < 3 || Math.Abs(vx - tbx) + Math.Abs(vy - tby) < 3) return i.ToString(CultureInfo.InvariantCulture);
            }
            return "-";
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{file} | {name} | {v} | {verdict.PresenceStatistic:F1} | geometry {am.Width}x{am.Height} | lattice rank full {Rank(full)} binned {Rank(binned)} | true-geometry fold: T {bestT:F1} BER {ber:P1} {(dec ? "decodes" : "no")}");
    }

    internal static float[] LumaOf(PixelBuffer p)
    {
        float[] l = new float[p.Width * p.Height];
        ImageMarkDetector.Luma(p, l, 0, 0, p.Width, p.Height);
        return l;
    }

    /// <summary>Projection of the attacked mark (attacked marked − attacked original) on the clean mark, per pixel
    /// and per 4 × 4 chip mean (chips lie on the image's 4-px grid): 1 = untouched, 0 = gone.</summary>
    private static (double, double) Retention(float[] lo, float[] lc, float[] la, float[] lm, int w, int h)
    {
        double num = 0, den = 0, cnum = 0, cden = 0;
        for (int i = 0; i < w * h; i++)
        {
            double c = lc[i] - lo[i], a = lm[i] - la[i];
            num += a * c; den += c * c;
        }
        for (int by = 0; by + Chip <= h; by += Chip)
            for (int bx = 0; bx + Chip <= w; bx += Chip)
            {
                double c = 0, a = 0;
                for (int y = by; y < by + Chip; y++)
                    for (int x = bx; x < bx + Chip; x++) { c += lc[y * w + x] - lo[y * w + x]; a += lm[y * w + x] - la[y * w + x]; }
                cnum += a * c; cden += c * c;
            }
        return (den > 0 ? num / den : double.NaN, cden > 0 ? cnum / cden : double.NaN);
    }

    private sealed record Evidence(float[] Soft, double T0, double Ber, double Snr, bool Decodes, double Scale);

    /// <summary>The detector's luma and whitening over the central region it analyses (8 periods + 4 px a side at most),
    /// with that region's size and its origin in the image.</summary>
    private static (float[] White, int W, int H, int X0, int Y0) CentralWhitened(PixelBuffer image)
    {
        int side = 8 * P + 4;
        int w = Math.Min(image.Width, side), h = Math.Min(image.Height, side);
        int x0 = (image.Width - w) / 2, y0 = (image.Height - h) / 2;
        float[] luma = new float[w * h], white = new float[w * h];
        ImageMarkDetector.Luma(image, luma, x0, y0, w, h);
        ImageMarkDetector.Whiten(luma, w, h, white, 0, 0, w, h);
        return (white, w, h, x0, y0);
    }

    /// <summary>The detector's whitening and fold at the untouched geometry over its central region; T at offset 0.</summary>
    private static Evidence PixelEvidence(PixelBuffer image, ImageMarkLayout layout, sbyte[] coded) =>
        Score(PixelChips(image), layout, coded);

    /// <summary>The detector's whitening folded at the untouched geometry, summed per chip (row-major chip index).</summary>
    internal static float[] PixelChips(PixelBuffer image) => ChipSums(PixelFold(image));

    /// <summary>The detector's whitening folded at the untouched geometry (P × P).</summary>
    internal static float[] PixelFold(PixelBuffer image)
    {
        var (white, w, h, x0, y0) = CentralWhitened(image);
        float[] fold = new float[P * P];
        ImageMarkDetector.FoldUntouched(white, w, 1, w - 1, 1, h - 1, x0, y0, fold);
        return fold;
    }

    /// <summary>A fold's sum over every 4 × 4 chip at offset 0 (row-major chip index).</summary>
    internal static float[] ChipSums(float[] fold)
    {
        float[] chips = new float[Cps * Cps];
        for (int y = 0; y < P; y++)
            for (int x = 0; x < P; x++) chips[y / Chip * Cps + x / Chip] += fold[y * P + x];
        return chips;
    }

    /// <summary>
    /// Chip-domain whitening at tile offset 0: the mean of every 4 × 4 chip cell, minus the mean of its eight
    /// neighbouring cells, each cell then divided by the mean |residual| of the 3 × 3 cells around it (plus
    /// a floor) and limited to ±2.5, folded modulo 64 cells.
    /// </summary>
    private static Evidence ChipEvidence(float[] luma, int w, int h, ImageMarkLayout layout, sbyte[] coded) =>
        Score(ChipDomainChips(luma, w, h), layout, coded);

    /// <summary>The chip-domain whitening folded at tile offset 0 (row-major chip index).</summary>
    internal static float[] ChipDomainChips(float[] luma, int w, int h)
    {
        int cw = w / Chip, ch = h / Chip;
        float[] m = new float[cw * ch], r = new float[cw * ch];
        for (int cy = 0; cy < ch; cy++)
            for (int cx = 0; cx < cw; cx++)
            {
                float s = 0;
                for (int y = cy * Chip; y < cy * Chip + Chip; y++)
                    for (int x = cx * Chip; x < cx * Chip + Chip; x++) s += luma[y * w + x];
                m[cy * cw + cx] = s / (Chip * Chip);
            }
        double absSum = 0; int count = 0;
        for (int cy = 1; cy < ch - 1; cy++)
            for (int cx = 1; cx < cw - 1; cx++)
            {
                float s = 0;
                for (int j = -1; j <= 1; j++)
                    for (int i = -1; i <= 1; i++) if (i != 0 || j != 0) s += m[(cy + j) * cw + cx + i];
                float v = m[cy * cw + cx] - s / 8;
                r[cy * cw + cx] = v;
                absSum += Math.Abs(v); count++;
            }
        float floor = (float)(0.1 * absSum / Math.Max(1, count)) + 0.1f;
        float[] fold = new float[Cps * Cps];
        for (int cy = 2; cy < ch - 2; cy++)
            for (int cx = 2; cx < cw - 2; cx++)
            {
                float s = 0;
                for (int j = -1; j <= 1; j++)
                    for (int i = -1; i <= 1; i++) s += Math.Abs(r[(cy + j) * cw + cx + i]);
                float v = r[cy * cw + cx] / (s / 9 + floor);
                fold[(cy % Cps) * Cps + cx % Cps] += Math.Clamp(v, -2.5f, 2.5f);
            }
        return fold;
    }

    private static Evidence Score(float[] chips, ImageMarkLayout layout, sbyte[] coded)
    {
        double c = 0, v = 0;
        float[] soft = new float[coded.Length];
        for (int k = 0; k < chips.Length; k++)
        {
            int b = layout.BitOfChip[k];
            if (b < 0) { c += layout.Signs[k] * chips[k]; v += (double)chips[k] * chips[k]; }
            else soft[b] += layout.Signs[k] * chips[k];
        }
        double mean = 0, sq = 0;
        for (int i = 0; i < soft.Length; i++) { double s = soft[i] * coded[i]; mean += s; sq += s * s; }
        mean /= soft.Length;
        double sd = Math.Sqrt(Math.Max(1e-30, sq / soft.Length - mean * mean));
        double rms = Math.Sqrt(Math.Max(1e-30, sq / soft.Length));
        var decoded = PayloadCodec.Decode(soft);
        return new Evidence(soft, v > 0 ? c / Math.Sqrt(v) : 0, Ber(soft, coded), mean / sd, decoded is not null && DecodedRight(decoded, coded), rms);
    }

    private static bool DecodedRight(PayloadDecode d, sbyte[] coded) => PayloadCodec.Encode(d.Payload).AsSpan().SequenceEqual(coded);

    private static bool Decodes(float[] soft, MarkPayload payload) => PayloadCodec.Decode(soft) is { } d && d.Payload == payload;

    private static double Ber(float[] soft, sbyte[] coded)
    {
        int e = 0;
        for (int i = 0; i < soft.Length; i++) if (soft[i] * coded[i] <= 0) e++;
        return (double)e / soft.Length;
    }
}
