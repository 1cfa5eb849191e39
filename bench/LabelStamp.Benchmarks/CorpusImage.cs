namespace LabelStamp.Benchmarks;

/// <summary>One line of the image corpus manifest: the file (relative to the corpus root), its size,
/// content class and format as bench/corpus/make-image-corpus.sh wrote them.</summary>
public sealed record CorpusImage(string File, int Width, int Height, string Class, string Format)
{
    public long Pixels => (long)Width * Height;
}
