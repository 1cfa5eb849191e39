using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `image-layout-oracle CORPUS_DIR FILE[,FILE…] [ATTACK|ATTACK…] [SEEDS]`: what another chip layout or payload code would
/// read, from the evidence the current mark leaves. Marks and saves each image as image-corpus does, applies each
/// attack, and takes every chip's evidence at the true geometry (tile offset 0) in the detector's pixel whitening,
/// signed by the chip's embedded value (positive = agrees). The embedded amplitude does not depend on which chip
/// carries what (the mask and budgets see only |chip|), so re-dealing the same 4,096 chip values to a different
/// number of sync chips and coded bits shows what that layout would have read on this very image and attack. For
/// each variant, SEEDS random deals (seeds 0 … SEEDS − 1) of random messages are decoded; the line gives how many
/// decoded, and the sync statistic the variant's sync chips would show at the true offset (mean over deals).
/// Each layout is tried on several readings of the same image: the detector's pixel fold ("pixel"), the chip means
/// ("chip"), the fold high-passed again (3 × 3 or 5 × 5 mean removed, or a ring correlator), the chip sums limited to 1
/// or 2 × their rms, and pixel and chip-mean sums weighted by their reliability (taken from every chip's known value:
/// an upper bound on what a detector could weigh with). bench/WATERMARK.md, eleventh step.
/// </summary>
public static class ImageLayoutOracle
{
    private sealed record Code(string Name, int K, int[] Generators);

    private sealed record Variant(string Name, int SyncChips, int MessageBits, Code Code);

    private static readonly Code K7R3 = new("K7 r1/3", 7, [0b1011011, 0b1111001, 0b1110101]);
    private static readonly Code K9R3 = new("K9 r1/3", 9, [Convert.ToInt32("557", 8), Convert.ToInt32("663", 8), Convert.ToInt32("711", 8)]);
    private static readonly Code K7R4 = new("K7 r1/4", 7, [Convert.ToInt32("117", 8), Convert.ToInt32("127", 8), Convert.ToInt32("155", 8), Convert.ToInt32("171", 8)]);
    private static readonly Code K9R4 = new("K9 r1/4", 9, [Convert.ToInt32("463", 8), Convert.ToInt32("535", 8), Convert.ToInt32("733", 8), Convert.ToInt32("745", 8)]);

    private static readonly Variant[] Variants =
    [
        new("v1: sync 1024, 104 bits", 1024, 104, K7R3),
        new("sync 512, 104 bits", 512, 104, K7R3),
        new("sync 1024, 100 bits", 1024, 100, K7R3),
        new("sync 512, 100 bits", 512, 100, K7R3),
        new("sync 256, 100 bits", 256, 100, K7R3),
        new("sync 512, 100 bits K9", 512, 100, K9R3),
        new("sync 512, 100 bits K7 r1/4", 512, 100, K7R4),
        new("sync 512, 100 bits K9 r1/4", 512, 100, K9R4),
    ];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: image-layout-oracle CORPUS_DIR FILE[,FILE…] [ATTACK|ATTACK…] [SEEDS]");
            return 2;
        }
        string root = Path.GetFullPath(args[0]);
        string[] files = args[1].Split(',');
        string[] names = (args.Length > 2 ? args[2] : "none -|jpeg q75").Split('|', StringSplitOptions.TrimEntries);
        int seeds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 32;
        VipsRuntime.EnsureInitialised();
        var suite = ImageAttackSuite.All();
        MarkKey key = BenchKeys.Corpus;
        var layout = new ImageMarkLayout(key);
        Console.WriteLine("file | attack | domain | " + string.Join(" | ", Variants.Select(v => v.Name + ": dec T")));
        var totals = new int[names.Length, 11, Variants.Length];
        foreach (string file in files)
        {
            var (id, _, marked) = ImageMarkDiagnosis.MarkCorpusFile(root, file, key);
            sbyte[] coded = PayloadCodec.Encode(MarkPayload.For(id, key));
            sbyte[] values = layout.ChipValues(coded);
            PixelBuffer clean = VipsPixels.Decode(marked);
            for (int a = 0; a < names.Length; a++)
            {
                PixelBuffer am = suite.First(x => x.ToString() == names[a]).Apply(clean);
                float[] fold = ImageMarkDiagnosis.PixelFold(am);
                float[] pixel = ImageMarkDiagnosis.ChipSums(fold);
                float[] chipDomain = ImageMarkDiagnosis.ChipDomainChips(ImageMarkDiagnosis.LumaOf(am), am.Width, am.Height);
                var domains = new (string Name, float[] Chips)[]
                {
                    ("pixel", pixel), ("chip", chipDomain),
                    ("pix-hp3", ImageMarkDiagnosis.ChipSums(HighPass(fold, 1))),
                    ("pix-hp5", ImageMarkDiagnosis.ChipSums(HighPass(fold, 2))),
                    ("pix-ring", RingSums(fold)),
                    ("pix-clip1", Clipped(pixel, 1.0)),
                    ("pix-clip2", Clipped(pixel, 2.0)),
                    ("pix+chip", Combined(pixel, chipDomain, values)),
                    ("hp3-clip1", Clipped(ImageMarkDiagnosis.ChipSums(HighPass(fold, 1)), 1.0)),
                    ("chip-clip1", Clipped(chipDomain, 1.0)),
                    ("pix+chip-clip1", Combined(Clipped(pixel, 1.0), Clipped(chipDomain, 1.0), values)),
                };
                for (int d = 0; d < domains.Length; d++)
                {
                    float[] e = new float[pixel.Length];
                    for (int c = 0; c < e.Length; c++) e[c] = values[c] * domains[d].Chips[c];
                    var line = new System.Text.StringBuilder($"{file} | {names[a]} | {domains[d].Name}");
                    for (int v = 0; v < Variants.Length; v++)
                    {
                        var (ok, t) = Simulate(e, domains[d].Chips, Variants[v], seeds);
                        totals[a, d, v] += ok * 2 >= seeds ? 1 : 0;
                        line.Append(CultureInfo.InvariantCulture, $" | {ok}/{seeds} {t:F1}");
                    }
                    Console.WriteLine(line.ToString());
                }
            }
        }
        for (int a = 0; a < names.Length; a++)
            for (int d = 0; d < 11; d++)
                Console.WriteLine($"TOTAL {names[a]} {new[] { "pixel", "chip", "pix-hp3", "pix-hp5", "pix-ring", "pix-clip1", "pix-clip2", "pix+chip", "hp3-clip1", "chip-clip1", "pix+chip-clip1" }[d]} (images decoding in at least half the deals) | " +
                    string.Join(" | ", Enumerable.Range(0, Variants.Length).Select(v => $"{Variants[v].Name}: {totals[a, d, v]}/{files.Length}")));
        return 0;
    }

    /// <summary>Every chip sum limited to ±k times the chips' rms: an outlier chip (a glyph edge the whitening left
    /// standing) weighs no more than k typical ones.</summary>
    private static float[] Clipped(float[] chips, double k)
    {
        double sq = 0;
        foreach (float c in chips) sq += (double)c * c;
        float lim = (float)(k * Math.Sqrt(sq / chips.Length));
        return chips.Select(c => Math.Clamp(c, -lim, lim)).ToArray();
    }

    /// <summary>Pixel and chip-domain chip sums, each scaled by its own sync-estimated reliability (mean over its
    /// variance of the signed evidence, here over every chip: the oracle knows every chip's value).</summary>
    private static float[] Combined(float[] a, float[] b, sbyte[] values)
    {
        static double Weight(float[] x, sbyte[] v)
        {
            double m = 0, q = 0;
            for (int i = 0; i < x.Length; i++) { double e = v[i] * x[i]; m += e; q += e * e; }
            m /= x.Length; double var = q / x.Length - m * m;
            return var > 0 ? m / var : 0;
        }
        double wa = Weight(a, values), wb = Math.Max(0, Weight(b, values));
        return a.Select((x, i) => (float)(wa * x + wb * b[i])).ToArray();
    }

    /// <summary>The fold minus its cyclic (2r + 1)² mean.</summary>
    private static float[] HighPass(float[] fold, int r)
    {
        const int P = ImageMarkLayout.Period;
        float[] o = new float[fold.Length];
        float n = (2 * r + 1) * (2 * r + 1);
        for (int y = 0; y < P; y++)
            for (int x = 0; x < P; x++)
            {
                float s = 0;
                for (int j = -r; j <= r; j++)
                    for (int i = -r; i <= r; i++) s += fold[((y + j) & (P - 1)) * P + ((x + i) & (P - 1))];
                o[y * P + x] = fold[y * P + x] - s / n;
            }
        return o;
    }

    /// <summary>Per chip: the sum of its 12 border pixels minus the 20 pixels around it (the 3 × 3 high-pass's own template, roughly).</summary>
    private static float[] RingSums(float[] fold)
    {
        const int P = ImageMarkLayout.Period, C = ImageMarkLayout.Chip, Cps = ImageMarkLayout.ChipsPerSide;
        float[] chips = new float[Cps * Cps];
        for (int cy = 0; cy < Cps; cy++)
            for (int cx = 0; cx < Cps; cx++)
            {
                float s = 0;
                for (int j = -1; j <= C; j++)
                    for (int i = -1; i <= C; i++)
                    {
                        bool inside = j >= 0 && j < C && i >= 0 && i < C;
                        bool core = j >= 1 && j < C - 1 && i >= 1 && i < C - 1;
                        bool corner = (j == -1 || j == C) && (i == -1 || i == C);
                        if (core || corner) continue;
                        float v = fold[((cy * C + j) & (P - 1)) * P + ((cx * C + i) & (P - 1))];
                        s += inside ? v : -0.6f * v;
                    }
                chips[cy * Cps + cx] = s;
            }
        return chips;
    }

    /// <summary>Decodes <paramref name="seeds"/> random deals of the evidence to the variant's layout; returns how many
    /// decoded the right message and the mean sync statistic at the true offset.</summary>
    private static (int Decoded, double T) Simulate(float[] e, float[] chips, Variant v, int seeds)
    {
        int rate = v.Code.Generators.Length, tail = v.Code.K - 1;
        int n = (v.MessageBits + tail) * rate;
        int ok = 0; double tSum = 0;
        int[] order = new int[e.Length];
        byte[] msg = new byte[v.MessageBits], cw = new byte[n], outMsg = new byte[v.MessageBits];
        float[] soft = new float[n];
        for (int s = 0; s < seeds; s++)
        {
            var rng = new Random(1_000_003 * (s + 1));
            for (int i = 0; i < order.Length; i++) order[i] = i;
            for (int i = order.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            for (int i = 0; i < msg.Length; i++) msg[i] = (byte)rng.Next(2);
            Encode(v.Code, msg, cw);
            double num = 0, den = 0;
            for (int k = 0; k < v.SyncChips; k++) { num += e[order[k]]; den += (double)chips[order[k]] * chips[order[k]]; }
            tSum += den > 0 ? num / Math.Sqrt(den) : 0;
            Array.Clear(soft);
            for (int k = v.SyncChips; k < order.Length; k++)
            {
                int b = (k - v.SyncChips) % n;
                soft[b] += (cw[b] * 2 - 1) * e[order[k]];
            }
            Decode(v.Code, soft, outMsg);
            if (outMsg.AsSpan().SequenceEqual(msg)) ok++;
        }
        return (ok, tSum / seeds);
    }

    private static void Encode(Code code, byte[] msg, byte[] coded)
    {
        int k = code.K, state = 0, o = 0;
        for (int i = 0; i < msg.Length + k - 1; i++)
        {
            int b = i < msg.Length ? msg[i] : 0;
            int reg = (b << (k - 1)) | state;
            foreach (int g in code.Generators) coded[o++] = (byte)(System.Numerics.BitOperations.PopCount((uint)(reg & g)) & 1);
            state = reg >> 1;
        }
    }

    private static void Decode(Code code, float[] soft, byte[] msg)
    {
        int k = code.K, states = 1 << (k - 1), rate = code.Generators.Length, steps = msg.Length + k - 1;
        var outs = new sbyte[states * 2 * rate];
        for (int s = 0; s < states; s++)
            for (int b = 0; b < 2; b++)
            {
                int reg = (b << (k - 1)) | s;
                for (int g = 0; g < rate; g++)
                    outs[(s * 2 + b) * rate + g] = (sbyte)((System.Numerics.BitOperations.PopCount((uint)(reg & code.Generators[g])) & 1) * 2 - 1);
            }
        var metric = new float[states];
        var next = new float[states];
        Array.Fill(metric, float.NegativeInfinity);
        metric[0] = 0;
        var surv = new byte[steps * states];
        for (int t = 0; t < steps; t++)
        {
            for (int ns = 0; ns < states; ns++)
            {
                int b = ns >> (k - 2);
                int pa = (ns << 1) & (states - 1), pb = pa | 1;
                float ma = metric[pa], mb = metric[pb];
                for (int g = 0; g < rate; g++)
                {
                    float sv = soft[t * rate + g];
                    ma += outs[(pa * 2 + b) * rate + g] * sv;
                    mb += outs[(pb * 2 + b) * rate + g] * sv;
                }
                if (mb > ma) { next[ns] = mb; surv[t * states + ns] = 1; }
                else { next[ns] = ma; surv[t * states + ns] = 0; }
            }
            (metric, next) = (next, metric);
        }
        int state = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            int b = state >> (k - 2);
            if (t < msg.Length) msg[t] = (byte)b;
            state = ((state << 1) & (states - 1)) | surv[t * states + state];
        }
    }
}
