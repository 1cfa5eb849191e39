using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using LabelStamp.Explicit;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;

namespace LabelStamp.Benchmarks;

/// <summary>
/// `-- stamp-rest RUNS FILE[,FILE...] [--process] [--image-cost-id]`: the parts of an image stamp that are not the watermark, each in thread
/// CPU time (minimum and median of RUNS, after one warm-up, forty for the first file: tier-1 code): the header and XMP read, the AIGC signature, the
/// visible label's blend, the XMP insertion, the C2PA writer (whole, and the whole-file passes it makes: SHA-256,
/// CRC-32, a copy), against the plain decode and encode. Names the costs `image-cost` lumps together as "rest".
/// </summary>
public static class StampRest
{
    private const string Producer = "001191310000000000000000000";

    public static int Run(int runs, string[] files, bool processCpu = false, bool imageCostId = false)
    {
        // libvips decodes and encodes on its own worker thread even at concurrency 1, so thread CPU misses the
        // codec's work; --process counts every thread of the process (run nothing else in it).
        Func<double> clock = processCpu ? CpuClock.Own : CpuClock.Thread;
        VipsRuntime.EnsureInitialised();
        var key = BenchKeys.Corpus;
        var certificates = new CertificateFactory(TimeProvider.System);
        using var authority = certificates.CreateAuthority();
        using var signer = certificates.CreateSigner(authority);
        var writer = new C2paProvenanceWriter(new C2paOptions(signer));
        var stamper = new MediaCatalog().CreateStamper(key, provenance: writer);
        var renderer = new LabelRenderer();
        var policy = new LabelPolicy();
        // One for every run, as the catalog holds one: it keeps the key's material (layout, sync spectra) across images, and
        // one per run measured making that material (1-2.5 ms) as part of every stamp's watermark.
        var watermark = new Marks.Image.ImageWatermark();
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            var format = MediaSniffer.Sniff(input, name);
            var header = ImageHeader.Read(input, format, name);
            // --image-cost-id: image-cost's content ID, hence its mark ID (the lossy check's read-back depends on the payload).
            var request = new StampRequest(imageCostId ? "cost-" + Path.GetFileNameWithoutExtension(name) : "rest-" + name, Producer, policy);
            var parts = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            byte[] encoded = [], withXmp = [];
            int stampBytes = 0, orientation;
            IReadOnlyList<(string Stage, double Ms)> lastStages = [];
            using (var probe = ImageCodec.Decode(input, header, name)) orientation = probe.Orientation;
            // The first file warms every part to tier-1 code (a part called fewer than 30 times stays at tier 0, several
            // times slower: measured, a 384 px embed 3.4 ms there against 0.6); the others' run 0 only warms caches.
            int warmups = file == files[0] ? 40 : 1;
            for (int r = 1 - warmups; r <= runs; r++)
            {
                bool keep = r > 0;
                Time(clock, parts, keep, "plain decode+encode", () => { using var d = ImageCodec.Decode(input, header, name); encoded = ImageCodec.Encode(d, header, new ImageEncodeOptions(), name); });
                var stageTimings = new StageTimings();
                int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
                Time(clock, parts, keep, "stamp (whole)", () => { var s = stamper.StampAsync(input, name, request).GetAwaiter().GetResult(); stampBytes = s.Output.Length; stageTimings = s.Timings; });
                if (keep) { Add(parts, "  gen0/1/2 collections", GC.CollectionCount(0) - gc0); Add(parts, "  gen1/2 collections", GC.CollectionCount(1) - gc1); Add(parts, "  gen2 collections", GC.CollectionCount(2) - gc2); }
                if (keep) foreach ((string stage, double ms) in stageTimings.Stages) Add(parts, "  stage wall " + stage, ms);
                lastStages = stageTimings.Stages;
                Time(clock, parts, keep, "header+sniff", () => { MediaSniffer.Sniff(input, name); ImageHeader.Read(input, format, name); });
                if (MarkCheckedEncode.ChecksFile(header))
                {
                    // The stamp decodes its own lossy output for the mark's check: the twelfth step's way and this one's.
                    Time(clock, parts, keep, "check decode, header+Decode", () => { var wh = ImageHeader.Read(encoded, format, name); using var wd = ImageCodec.Decode(encoded, wh, name); });
                    Time(clock, parts, keep, "check decode, DecodeWritten", () => ImageCodec.DecodeWritten(encoded, header, orientation, name));
                }
                AigcLabel aigc = default!;
                MarkId markId = default;
                Time(clock, parts, keep, "aigc signature", () => aigc = stamper.CreateAigcLabel(Producer, request.ContentId, out markId));
                string? xmp = null;
                Time(clock, parts, keep, "xmp read+merge", () =>
                {
                    string? existing = ImageXmp.Read(input, format, name, new MetadataLimits());
                    xmp = XmpPacket.Merge(existing, aigc.ToJson(), limits: new MetadataLimits(), name: name);
                });
                using (var d = ImageCodec.Decode(input, header, name))
                {
                    var px = d.Pixels;
                    Time(clock, parts, keep, "label blend", () =>
                    {
                        int h = LabelGeometry.TextHeight(px.Width, px.Height, policy);
                        var overlay = renderer.Render(policy.Wording, policy.Font, h, policy.PlateOpacity);
                        LabelCompositor.Apply(px, overlay, policy.Corner, LabelGeometry.Inset(px.Width, px.Height, policy), name);
                    });
                    Time(clock, parts, keep, "watermark as stamped", () => watermark.Embed(px, key, markId));
                }
                using (var d = ImageCodec.Decode(input, header, name))
                {
                    var material = Marks.Image.ImageMarkKeyMaterial.For(key);
                    var payload = Marks.Payload.MarkPayload.For(markId, key);
                    Time(clock, parts, keep, "embed alone", () => Marks.Image.ImageMarkEmbedder.Embed(d.Pixels, material.Layout, payload));
                    Time(clock, parts, keep, "self-check alone", () => Marks.Image.ImageMarkDetector.ReadsBack(d.Pixels, material, payload));
                }
                var module = MediaCatalog.ImageModuleFor(format);
                // PNG's packet put in while the encoder's pieces are joined (this step) against the join-then-edit way above.
                if (module is { XmpAtJoin: true }) Time(clock, parts, keep, "xmp at join", () => module.JoinWithXmp([encoded], xmp!, name));
                bool inEncoder = module is { XmpInEncoder: true };
                if (!inEncoder) Time(clock, parts, keep, "xmp insert", () => withXmp = ImageXmp.Write(encoded, format, xmp!, name));
                else withXmp = encoded;
                var ctx = new StampContext(name, format, request, key, markId, aigc, new MediaLimits(), new StageTimings());
                Time(clock, parts, keep, "c2pa read prior", () => writer.ReadPrior(input, ctx));
                Time(clock, parts, keep, "c2pa write (whole)", () => writer.Write(withXmp, ctx));
                var builder = new ManifestStoreBuilder(new C2paOptions(signer), name, markId);
                builder.IdentifyBy(withXmp);
                Time(clock, parts, keep, "  one store build (sizing)", () => builder.Build(C2paIds.DataHash, ManifestStoreBuilder.DataHash([new HashExclusion(0, 0)], new byte[32], 64), final: false));
                Time(clock, parts, keep, "  one store build (signed)", () => builder.Build(C2paIds.DataHash, ManifestStoreBuilder.DataHash([new HashExclusion(0, 0)], new byte[32], 64)));
                Time(clock, parts, keep, "  one claim signature", () => ClaimSigner.Sign(withXmp.AsSpan(0, Math.Min(withXmp.Length, 2000)).ToArray(), signer));
                Time(clock, parts, keep, "  one placeholder embed", () => C2paProvenanceWriter.ContainerFor(format)!.Embed(withXmp, new byte[20_000], name));
                Time(clock, parts, keep, "  one sha-256 pass", () => SHA256.HashData(withXmp));
                Time(clock, parts, keep, "  one crc-32 pass", () => Crc32.HashToUInt32(withXmp));
                Time(clock, parts, keep, "  one copy", () => withXmp.AsSpan().ToArray());
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {header.Width}x{header.Height}, plain {encoded.Length:N0} bytes, stamp {stampBytes:N0} bytes; {(processCpu ? "process" : "thread")} CPU ms, min / median of {runs}"));
            // In order, a stage once per time it ran: an encode or check made twice shows here.
            Console.WriteLine("  the last stamp's stages: " + string.Join(' ', lastStages.Select(s => s.Stage)));
            foreach ((string part, List<double> v) in parts)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {part,-28} {v.Min(),8:F2} {Stats.Median(v),8:F2}"));
        }
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void Time(Func<double> clock, Dictionary<string, List<double>> parts, bool keep, string part, Action work)
    {
        double t0 = clock();
        work();
        double ms = (clock() - t0) * 1e3;
        if (keep) Add(parts, part, ms);
    }

    private static void Add(Dictionary<string, List<double>> d, string k, double v)
    {
        if (!d.TryGetValue(k, out var list)) d[k] = list = [];
        list.Add(v);
    }
}
