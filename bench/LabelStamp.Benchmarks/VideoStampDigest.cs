using System.Security.Cryptography;
using LabelStamp.Labels;
using LabelStamp.Marks.Video;
using LabelStamp.Media.Video;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `dotnet LabelStamp.Benchmarks.dll video-stamp-digest DIR CLIPS`: the SHA-256 of each clip's product stamp, static and
/// content-locked, with every layer but C2PA (the manifest's ECDSA signature differs run to run; everything else is
/// deterministic). Used to prove that a change to the video path leaves its output bytes as they were: run it with the
/// old and the new build (this command only calls <see cref="Stamper"/>, so the bench can run against an older
/// LabelStamp.dll) and compare.
/// </summary>
public static class VideoStampDigest
{
    /// <summary>A shared 2-core machine at load 40 runs a stamp several times slower than its size allows for: the item
    /// deadline is lifted to 30 min so that the figure, not the deadline, decides.</summary>
    private static readonly MediaLimits BenchLimits = new() { DeadlineFloor = TimeSpan.FromMinutes(30), DeadlineCap = TimeSpan.FromMinutes(30) };

    public static int Run(string dir, string[] clips)
    {
        var key = BenchKeys.Sequential(1);
        var versions = new (string Name, Stamper Stamper)[]
        {
            ("static", new MediaCatalog(video: new VideoLabelOptions { MarkVersion = VideoMarkVersion.Static }).CreateStamper(key, BenchLimits)),
            ("content-locked", new MediaCatalog(video: new VideoLabelOptions { MarkVersion = VideoMarkVersion.ContentLocked }).CreateStamper(key, BenchLimits)),
        };
        var layers = Layers.Explicit | Layers.Metadata | Layers.Watermark;
        foreach (string clip in clips)
        {
            byte[] input = File.ReadAllBytes(Path.Combine(dir, clip));
            foreach (var (name, stamper) in versions)
            {
                var result = stamper.StampAsync(input, clip, new StampRequest(clip, "LSBENCH001", new LabelPolicy { Layers = layers })).GetAwaiter().GetResult();
                Console.WriteLine($"{clip} {name} {result.Output.Length} {Convert.ToHexString(SHA256.HashData(result.Output)).ToLowerInvariant()}");
            }
        }
        return 0;
    }
}
