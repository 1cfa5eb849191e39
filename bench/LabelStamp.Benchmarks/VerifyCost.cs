using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;
using LabelStamp.Verification;

namespace LabelStamp.Benchmarks;

/// <summary>
/// One file's verify in this process, as the CLI runs it (<see cref="MediaCatalog"/>'s verifier, all layers, the key given),
/// with the video registered read's key-frame canvas on or off (<see cref="VideoLabelOptions.KeyFrameCanvas"/>, a switch
/// the CLI does not offer), then one line: the watermark row (state, bits corrected, geometry) and the process's cost so
/// far (own CPU, CPU of the reaped children: ffmpeg, ffprobe; peak RSS from /proc/self/status). bench/verify-keyframe-cost.sh
/// runs it once per process, arms alternating (issue 18, round 16).
/// </summary>
public static class VerifyCost
{
    public static int Run(string arm, string keyFile, string file)
    {
        bool keyFrames = arm switch { "both" => true, "chained" => false, _ => throw new ArgumentException("arm: both or chained", nameof(arm)) };
        var key = MarkKey.FromFile(keyFile);
        var video = new VideoLabelOptions { KeyFrameCanvas = keyFrames }.Validate();
        var verifier = new MediaCatalog(video: video).CreateVerifier();
        var options = new VerifyOptions { Key = key, Limits = new MediaLimits { DeadlineFloor = TimeSpan.FromSeconds(900), DeadlineCap = TimeSpan.FromSeconds(900) } };
        byte[] data = File.ReadAllBytes(file);
        var report = verifier.VerifyAsync(data, file, options).GetAwaiter().GetResult();
        var d = report.Watermark.Details;
        string Get(string k) => d is not null && d.TryGetValue(k, out var v) && v.Length > 0 ? v : "-";
        long hwm = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                hwm = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))}/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}\t{arm}\t{report.Watermark.State}\t{Get("bitErrorsCorrected")}\t{Get("geometry")}\t{CpuClock.Own():0.000}\t{CpuClock.Children():0.000}\t{hwm}"));
        return 0;
    }
}
