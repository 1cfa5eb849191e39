using System.Diagnostics;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Untimed passes before a harness times an item, so that its figures are tier-1 code. A method is promoted only after
/// 30 calls counted once the runtime has seen no new tier-0 compile for 100 ms, and each new path (an image under 1 MP
/// after larger ones: the whole headroom count) compiles new methods; warmed on the first item alone, the kernels of a
/// path that only a later item takes stayed at tier 0, where their lane operators are calls: `embed-parts` timed
/// photo-30 (1024², after a 4K photo and a 1080p page) at 7.5 ms an embed, 1.3 ms warmed (bench/WATERMARK.md,
/// twenty-fourth step). So every item gets at least <see cref="MinimumPasses"/> passes and <see cref="MinimumTime"/>,
/// then a pause for the background compiler.
/// </summary>
internal static class TierWarmUp
{
    public const int MinimumPasses = 40;
    public static readonly TimeSpan MinimumTime = TimeSpan.FromMilliseconds(400);

    public static void Run(Action pass)
    {
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < MinimumPasses || clock.Elapsed < MinimumTime; n++) pass();
        Thread.Sleep(300);
    }
}
