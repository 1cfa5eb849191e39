using System.Globalization;
using LabelStamp.Labels;
using LabelStamp.Media.Images;
using LabelStamp.Pipeline;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- stamp-gc RUNS FILE[,FILE...]`: what a run of image stamps (every layer but C2PA, one stamper, one thread)
/// leaves to the garbage collector: bytes allocated per stamp, the collections of each generation and the total
/// GC pause over RUNS stamps, and the minimum per stage of the stamp's own timings (wall clock). A stamp that
/// allocates large-object planes sets off gen-2 collections that land in whichever stage allocates next, so a
/// stage's minimum can look cheap while its median and the process CPU are not.
/// </summary>
public static class StampAllocations
{
    private const string Producer = "001191310000000000000000000";

    public static int Run(int runs, string[] files)
    {
        VipsRuntime.EnsureInitialised();
        var key = BenchKeys.Corpus;
        Stamper stamper = new MediaCatalog().CreateStamper(key);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{runs} stamps per file; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            var request = new StampRequest("gc-" + Path.GetFileNameWithoutExtension(file), Producer, new LabelPolicy());
            stamper.StampAsync(input, file, request).GetAwaiter().GetResult();   // JIT, fonts and this thread's planes out of the figures
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            TimeSpan pause = GC.GetTotalPauseDuration();
            var minima = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int r = 0; r < runs; r++)
            {
                var result = stamper.StampAsync(input, file, request).GetAwaiter().GetResult();
                foreach ((string stage, double ms) in result.Timings.Stages)
                    minima[stage] = Math.Min(minima.GetValueOrDefault(stage, double.MaxValue), ms);
            }
            Console.WriteLine(string.Create(inv, $"{Path.GetFileName(file)}: {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / runs / 1024.0:F0} KB allocated per stamp; " +
                $"collections gen0 {GC.CollectionCount(0) - collections[0]}, gen1 {GC.CollectionCount(1) - collections[1]}, gen2 {GC.CollectionCount(2) - collections[2]}; " +
                $"GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F1} ms in all"));
            Console.WriteLine("  stage minima, ms: " + string.Join(" ", minima.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:F2}"))));
        }
        return 0;
    }
}
