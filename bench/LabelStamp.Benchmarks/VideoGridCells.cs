using System.Diagnostics;
using System.Globalization;
using System.Text;
using LabelStamp.Marks.Payload;
using LabelStamp.Marks.Video;
using LabelStamp.Media;
using LabelStamp.Pipeline;
using LabelStamp.Media.Video;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `video-grid-cells CLIP[,CLIP...] CELLS[,CELLS...] OUT_DIR [AMPLITUDE]` (issue 18, round 16): does a coarser static grid
/// read better on frames made under 540p? Per clip, its decoded yuv420p frames are marked by the product's
/// <see cref="VideoMarkEmbedder"/> with CELLS cells across the shorter side (36 is the product's grid) at the product's
/// amplitude, encoded as the stamp encodes an H.264 input (libx264 medium, the CRF of <see cref="VideoCodecs.EstimateCrf"/>
/// from the clip's own bits per pixel), then attacked as bench/video-attacks.sh does (x264 veryfast CRF 23 and 30, x265
/// fast CRF 28), and each file's frames sampled as verify samples them (<see cref="VideoMarkSampling"/>) are averaged and
/// read by <see cref="VideoMarkDetector"/> on that grid: bits corrected and z, or "miss" with the z of the cells against
/// the true codeword (the margin left, comparable across grids: z ≈ √330 × the per-coded-bit SNR whatever the cells per
/// bit). The unmarked clip is read on every grid too (a false detection would show as "FALSE"). Fidelity: PSNR on Y over
/// every marked frame against the decoded original, SSIM on Y (8 × 8 windows, stride 4, the image path's constants) on
/// every 10th frame. One markdown row per clip × grid on stdout, and OUT_DIR/grid-cells.tsv.
/// </summary>
public static class VideoGridCells
{
    private static readonly string[] Attacks = ["stamp", "h264-crf23-vf", "h264-crf30-vf", "h265-crf28"];

    public static int Run(string[] clips, int[] cells, string work, double amplitude)
    {
        var key = BenchKeys.Sequential(1);
        var payload = MarkPayload.For(new Labels.MarkId(0x1a2b_3c4d_5e6f_7081), key);
        sbyte[] coded = PayloadCodec.Encode(payload);
        Directory.CreateDirectory(work);
        string tsv = Path.Combine(work, "grid-cells.tsv");
        if (!File.Exists(tsv))
            File.WriteAllText(tsv, "clip\theight\tcells\tgrid\tcell_px\tpsnr_y\tssim_y\tstamp_bytes\tunmarked\t" + string.Join('\t', Attacks) + "\n");
        Console.WriteLine("| clip | cells | grid | cell px | PSNR Y dB | SSIM Y | stamp bytes | unmarked | " + string.Join(" | ", Attacks) + " |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---|" + string.Concat(Enumerable.Repeat("---|", Attacks.Length)));
        foreach (string clip in clips)
        {
            var (w, h) = GrayFrames.Size(clip);
            List<byte[]> frames = ReadYuv(clip, w, h);
            double bpp = new FileInfo(clip).Length * 8.0 / ((double)w * h * frames.Count);
            int crf = VideoCodecs.EstimateCrf(bpp);
            string name = Path.GetFileNameWithoutExtension(clip);
            foreach (int n in cells)
            {
                var embedder = new VideoMarkEmbedder(key, payload, w, h, amplitude, n);
                var layout = embedder.Layout;
                string unmarked = Read(clip, w, h, frames.Count, key, n, coded, payload);
                double se = 0, ssim = 0;
                int ssimFrames = 0;
                string stamp = Path.Combine(work, $"{name}.c{n}.stamp.mp4");
                using (var enc = Encoder(w, h, stamp, "libx264", "medium", crf))
                {
                    byte[] marked = new byte[w * h * 3 / 2];
                    for (int f = 0; f < frames.Count; f++)
                    {
                        frames[f].CopyTo(marked, 0);
                        embedder.Embed(marked.AsSpan(0, w * h));
                        for (int p = 0; p < w * h; p++)
                        {
                            int d = marked[p] - frames[f][p];
                            se += d * d;
                        }
                        if (f % 10 == 0)
                        {
                            ssim += SsimY(frames[f], marked, w, h);
                            ssimFrames++;
                        }
                        enc.StandardInput.BaseStream.Write(marked);
                    }
                    enc.StandardInput.Close();
                    enc.WaitForExit();
                    if (enc.ExitCode != 0) throw new InvalidOperationException("ffmpeg (stamp encode) failed");
                }
                double psnr = 10 * Math.Log10(255.0 * 255.0 * frames.Count * w * h / Math.Max(1e-9, se));
                var readings = new List<string>();
                foreach (string attack in Attacks)
                {
                    string file = attack switch
                    {
                        "stamp" => stamp,
                        _ => Path.Combine(work, $"{name}.c{n}.{attack}.mp4"),
                    };
                    switch (attack)
                    {
                        case "h264-crf23-vf":
                            FfmpegCommand.Run("-i", stamp, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", file);
                            break;
                        case "h264-crf30-vf":
                            FfmpegCommand.Run("-i", stamp, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p", file);
                            break;
                        case "h265-crf28":
                            FfmpegCommand.Run("-i", stamp, "-an", "-c:v", "libx265", "-preset", "fast", "-crf", "28", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p", file);
                            break;
                    }
                    readings.Add(Read(file, w, h, frames.Count, key, n, coded, payload));
                    if (attack != "stamp") File.Delete(file);
                }
                long bytes = new FileInfo(stamp).Length;
                File.Delete(stamp);
                double ssimMean = ssim / Math.Max(1, ssimFrames);
                double cellPx = (double)Math.Min(w, h) / n;
                string grid = $"{layout.Cols}x{layout.Rows}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {n} | {grid} | {cellPx:0.#} | {psnr:0.00} | {ssimMean:0.0000} | {bytes} | {unmarked} | {string.Join(" | ", readings)} |"));
                File.AppendAllText(tsv, string.Create(CultureInfo.InvariantCulture,
                    $"{name}\t{h}\t{n}\t{grid}\t{cellPx:0.##}\t{psnr:0.00}\t{ssimMean:0.0000}\t{bytes}\t{unmarked}\t{string.Join('\t', readings)}\n"));
            }
        }
        return 0;
    }

    /// <summary>
    /// `video-grid-cells CLIP[,CLIP...] product OUT_DIR [CAPS]` (issue 18, round 17): does a mean of more frames read more
    /// copies of small, short clips? Each clip is stamped by the product (<see cref="VideoLabeler"/>, static mark, every layer,
    /// key 1, the stamp's own checks as shipped), attacked as above (x264 veryfast CRF 23 and 30, x265 fast CRF 28; a 720p
    /// clip's stamp instead scaled to 640 × 360 by x264 veryfast CRF 23 and 30), and every file's yuv420p luma decoded once and
    /// averaged for each cap in CAPS (default 120,240,600: at most that many frames, every ⌈total / cap⌉-th from the first,
    /// as <see cref="VideoMarkSampling"/> takes 120 today), each mean read by <see cref="VideoMarkDetector"/> on the product's
    /// grid under key 1 ("bits (z)" or "miss (z against the true codeword)") and under key 2 (the null: "FALSE" for any
    /// decode, else the z and the coded bits flipped of the best Viterbi word, CRC not asked). The unmarked clip is read the same
    /// way under both keys. One row per clip × file × cap on stdout and in OUT_DIR/means.tsv; per file, the product's verify
    /// (frames only, static read) in OUT_DIR/verify.tsv, which the cap-120 reading must equal.
    /// </summary>
    public static int RunMeans(string[] clips, int[] caps, string work)
    {
        var key = BenchKeys.Sequential(1);
        var wrong = BenchKeys.Sequential(2);
        var options = new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static };
        var tools = new Media.Ffmpeg.ToolRunner();
        Directory.CreateDirectory(work);
        var inspector = new Verification.VideoInspector(options: options with { RegisteredRead = Verification.RegisteredReadMode.Never }, tools: tools);
        string calibration = Path.Combine(work, "verify.tsv");
        string tsv = Path.Combine(work, "means.tsv");
        if (!File.Exists(tsv))
            File.WriteAllText(tsv, "clip\theight\tmotion\tfile\tclaimed\tcap\tframes\tstep\tread\tbits\tz\twrong_false\twrong_z\twrong_bits\n");
        Console.WriteLine("| clip | file | claimed | cap | frames | key 1 | key 2 (best word) |");
        Console.WriteLine("|---|---|---|---:|---:|---|---|");
        foreach (string clip in clips)
        {
            var (w, h) = GrayFrames.Size(clip);
            string name = Path.GetFileNameWithoutExtension(clip);
            string motion = name.EndsWith("-still", StringComparison.Ordinal) ? "still" : "pan";
            var format = VideoCorpus.Format(clip);
            var ctx = VideoCorpus.Context(key, "means-" + name, format);
            var labeler = new VideoLabeler(options: options, tools: tools);
            var result = labeler.LabelAsync(File.ReadAllBytes(clip), ctx, default).GetAwaiter().GetResult();
            bool claimed = (result.Applied & Labels.Layers.Watermark) != 0;
            string stamp = Path.Combine(work, $"{name}.stamp.mp4");
            File.WriteAllBytes(stamp, result.Output);
            var files = new List<(string Name, string Path, bool Marked)> { ("unmarked", clip, false), ("stamp", stamp, true) };
            string[][] attacks = h >= 720
                ?
                [
                    ["down360-crf23-vf", "-vf", "scale=640:360", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"],
                    ["down360-crf30-vf", "-vf", "scale=640:360", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30"],
                ]
                :
                [
                    ["h264-crf23-vf", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"],
                    ["h264-crf30-vf", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30"],
                    ["h265-crf28", "-c:v", "libx265", "-preset", "fast", "-crf", "28", "-x265-params", "log-level=error"],
                ];
            foreach (string[] a in attacks)
            {
                string file = Path.Combine(work, $"{name}.{a[0]}.mp4");
                FfmpegCommand.Run([.. new[] { "-i", stamp, "-an" }, .. a[1..], "-pix_fmt", "yuv420p", file]);
                files.Add((a[0], file, true));
            }
            foreach (var (fileName, path, marked) in files)
            {
                var (fw, fh) = GrayFrames.Size(path);
                List<byte[]> planes = ReadYuv(path, fw, fh, keep: fw * fh);
                // The calibration: the product's own verify (frames only, static read) on the same file, which must equal
                // this harness's reading at cap 120.
                var verified = inspector.ReadFramesMarksAsync(File.ReadAllBytes(path), fileName, VideoCorpus.Format(path), [key], new MediaLimits(), default)
                    .GetAwaiter().GetResult()[0];
                File.AppendAllText(calibration, string.Join('\t', name, fileName, verified is null ? "miss" : verified.MarkId == ctx.MarkId ? "read" : "WRONG",
                    verified?.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture) ?? "-", verified?.Geometry ?? "-") + "\n");
                foreach (int cap in caps)
                {
                    var (mean, taken, step) = SampledMean(planes, fw * fh, cap);
                    var d = VideoMarkDetector.Detect(mean, fw, fh, key);
                    string read, bits, z;
                    if (d is not null)
                    {
                        bool right = d.Payload.MarkId == ctx.MarkId;
                        read = !marked ? "FALSE" : right ? "read" : "WRONG";
                        bits = d.BitErrorsCorrected.ToString(CultureInfo.InvariantCulture);
                        z = d.ZScore.ToString("0.0", CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        read = "miss";
                        bits = "-";
                        z = marked ? TrueWordZ(mean, fw, fh, key, ctx.MarkId).ToString("0.0", CultureInfo.InvariantCulture) : "-";
                    }
                    var (wrongFalse, wz, wb) = BestWord(mean, fw, fh, wrong);
                    // The unmarked file's own key-1 null too: its best word under the marking key.
                    if (!marked && d is null)
                    {
                        var (_, uz, ub) = BestWord(mean, fw, fh, key);
                        bits = ub.ToString(CultureInfo.InvariantCulture);
                        z = uz.ToString("0.0", CultureInfo.InvariantCulture);
                    }
                    string cells = string.Join('\t', name, h, motion, fileName, claimed ? "yes" : "no", cap, taken, step, read, bits, z,
                        wrongFalse ? "FALSE" : "no", wz.ToString("0.0", CultureInfo.InvariantCulture), wb);
                    File.AppendAllText(tsv, cells + "\n");
                    Console.WriteLine($"| {name} | {fileName} | {(claimed ? "yes" : "no")} | {cap} | {taken} | {read} {bits} ({z}) | {(wrongFalse ? "FALSE" : "none")} {wb} ({wz.ToString("0.0", CultureInfo.InvariantCulture)}) |");
                }
                if (path != clip) File.Delete(path);
            }
        }
        return 0;
    }

    /// <summary>
    /// `video-grid-cells CLIP[,CLIP...] product-cost RUNS [CAPS]`: what a mean of more frames costs verify. Each clip stamped
    /// by the product (static, key 1); then RUNS rounds alternating verify's frames read as shipped
    /// (<see cref="VideoInspector.ReadFramesMarksAsync"/>: probe, the one decode with its selection, the mean, the reads) and,
    /// for each cap in CAPS (default 120,600), the same decode command (<see cref="VideoLabeler.DecodeCommand"/> with
    /// <see cref="VideoLabeler.SampledFramesFilter"/> of that cap's step) through the product's <see cref="FramePipeline"/>,
    /// the luma summed through the vector add with ushort sums flushed to uint every 257 planes, the mean and one static read:
    /// CPU-s of this process and its ffmpeg children (<see cref="VideoCost.Measure"/>), medians, one row per clip.
    /// </summary>
    public static int RunMeansCost(string[] clips, int runs, int[] caps)
    {
        var key = BenchKeys.Sequential(1);
        var options = new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static, RegisteredRead = Verification.RegisteredReadMode.Never };
        var tools = new Media.Ffmpeg.ToolRunner();
        var inspector = new Verification.VideoInspector(options: options, tools: tools);
        Console.WriteLine("clip\tframes\tshipped_cpu_s\t" + string.Join('\t', caps.Select(c => $"cap{c}_cpu_s")) + "\t" + string.Join('\t', caps.Select(c => $"cap{c}/shipped")));
        foreach (string clip in clips)
        {
            var format = VideoCorpus.Format(clip);
            var ctx = VideoCorpus.Context(key, "means-cost-" + Path.GetFileName(clip), format);
            byte[] stamped = new VideoLabeler(options: options, tools: tools).LabelAsync(File.ReadAllBytes(clip), ctx, default).GetAwaiter().GetResult().Output;
            var shipped = new List<double>();
            var capped = caps.Select(_ => new List<double>()).ToArray();
            long frames = 0;
            using var ws = Media.Ffmpeg.MediaWorkspace.CreateAsync(stamped, MediaCatalog.ContainerFor(format).WorkspaceExtension, default).GetAwaiter().GetResult();
            var info = new VideoProbe(tools).ProbeAsync(ws, format, stamped, "stamped", new MediaLimits(), default).GetAwaiter().GetResult();
            frames = info.Frames;
            for (int r = 0; r < runs; r++)
            {
                var m = VideoCost.Measure(() => inspector.ReadFramesMarksAsync(stamped, "stamped", format, [key], new MediaLimits(), default).GetAwaiter().GetResult()[0] is null ? 0 : 1);
                shipped.Add(m.Own + m.Children);
                for (int c = 0; c < caps.Length; c++)
                {
                    int cap = caps[c];
                    var mc = VideoCost.Measure(() => CappedRead(tools, ws, format, info, cap, key) ? 1 : 0);
                    capped[c].Add(mc.Own + mc.Children);
                }
            }
            double s0 = Stats.Median(shipped);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(clip)}\t{frames}\t{s0:0.000}\t{string.Join('\t', capped.Select(l => Stats.Median(l).ToString("0.000", CultureInfo.InvariantCulture)))}\t{string.Join('\t', capped.Select(l => (Stats.Median(l) / s0).ToString("0.000", CultureInfo.InvariantCulture)))}"));
        }
        return 0;
    }

    /// <summary>One decode of the sampled frames of a cap, summed and read (the cost arm of <see cref="RunMeansCost"/>).</summary>
    private static bool CappedRead(Media.Ffmpeg.ToolRunner tools, Media.Ffmpeg.MediaWorkspace ws, Media.MediaFormat format, VideoStreamInfo info, int cap, Labels.MarkKey key)
    {
        int w = info.Width, h = info.Height, plane = w * h;
        int step = (int)Math.Max(1, (info.Frames + cap - 1) / cap);
        ushort[] sums = new ushort[plane];
        uint[] wide = new uint[plane];
        int taken = 0, inSums = 0;
        var decode = VideoLabeler.DecodeCommand(ws, format, VideoLabeler.SampledFramesFilter(step), maxFrames: cap);
        new FramePipeline(tools).RunAsync(decode, null, info.FrameBytes, 2, parallel: false, (frame, i) =>
        {
            Kernels.ColumnSums.Accumulate(frame.AsSpan(0, plane), sums);
            taken++;
            if (++inSums == 257)
            {
                for (int p = 0; p < plane; p++) wide[p] += sums[p];
                Array.Clear(sums);
                inSums = 0;
            }
        }, "stamped", TimeSpan.FromMinutes(10), default).GetAwaiter().GetResult();
        float[] mean = new float[plane];
        float inv = 1f / Math.Max(1, taken);
        for (int p = 0; p < plane; p++) mean[p] = (wide[p] + sums[p]) * inv;
        return VideoMarkDetector.Detect(mean, w, h, key) is not null;
    }

    /// <summary>The mean of at most <paramref name="cap"/> planes, every ⌈count / cap⌉-th from the first, as the product's
    /// <c>SampledLumaMean</c> computes it (integer sums, one float scale).</summary>
    private static (float[] Mean, int Taken, int Step) SampledMean(List<byte[]> planes, int plane, int cap)
    {
        int step = (int)Math.Max(1, (planes.Count + cap - 1) / cap);
        uint[] sum = new uint[plane];
        int taken = 0;
        for (int i = 0; i < planes.Count && taken < cap; i += step, taken++)
        {
            byte[] y = planes[i];
            for (int p = 0; p < plane; p++) sum[p] += y[p];
        }
        float[] mean = new float[plane];
        float inv = 1f / Math.Max(1, taken);
        for (int p = 0; p < plane; p++) mean[p] = sum[p] * inv;
        return (mean, taken, step);
    }

    /// <summary>The z of the normalised cells against the true payload's codeword (a miss's margin).</summary>
    private static double TrueWordZ(float[] mean, int w, int h, Labels.MarkKey key, Labels.MarkId id)
    {
        var layout = VideoMarkLayout.For(key, w, h);
        float[] stat = VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        if (VideoMarkDetector.NormalisedCells(stat, texture, layout) is not { } norm) return 0;
        sbyte[] coded = PayloadCodec.Encode(MarkPayload.For(id, key));
        double dot = 0, sq = 0;
        for (int c = 0; c < norm.Length; c++)
        {
            dot += norm[c] * coded[layout.CellBit[c]];
            sq += norm[c] * norm[c];
        }
        return sq > 0 ? dot / Math.Sqrt(sq) : 0;
    }

    /// <summary>The null reading under <paramref name="key"/>: whether anything decodes (a false detection), and the best
    /// Viterbi word's z against the cells and the hard coded bits it flips, the CRC not asked.</summary>
    private static (bool Decoded, double Z, int Bits) BestWord(float[] mean, int w, int h, Labels.MarkKey key)
    {
        var layout = VideoMarkLayout.For(key, w, h);
        float[] stat = VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        bool decoded = VideoMarkDetector.Decode(stat, texture, layout, key, candidates: 1) is not null;
        if (VideoMarkDetector.NormalisedCells(stat, texture, layout) is not { } norm) return (decoded, 0, 0);
        float[] soft = new float[PayloadCodec.CodedBits];
        for (int c = 0; c < norm.Length; c++) soft[layout.CellBit[c]] += norm[c];
        byte[] message = new byte[PayloadCodec.PayloadBits];
        Marks.Payload.ConvolutionalCode.Decode(soft, message);
        byte[] word = new byte[PayloadCodec.CodedBits];
        Marks.Payload.ConvolutionalCode.Encode(message, word);
        double dot = 0, sq = 0;
        for (int c = 0; c < norm.Length; c++)
        {
            dot += norm[c] * (word[layout.CellBit[c]] * 2 - 1);
            sq += norm[c] * norm[c];
        }
        int flips = 0;
        for (int b = 0; b < soft.Length; b++) if (soft[b] > 0 != (word[b] == 1)) flips++;
        return (decoded, sq > 0 ? dot / Math.Sqrt(sq) : 0, flips);
    }

    /// <summary>The mean of the frames verify would take, read on the grid of <paramref name="cells"/>: "bits (z)", "miss
    /// (z against the true codeword)", or "FALSE" for a mark that decodes to another payload.</summary>
    private static string Read(string file, int w, int h, int totalFrames, Labels.MarkKey key, int cells, sbyte[] coded, MarkPayload payload)
    {
        int step = VideoMarkSampling.Step(totalFrames);
        double[] sum = new double[w * h];
        int taken = 0, index = 0;
        foreach (byte[] y in GrayFrames.Read(file, w, h, 3600))
        {
            if (VideoMarkSampling.Takes(index++, step))
            {
                for (int p = 0; p < sum.Length; p++) sum[p] += y[p];
                taken++;
            }
        }
        float[] mean = new float[sum.Length];
        for (int p = 0; p < mean.Length; p++) mean[p] = (float)(sum[p] / Math.Max(1, taken));
        var layout = VideoMarkLayout.For(key, w, h, cells);
        float[] stat = VideoMarkDetector.CellStatistics(mean, layout, out float[] texture);
        var d = VideoMarkDetector.Decode(stat, texture, layout, key, candidates: 1);
        if (d is not null)
            return d.Payload.MarkId == payload.MarkId
                ? string.Create(CultureInfo.InvariantCulture, $"{d.BitErrorsCorrected} ({d.ZScore:0.0})")
                : "FALSE";
        float[]? norm = VideoMarkDetector.NormalisedCells(stat, texture, layout);
        if (norm is null) return "miss (–)";
        double dot = 0, sq = 0;
        for (int c = 0; c < norm.Length; c++)
        {
            dot += norm[c] * coded[layout.CellBit[c]];
            sq += norm[c] * norm[c];
        }
        return string.Create(CultureInfo.InvariantCulture, $"miss ({(sq > 0 ? dot / Math.Sqrt(sq) : 0):0.0})");
    }

    /// <summary>Every yuv420p frame (as verify decodes) in display order, each kept whole, or only its first
    /// <paramref name="keep"/> bytes (the luma plane: <c>w · h</c>).</summary>
    private static List<byte[]> ReadYuv(string clip, int w, int h, int? keep = null)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-i", clip, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var src = p.StandardOutput.BaseStream;
        var frames = new List<byte[]>();
        int size = w * h * 3 / 2;
        while (true)
        {
            byte[] buf = new byte[size];
            int got = 0;
            while (got < size) { int r = src.Read(buf, got, size - got); if (r == 0) break; got += r; }
            if (got < size) break;
            frames.Add(keep is { } k ? buf.AsSpan(0, k).ToArray() : buf);
        }
        p.WaitForExit();
        return frames;
    }

    private static Process Encoder(int w, int h, string output, string codec, string preset, int crf)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{w}x{h}", "-framerate", "25",
            "-i", "-", "-c:v", codec, "-preset", preset, "-crf", crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", output })
            psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    /// <summary>SSIM on the luma planes (the first w × h bytes of two 4:2:0 frames), as the image tables measure it.</summary>
    private static double SsimY(byte[] a, byte[] b, int w, int h) =>
        Robustness.ImageQuality.Ssim(new Media.Images.PixelBuffer(a.AsSpan(0, w * h).ToArray(), w, h, 1),
            new Media.Images.PixelBuffer(b.AsSpan(0, w * h).ToArray(), w, h, 1));
}
