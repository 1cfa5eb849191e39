using LabelStamp.Labels;
using LabelStamp.Marks.Image;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;
using LabelStamp.Robustness;

namespace LabelStamp.Benchmarks;

/// <summary>The digests' walk over a corpus (`mark-digest`, `verdict-digest`): every K-th image of its manifest, with the
/// same fixed key and payload, marked in memory by the embedder alone, so two builds digest the same pixels.</summary>
internal static class DigestCorpus
{
    public static readonly MarkPayload Payload = MarkPayload.For(new MarkId(0x0123456789abcdef), BenchKeys.Corpus);

    public static IEnumerable<(string File, PixelBuffer Original, PixelBuffer Marked)> EveryKth(string root, int every)
    {
        string[] files = File.ReadAllLines(Path.Combine(root, "manifest.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        for (int i = 0; i < files.Length; i += every)
        {
            PixelBuffer original = VipsPixels.Load(Path.Combine(root, files[i]));
            var marked = new PixelBuffer((byte[])original.Data.Clone(), original.Width, original.Height, original.Bands);
            ImageMarkEmbedder.Embed(marked, BenchKeys.Corpus, Payload);
            yield return (files[i], original, marked);
        }
    }
}
