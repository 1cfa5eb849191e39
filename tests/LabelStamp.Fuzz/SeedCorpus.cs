using System.Security.Cryptography;
using System.Text;
using LabelStamp.Media;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Provenance;

namespace LabelStamp.Fuzz;

/// <summary>
/// Builds one seed folder per target from real files (originals and stamped outputs): each file goes to
/// the folders of its format, and the pieces inside it (the manifest store, each CBOR box, the XMP
/// packet, the AIGC record) become seeds of the targets that parse them alone. Seeds are named by their
/// SHA-256, so the same piece found twice is kept once. Files over <see cref="MaxSeedBytes"/> are left
/// out: afl-fuzz refuses larger seeds, and small seeds mutate faster.
/// </summary>
public static class SeedCorpus
{
    public const int MaxSeedBytes = 1 << 20;

    public static void Write(string outDir, IEnumerable<string> files)
    {
        int written = 0, skipped = 0;
        foreach (string file in files)
        {
            byte[] data = File.ReadAllBytes(file);
            if (data.Length > MaxSeedBytes) { skipped++; continue; }
            var format = MediaSniffer.TrySniff(data);
            written += Add(outDir, "sniff", data);
            if (format is null) continue;
            string? target = format.Name switch
            {
                "jpeg" => "jpeg", "png" => "png", "webp" => "webp", "wav" => "wav", "mp4" => "bmff", "avif" => "heif", _ => null,
            };
            if (target is not null) written += Add(outDir, target, data);
            if (format.Name is "mp3" or "flac" or "ogg" or "mp4") written += Add(outDir, "audio", data);
            if (format.Name is "mp3" or "flac" or "ogg") written += Add(outDir, "audio-decode", data);
            if (format.Kind == MediaKind.Image) written += Add(outDir, "image-verify", data);
            if (format.Kind == MediaKind.Image && ImageXmp.Read(data, format, "seed") is { } xmp)
            {
                written += Add(outDir, "xmp", Encoding.UTF8.GetBytes(xmp));
                if (XmpPacket.Read(xmp).AigcJson is { } aigc) written += Add(outDir, "aigc", Encoding.UTF8.GetBytes(aigc));
            }
            var container = C2paProvenanceWriter.ContainerFor(format);
            if (container?.Extract(data, "seed") is not { } store) continue;
            written += Add(outDir, "c2pa", data) + Add(outDir, "jumbf", store);
            var root = JumbfBox.Parse(store, "seed");
            foreach (var cbor in ContentBoxes(root, "cbor"))
                written += Add(outDir, "cbor", cbor);
            foreach (var signature in Signatures(root))
                written += Add(outDir, "cose", signature);
        }
        Console.WriteLine($"{written} seeds written under {outDir}; {skipped} files over {MaxSeedBytes >> 20} MiB left out");
    }

    private static IEnumerable<byte[]> ContentBoxes(JumbfBox box, string type)
    {
        if (box.Type == type) yield return box.Data;
        foreach (var child in box.Children)
            foreach (var data in ContentBoxes(child, type))
                yield return data;
    }

    /// <summary>The COSE_Sign1 bytes of every manifest: the CBOR content of each c2pa.signature box.</summary>
    private static IEnumerable<byte[]> Signatures(JumbfBox box)
    {
        if (box.IsSuperBox && box.Label == C2paIds.SignatureLabel)
            foreach (var content in box.Children.Where(c => c.Type == C2paIds.Cbor))
                yield return content.Data;
        foreach (var child in box.Children)
            foreach (var data in Signatures(child))
                yield return data;
    }

    private static int Add(string outDir, string target, byte[] data)
    {
        string dir = Path.Combine(outDir, target);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, Convert.ToHexStringLower(SHA256.HashData(data))[..16]);
        if (File.Exists(path)) return 0;
        File.WriteAllBytes(path, data);
        return 1;
    }
}
