using System.Diagnostics;
using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Robustness.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- video-mark-probe CLIP PROBE_SECONDS STRENGTHS [start|mid]`:
/// the closed-loop calibration of the video mark's strength, measured (round 8). The first PROBE_SECONDS of CLIP
/// are marked at each strength (the product embedder, amplitude 6, key 1) and taken through two probes:
/// "delivered" — the stamp's own encoder (<see cref="VideoCodecs"/>), then the development set's harshest re-encode
/// without its excerpt (x264 veryfast CRF 30, scaled to the combined attack's height) — and "direct" — the raw marked
/// frames straight into that CRF 30 re-encode, one encode instead of two. Per strength: the delivered probe's bytes
/// over the unmarked probe's (what the clip's bytes ratio would be, if the probe is typical), and per probe the mark's
/// margin on the mean of its frames: the correlation of the normalised cells with the known codeword as a z-score
/// (continuous, so it says how far from the edge a reading is; the detector's own z when it decodes), the coded bits
/// whose soft sum has the wrong sign (what the Viterbi decoder must correct), and the detector's verdict. The CPU-s of
/// each probe (own + reaped ffmpeg children) against a plain transcode of the whole clip give the probe's share of the
/// CPU budget. The last line applies the calibration rule (<see cref="Choose"/>). Exploration, not product code.
/// </summary>
public static class VideoMarkProbe
{
    /// <summary>The margin the delivered probe must keep at the chosen strength: the known-codeword z of the probe's
    /// mean after the stamp's encode and a CRF 30 re-encode at the combined attack's height. 18 is what today's mark
    /// shows on the same probe on its thinnest clip (the fast 1080p photo pan, z 17.6 at full strength; after the
    /// full combined attack it reads there with 48 bits corrected, z 19), so no clip is left thinner than today's
    /// thinnest; the detector still decodes at z ≈ 15. (Set after the first probes: at 20 the VP9 gradients keep full
    /// strength, their 1/4 probe being z 18.6.)</summary>
    public const double RequiredZ = 18;

    /// <summary>A lower strength is taken only if the mark's own extra bytes on its probe (bytes / plain probe − 1) are at
    /// most this share of full strength's: the probe is 2 s, and on the VP9 gradients 3/4 strength cost 0.97 of full
    /// strength's extra bytes on the probe but more than full strength on 6 s (1.018 ×).</summary>
    public const double BytesMargin = 0.95;

    public static int Run(string clip, double probeSeconds, double[] strengths, string probeAt = "start")
    {
        var tools = new ToolRunner();
        string work = Path.Combine(Path.GetTempPath(), "ls-video-probe-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var (input, format, ext, info) = VideoMarkShape.ReadClip(clip, tools);
            var encoder = VideoCodecs.EncoderArguments(info, new VideoLabelOptions());
            var key = VideoMarkShape.Key(1);
            var id = MarkId.Compute(key, "producer", "shape");
            var payload = MarkPayload.For(id, key);
            var embedder = new VideoMarkEmbedder(key, payload, info.Width, info.Height);
            int probeHeight = VideoAttackSuite.For(VideoAttackSuite.Development.Single(a => a.Name == "combined-crf30"), info.Height).ScaleHeight;
            var reencode = new VideoAttack("probe-crf30", 30, ScaleHeight: probeHeight);
            var direct = new List<string>();
            if (probeHeight > 0) direct.AddRange(["-vf", $"scale=-2:{probeHeight.ToString(CultureInfo.InvariantCulture)}:flags=bicubic"]);
            direct.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p"]);

            double duration = info.Duration.TotalSeconds;
            // "mid": the probe centred in the clip, where the combined attack's excerpt is cut, instead of the first seconds.
            double start = probeAt == "mid" ? Math.Max(0, (duration - probeSeconds) / 2) : 0;
            double cpu0 = CpuClock.Now();
            VideoMarkShape.Transcode(clip, duration + 1, info, encoder, null, Path.Combine(work, "whole" + ext), ext);
            double wholeCpu = CpuClock.Now() - cpu0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(clip)}, {info.Width}×{info.Height}, {duration:0.#} s; probe: {probeSeconds} s from {start:0.##} s, re-encode at {(probeHeight > 0 ? probeHeight + "p" : "full size")}; plain transcode of the whole clip {wholeCpu:0.00} CPU-s; encoder: {string.Join(' ', encoder.Take(6))}"));
            Console.WriteLine();
            Console.WriteLine("| strength | probe bytes / plain probe | delivered + CRF 30: z, raw bit errors, detector | direct CRF 30: z, raw bit errors, detector | CPU-s delivered (encode + re-encode + read) | CPU-s direct (encode + read) |");
            Console.WriteLine("|---:|---:|---|---|---:|---:|");
            long plainProbe = 0;
            var rows = new List<(double Strength, double Bytes, double Z, double DirectZ, double Cpu, double DirectCpu)>();
            foreach (double s in strengths.Prepend(0))
            {
                Action<byte[]>? mark = s <= 0 ? null : f => embedder.Embed(f, s);
                string tag = s.ToString("0.###", CultureInfo.InvariantCulture);
                string delivered = Path.Combine(work, $"d{tag}{ext}"), attacked = Path.Combine(work, $"d{tag}-crf30.mp4"), once = Path.Combine(work, $"q{tag}.mp4");
                double c0 = CpuClock.Now();
                VideoMarkShape.Transcode(clip, probeSeconds, info, encoder, mark, delivered, ext, start);
                long bytes = new FileInfo(delivered).Length;
                if (s <= 0)
                {
                    plainProbe = bytes;
                    continue;
                }
                reencode.ApplyAsync(delivered, attacked, probeSeconds, tools, default).GetAwaiter().GetResult();
                var (z, raw, det) = Margin(attacked, key, payload, id);
                double c1 = CpuClock.Now();
                VideoMarkShape.Transcode(clip, probeSeconds, info, direct, mark, once, ".mp4", start);
                var (dz, draw, ddet) = Margin(once, key, payload, id);
                double c2 = CpuClock.Now();
                rows.Add((s, (double)bytes / plainProbe, z, dz, c1 - c0, c2 - c1));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {tag} | {(double)bytes / plainProbe:0.000} | z {z:0.0}, {raw}, {det} | z {dz:0.0}, {draw}, {ddet} | {c1 - c0:0.00} | {c2 - c1:0.00} |"));
            }
            var (chosen, used, cpu) = Choose(rows.Select(r => (r.Strength, r.Z, r.Bytes, r.Cpu)).ToList());
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rule (of the strengths whose delivered probe keeps z ≥ {RequiredZ}, the one whose probe costs the fewest bytes if its extra bytes are at most {BytesMargin} of full strength's, else full strength): strength {chosen:0.##} after {used} probes, {cpu:0.00} CPU-s = {cpu / wholeCpu:0.000} of the whole clip's plain transcode"));
            return 0;
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("LS_KEEP") is { } keep) Directory.Move(work, keep);
            else Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The calibration rule on measured probes: of the strengths whose delivered probe keeps <see cref="RequiredZ"/>,
    /// the one whose probe costs the fewest bytes; full strength (today's mark) whenever no lower strength keeps the
    /// margin more cheaply. Why bytes and not simply the least strength: on libvpx 3–4 levels cost more than 6 (round 7's
    /// gradients), so a weaker mark is not always a cheaper one. Every strength is probed (four probes).</summary>
    public static (double Strength, int Probes, double Cpu) Choose(IReadOnlyList<(double Strength, double Z, double Bytes, double Cpu)> probes)
    {
        var full = probes.Single(p => p.Strength == 1);
        var best = probes.Where(p => p.Z >= RequiredZ && p.Bytes - 1 <= BytesMargin * (full.Bytes - 1)).OrderBy(p => p.Bytes).Select(p => p.Strength).DefaultIfEmpty(1).First();
        return (best, probes.Count, probes.Sum(p => p.Cpu));
    }

    /// <summary>The mark's margin on the mean luma of every frame of <paramref name="path"/>: known-codeword z, coded
    /// bits whose soft sum has the wrong sign, and the detector's verdict (bits corrected, or miss).</summary>
    private static (double Z, int RawErrors, string Detector) Margin(string path, MarkKey key, MarkPayload payload, MarkId id)
    {
        var (mean, w, h) = MeanLuma(path);
        var layout = VideoMarkLayout.For(key, w, h);
        float[] stat = VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        // The cells as the detector weighs them (all zero on a plane that carries nothing).
        float[] norm = VideoMarkDetector.NormalisedCells(stat, texture, layout) ?? new float[stat.Length];
        sbyte[] coded = PayloadCodec.Encode(payload);
        float[] soft = new float[coded.Length];
        double dot = 0, sq = 0;
        for (int c = 0; c < norm.Length; c++)
        {
            float v = norm[c];
            soft[layout.CellBit[c]] += v;
            dot += v * coded[layout.CellBit[c]];
            sq += v * v;
        }
        int raw = 0;
        for (int b = 0; b < coded.Length; b++) if (soft[b] * coded[b] <= 0) raw++;
        var d = VideoMarkDetector.Detect(mean, w, h, key);
        string det = d is null ? "**miss**" : d.MarkId == id ? $"{d.BitErrorsCorrected} corrected" : "**WRONG**";
        return (sq > 0 ? dot / Math.Sqrt(sq) : 0, raw, det);
    }

    private static (float[] Mean, int Width, int Height) MeanLuma(string path)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path }) psi.ArgumentList.Add(a);
        int w, h;
        using (var p = Process.Start(psi)!)
        {
            string[] f = p.StandardOutput.ReadToEnd().Trim().Split(',');
            p.WaitForExit();
            w = int.Parse(f[0], CultureInfo.InvariantCulture);
            h = int.Parse(f[1], CultureInfo.InvariantCulture);
        }
        var dec = new ProcessStartInfo("nice") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "10", "ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "gray", "-" }) dec.ArgumentList.Add(a);
        using var d = Process.Start(dec)!;
        var src = d.StandardOutput.BaseStream;
        byte[] buf = new byte[w * h];
        double[] sum = new double[w * h];
        int frames = 0;
        while (true)
        {
            int got = 0;
            while (got < buf.Length) { int k = src.Read(buf, got, buf.Length - got); if (k == 0) break; got += k; }
            if (got < buf.Length) break;
            for (int i = 0; i < buf.Length; i++) sum[i] += buf[i];
            frames++;
        }
        d.WaitForExit();
        float[] mean = new float[w * h];
        for (int i = 0; i < mean.Length; i++) mean[i] = (float)(sum[i] / Math.Max(1, frames));
        return (mean, w, h);
    }
}
