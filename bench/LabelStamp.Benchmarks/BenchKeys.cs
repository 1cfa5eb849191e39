using LabelStamp.Labels;

namespace LabelStamp.Benchmarks;

/// <summary>The fixed keys the bench harnesses mark and read with, so every table can be reproduced.</summary>
internal static class BenchKeys
{
    /// <summary>The key of the image and audio corpus tables and the image benchmarks (bytes 7, 14, …, 224).</summary>
    public static readonly MarkKey Corpus = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    /// <summary>Key <paramref name="k"/> of the video tables (bytes k, k + 1, …, k + 31).</summary>
    public static MarkKey Sequential(int k) => MarkKey.FromBytes(Enumerable.Range(k, 32).Select(i => (byte)i).ToArray());
}
