using BenchmarkDotNet.Running;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/LabelStamp.Benchmarks -- robustness [dir]` prints the
/// watermark robustness table; any other arguments go to BenchmarkDotNet's switcher
/// (e.g. `--filter *ImageMark*`). `video-figures [clip] [runs]` prints bench/VIDEO.md's tables.
/// `image-corpus CORPUS_DIR [--every K] [--limit N] [--jobs J] [--results FILE]` prints the image mark's
/// table over the development corpus (bench/corpus/README.md), `image-fidelity CORPUS_DIR [--every K] [--match TEXT]` the
/// mark's PSNR/SSIM alone, `image-cost CORPUS_DIR [--every K] [--runs R] [--results FILE]` what stamping costs in CPU and
/// bytes against a plain re-encode, `file-check-margin CORPUS_DIR [--every K] [--jpeg Q,…] [--webp Q,…] [--results FILE]` where the
/// stamp's check of its own lossy file can fail (the pixels' self-check margin against the file check, by band, format and
/// quality), `png-filter-cost CORPUS_DIR [--every K] [--runs R] [--filters none,up,…]` the PNG encode's CPU and bytes
/// under each row filter, unmarked and marked (with the marked frame's row filter as the stamp chooses it), `detect-cost CORPUS_DIR [--every K] [--runs R] [--results FILE]` its read alone (thread CPU
/// per size band, for pairing two builds); `audio-corpus CORPUS_DIR [--jobs J]
/// [--results FILE] [--limit N] [--per-cell C] [--attacks a,b] [--clips f1,f2] [--report-only]` the audio mark's;
/// `audio-headers DIR` in-process audio headers against ffprobe, file by file;
/// `audio-decode DIR [runs]` in-process decoders (FLAC, MP3, Opus) against ffmpeg's decode, file by file;
/// `audio-encoder-cost CORPUS_DIR [runs] [min_s] [max_s] [formats]` the stamp with ffmpeg's encoder vs the in-process encoder, both against plain, one run
/// `audio-cost CORPUS_DIR [runs] [min_s] [max_s]` stamp vs plain ffmpeg per format on corpus clips (wall, CPU and
/// the parts of a stamp); `audio-detect-speed [seconds,…] [runs]` the audio detector's CPU speed and memory;
/// `embed-parts [runs] [image,…]` the image embed's parts timed alone; `ssim-level CORPUS_DIR [--every K]` the SSIM budget's
/// level search against its reference bisection; `embed-speed CORPUS_DIR [--every K] [--runs R] [--match TEXT]` the
/// embed alone over the corpus (thread CPU and marked pixels' SHA-256 per image, medians by size band);
/// `image-layout-oracle CORPUS_DIR FILE[,FILE…] [ATTACK|…] [SEEDS]` what other chip layouts, payload codes and fold
/// filters would read from the evidence the mark leaves at the true geometry;
/// `audio-excerpts CORPUS_DIR [offsets] [clip,…]` 5 s and 10 s excerpts of stamped clips from many offsets;
/// `inline-audit [image,…] [--runs R] [--keep DIR]` the optimised methods that still call a lane operator;
/// `jpeg-decode-identity DIR [DIR…] [--runs R]` libvips' JPEG rows against libjpeg-turbo alone, file by file (pixels, CPU);
/// `jpeg-mutation-sweep DIR COUNT [SEED]` damaged JPEGs through the stamp's decode and libvips' loader alone (typed errors, agreement).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "robustness")
            return RobustnessTable.Run(args.Length > 1 ? args[1] : RobustnessTable.DefaultSamples());
        if (args.Length > 0 && args[0] == "image-corpus")
            return ImageCorpusTable.Run(args[1..]);
        if (args.Length > 0 && args[0] == "image-diagnose")
            return ImageMarkDiagnosis.Run(args[1..]);
        if (args.Length > 0 && args[0] == "image-layout-oracle")
            return ImageLayoutOracle.Run(args[1..]);
        if (args.Length > 0 && args[0] == "unmarked-detect-cpu")
            return UnmarkedDetectCpu.Run(args[1..]);
        if (args.Length > 0 && args[0] == "image-fidelity")
            return ImageFidelity.Run(args[1..]);
        if (args.Length > 0 && args[0] == "image-cost")
            return ImageCost.Run(args[1..]);
        if (args.Length > 0 && args[0] == "jpeg-mutation-sweep")
            return JpegMutationSweep.Run(args[1..]);
        if (args.Length > 0 && args[0] == "jpeg-decode-identity")
            return JpegDecodeIdentity.Run(args[1..]);
        if (args.Length > 0 && args[0] == "file-check-margin")
            return FileCheckMargin.Run(args[1..]);
        if (args.Length > 0 && args[0] == "png-filter-cost")
            return PngFilterCost.Run(args[1..]);
        if (args.Length > 0 && args[0] == "detect-cost")
            return DetectCost.Run(args[1..]);
        if (args.Length > 0 && args[0] == "audio-corpus")
            return AudioCorpusTable.Run(args[1..]);
        if (args.Length > 0 && args[0] == "audio-oracle")
            return AudioOracle.Run(args[1..]);
        if (args.Length > 1 && args[0] == "audio-headers")
            return AudioHeaderCheck.Run(args[1]);
        if (args.Length > 1 && args[0] == "audio-decode")
            return AudioDecodeAgreement.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
        if (args.Length > 0 && args[0] == "audio-cost")
            return AudioCost.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
                args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10,
                args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 60);
        if (args.Length > 1 && args[0] == "audio-encoder-cost")
            return AudioEncoderCost.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
                args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10,
                args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 60,
                args.Length > 5 ? args[5].Split(',') : null);
        if (args.Length > 1 && args[0] == "audio-excerpts")
            return AudioExcerpts.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6,
                args.Length > 3 ? args[3].Split(',') : null);
        if (args.Length > 0 && args[0] == "audio-detect-speed")
            return AudioDetectSpeed.Run((args.Length > 1 ? args[1] : "10,30,120").Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
        if (args.Length > 0 && args[0] == "detect-timing")
            return DetectTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12,
                autocorrelationAb: !(args.Length > 2 && args[2] == "images-only"));
        if (args.Length > 0 && args[0] == "embed-parts")
            return EmbedParts.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15,
                (args.Length > 2 ? args[2] : "storm.jpg,goldfish.png").Split(','));
        if (args.Length > 0 && args[0] == "inline-audit")
            return InlineAudit.Run(args[1..]);
        if (args.Length > 0 && args[0] == "embed-speed")
            return EmbedSpeed.Run(args[1..]);
        if (args.Length > 1 && args[0] == "verdict-digest")
            return VerdictDigest.Run(args[1..]);
        if (args.Length > 3 && args[0] == "verify-cost")
            return VerifyCost.Run(args[1], args[2], args[3]);
        if (args.Length > 2 && args[0] == "search-pass-speed")
            return SearchPassSpeed.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length > 2 && args[0] == "tracker-cpu")
            return TrackerCpu.Run(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2..]);
        if (args.Length > 2 && args[0] == "verify-registered-split")
            return RegisteredReadSplit.Run(args[1], args[2..]);
        if (args.Length > 1 && args[0] == "mark-digest")
            return MarkDigest.Run(args[1..]);
        if (args.Length > 1 && args[0] == "ssim-level")
            return SsimLevelAgreement.Run(args[1..]);
        if (args.Length > 2 && args[0] == "read-parts")
            return ReadParts.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2].Split(','));
        if (args.Length > 2 && args[0] == "selfcheck-parts")
            return SelfCheckParts.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2].Split(','));
        if (args.Length > 2 && args[0] == "stamp-rest")
            return StampRest.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2].Split(','), args.Contains("--process"), args.Contains("--image-cost-id"));
        if (args.Length > 2 && args[0] == "check-decode")
            return CheckDecode.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2].Split(','));
        if (args.Length > 2 && args[0] == "stamp-gc")
            return StampAllocations.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2].Split(','));
        if (args.Length > 0 && args[0] == "stamp-breakdown")
            return StampBreakdown.Run(args.Length > 1 ? args[1] : "goldfish.png",
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7);
        if (args.Length > 0 && args[0] == "audio-figures")
            return AudioFigures.Run(args.Length > 1 ? args[1] : "samples-media/audio");
        if (args.Length > 0 && args[0] == "audio-diagnose")
            return AudioDiagnosis.Run(args.Length > 1 ? args[1] : "samples-media/audio",
                args.Length > 2 ? float.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Marks.Audio.AudioMarkEmbedder.DefaultStrength,
                args.Length > 3 ? args[3] : "1,100");
        if (args.Length > 0 && args[0] == "video-figures")
            return VideoFigures.Run(args.Length > 1 ? args[1] : "samples-media/video/pan-zoom.mp4",
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
        if (args.Length > 0 && args[0] == "video-cost")
            return VideoCost.Run(args.Length > 1 ? args[1] : "samples-media/video/pan-zoom.mp4",
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
                (args.Length > 3 ? args[3] : "4,4/0,0").Split(','),
                (args.Length > 4 ? args[4] : "720,1080").Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        if (args.Length > 2 && args[0] == "video-corpus")
            return VideoCorpus.Run(args[1], args[2], args.Length > 3 ? args[3] : "all", args.Length > 4 ? args[4] : "all",
                args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 3,
                args.Length > 6 ? double.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : Marks.Video.VideoMarkEmbedder.DefaultAmplitude);
        if (args.Length > 3 && args[0] == "video-motion-trace")
            return MotionTrace.Run(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
                args.Length > 4 && args[4].Contains("dense", StringComparison.Ordinal), args.Length > 4 && args[4].Contains("lenient", StringComparison.Ordinal));
        if (args.Length > 2 && args[0] == "video-tracker-compare")
        {
            TrackerComparison.Header();
            foreach (string clip in args[2..]) TrackerComparison.Run(clip, double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }
        if (args.Length > 3 && args[0] == "video-motion-oracle")
        {
            var info = VideoMarkShape.ReadClip(args[1], new LabelStamp.Media.Ffmpeg.ToolRunner()).Info;
            OracleMotion.Measure(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), info, args[3]);
            return 0;
        }
        if (args.Length > 2 && args[0] == "video-zoom-shot")
        {
            foreach (string clip in args[2..]) ContentLockedMapTrace.ZoomShot(clip, double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }
        if (args.Length > 4 && args[0] == "video-keyed-blocks")
            return KeyedBlockScan.Run(args[1], args[2], double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture),
                args.Length > 5 ? Array.ConvertAll(args[5].Split(','), k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)) : [1],
                args.Length > 6 && args[6] == "seed");
        if (args.Length > 2 && args[0] == "video-read-prefilters")
            return ReadPrefilters.Run(args[1], args[2..]);
        if (args.Length > 0 && args[0] == "video-keyed-fold-check")
            return KeyedFoldCheck.Run();
        if (args.Length > 2 && args[0] == "video-follow-stamp")
            return KeyedBlockScan.FollowStamp(args[1], args[2], !(args.Length > 3 && args[3] == "hold"));
        if (args.Length > 2 && args[0] == "video-zoom-steps")
            return ContentLockedMapTrace.ZoomSteps(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length > 2 && args[0] == "video-embed-steps")
            return ContentLockedMapTrace.EmbedSteps(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length > 7 && args[0] == "video-map-trace" && args[5] == "read")
            return ContentLockedMapTrace.Read(args[1], args[2], int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture), args[7]);
        if (args.Length > 4 && args[0] == "video-map-trace")
            return ContentLockedMapTrace.Run(args[1], args[2], double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), args.Length > 5 && args[5] == "zoom");
        if (args.Length > 2 && args[0] == "video-mark-read")
            return VideoMarkShape.ReadKept(args[1], args[2..]);
        if (args.Length > 2 && args[0] == "video-stamp-digest")
            return VideoStampDigest.Run(args[1], args[2].Split(','));
        if (args.Length > 3 && args[0] == "video-cpu-layout")
            return VideoCpuLayout.Run(args[1], args[2].Split(','), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
                args.Length > 4 ? args[4].Split(',') : null);
        if (args.Length > 3 && args[0] == "video-cpu-parts")
            return VideoCpuParts.Run(args[1], args[2].Split(','), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length > 3 && args[0] == "video-mark-probe")
            return VideoMarkProbe.Run(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
                args[3].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), args.Length > 4 ? args[4] : "start");
        if (args.Length > 1 && args[0] == "video-file-check")
            return VideoFileCheck.Run(args[1].Split(','), args.Length > 2 ? args[2] : "static",
                args.Length > 4 && args[3] == "--cpu" ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0);
        if (args.Length > 3 && args[0] == "video-grid-cells" && args[2] == "product-cost")
            return VideoGridCells.RunMeansCost(args[1].Split(','), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
                args.Length > 4 ? Array.ConvertAll(args[4].Split(','), c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)) : [120, 600]);
        if (args.Length > 3 && args[0] == "video-grid-cells" && args[2] == "product")
            return VideoGridCells.RunMeans(args[1].Split(','), args.Length > 4 ? Array.ConvertAll(args[4].Split(','), c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)) : [120, 240, 600],
                args[3]);
        if (args.Length > 3 && args[0] == "video-grid-cells")
            return VideoGridCells.Run(args[1].Split(','), args[2].Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                args[3], args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : LabelStamp.Marks.Video.VideoMarkEmbedder.DefaultAmplitude);
        if (args.Length > 2 && args[0] == "video-informed-still")
            return InformedStillMark.Run(args[1].Split(','), args[2].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "ls-informed-still"));
        if (args.Length > 3 && args[0] == "video-mark-shape")
            return VideoMarkShape.Run(args[1], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3].Split(','),
                args.Length > 4 ? args[4] : "none");
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
