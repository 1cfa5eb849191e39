using System.Globalization;

namespace LabelStamp.Benchmarks;

/// <summary>
/// The image corpus's manifest.csv (written by bench/corpus/make-image-corpus.sh) and the groupings every
/// corpus table reports by, so that the robustness table and the cost table cut the corpus the same way.
/// </summary>
public static class ImageCorpusManifest
{
    /// <summary>Size bands by the short side: SD 1.5 thumbnails, SD/SDXL native sizes, 1-2 MP, up to 4K, 8K.</summary>
    public static readonly string[] Bands = ["256-384", "385-768", "769-1536", "1537-3000", ">3000"];

    public static List<CorpusImage> Read(string root)
    {
        string manifest = Path.Combine(root, "manifest.csv");
        if (!File.Exists(manifest)) throw new FileNotFoundException($"{manifest} not found: build the corpus with bench/corpus/make-image-corpus.sh {root}");
        var list = new List<CorpusImage>();
        string[] lines = File.ReadAllLines(manifest);
        string[] head = lines[0].Split(',');
        int file = Array.IndexOf(head, "file"), w = Array.IndexOf(head, "width"), h = Array.IndexOf(head, "height"),
            cls = Array.IndexOf(head, "class"), fmt = Array.IndexOf(head, "format");
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            string[] f = line.Split(',');
            list.Add(new CorpusImage(f[file], int.Parse(f[w], CultureInfo.InvariantCulture), int.Parse(f[h], CultureInfo.InvariantCulture), f[cls], f[fmt]));
        }
        return list;
    }

    public static string BandOf(int width, int height)
    {
        int s = Math.Min(width, height);
        return s < 256 ? "<256" : s <= 384 ? Bands[0] : s <= 768 ? Bands[1] : s <= 1536 ? Bands[2] : s <= 3000 ? Bands[3] : Bands[4];
    }

    /// <summary>The manifest's format column (jpeg-q88, png, webp-q84, webp-lossless) as the tables' four families.</summary>
    public static string FormatFamily(string format) =>
        format.StartsWith("jpeg", StringComparison.Ordinal) ? "JPEG" : format == "png" ? "PNG" : format == "webp-lossless" ? "WebP lossless" : "WebP lossy";
}
