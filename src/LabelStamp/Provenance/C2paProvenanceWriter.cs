using System.Security.Cryptography;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance;

/// <summary>
/// L4 of the labeling spec (§6): signs a C2PA manifest into the finished bytes of a JPEG, PNG, WebP, WAV,
/// MP3 or MP4. The hard binding hashes the final file, so the store's size is fixed first: a
/// placeholder of the final length is embedded, the hash is taken around it, the real store (same
/// length) is signed and embedded in its place (C2PA §18.5 "exclusions" exist for exactly this).
/// </summary>
public sealed class C2paProvenanceWriter(C2paOptions options) : IProvenanceWriter
{
    // The data hash's pad starts mid-way in the 24..255 range so it can absorb the few bytes by which
    // CBOR integers grow once the real exclusion offsets are known, without changing its own header size.
    private const int InitialPad = 64;
    private const int Slack = 24;

    public bool Handles(MediaFormat format) => ContainerFor(format) is not null;

    /// <summary>The format module's manifest container (<see cref="Pipeline.MediaCatalog.Formats"/>), or null.</summary>
    public static ManifestContainer? ContainerFor(MediaFormat format) => Pipeline.MediaCatalog.ModuleFor(format)?.CreateManifestContainer();

    public byte[] Write(byte[] labeled, StampContext context)
    {
        var container = ContainerFor(context.Format)
                        ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{context.Name}: C2PA embedding is not available for {context.Format}");
        var builder = new ManifestStoreBuilder(options, ManifestTitle(context.Name), context.MarkId)
        {
            Purpose = context.ManifestPurpose,
            StatesWatermark = context.WatermarkApplied,
        };
        // One SHA-256 pass over the labeled bytes serves the manifest's identity and, when the container only
        // inserts the store, its data hash (a 10 MB PNG: 6 ms a pass).
        byte[] labeledHash = SHA256.HashData(labeled);
        builder.IdentifyByHash(labeledHash);
        if (context.PriorManifest is { } prior)
        {
            // Read from the input before re-encoding (provider mode): validated against the bytes it was bound to.
            builder.PreviousStore = TryParse(prior.Store, context.Name, context.Limits.Metadata);
            builder.PreviousReport = prior.Report;
        }
        else if (container.Extract(labeled, context.Name) is { } previous)
        {
            // A store the labeled bytes still carry (platform mode puts the provider's back unchanged).
            builder.PreviousStore = TryParse(previous, context.Name, context.Limits.Metadata);
            builder.PreviousReport = C2paReader.Read(labeled, context.Name, context.Limits.Metadata, options.TrustAnchors);
        }
        return Pipeline.MediaCatalog.ModuleFor(context.Format) is { BindsByBmffHash: true }
            ? WriteBmff(labeled, context.Name, builder, container, context.Limits.Metadata)
            : WriteDataHash(labeled, context.Name, builder, container, context.Limits.Metadata, labeledHash);
    }

    public PriorManifest? ReadPrior(ReadOnlyMemory<byte> input, StampContext context)
    {
        var container = ContainerFor(context.Format);
        if (container is null) return null;
        byte[] bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(input, out var segment)
                       && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : input.ToArray();
        var store = container.Extract(bytes, context.Name);
        return store is null ? null : new PriorManifest(store, C2paReader.Read(bytes, context.Name, context.Limits.Metadata, options.TrustAnchors));
    }

    /// <summary>The claim's dc:title: the file name only. The item name may be a local path (CLI) and a signed
    /// manifest travels with the file, so no directory ever goes into it (spec §6: no local paths).</summary>
    public static string ManifestTitle(string name)
    {
        int slash = name.LastIndexOfAny(['/', '\\']);
        string title = slash < 0 ? name : name[(slash + 1)..];
        return title.Length > 0 ? title : "untitled";
    }

    /// <param name="inputHash">SHA-256 of <paramref name="input"/>, when the caller has it: the data hash is then
    /// taken from it if the placed file is the input with the store's range inserted and nothing else changed
    /// (checked byte for byte, a fraction of a hash pass's cost).</param>
    internal static byte[] WriteDataHash(byte[] input, string name, ManifestStoreBuilder builder, ManifestContainer container, MetadataLimits? limits = null,
        byte[]? inputHash = null)
    {
        limits ??= new MetadataLimits();
        byte[] zeroHash = new byte[32];
        byte[] sizingHash = ManifestStoreBuilder.DataHash([new HashExclusion(0, 0)], zeroHash, InitialPad);
        byte[] sizing = builder.Build(C2paIds.DataHash, sizingHash, final: false);
        CheckReadable(sizing, sizing.Length + Slack, name, limits);
        int length = sizing.Length + Slack;
        var placed = container.Embed(input, new byte[length], name);
        // The store with the real exclusions differs from the sizing store in the data-hash assertion's CBOR alone:
        // every JUMBF box header is 8 bytes whatever its length, the claim holds that assertion's hash (32 bytes
        // either way) and the sizing signature has a fixed length. So its length is the sizing store's plus the
        // CBOR's growth, without building it (a whole store build, 0.14 ms of a 256 px stamp); the final build's
        // length check below still catches any store that did not settle.
        int probe = sizing.Length + ManifestStoreBuilder.DataHash(placed.Exclusions, zeroHash, InitialPad).Length - sizingHash.Length;
        int pad = InitialPad + (length - probe);
        if (pad is < 24 or > 255) throw ManifestStoreBuilder.Internal($"{name}: C2PA store size did not settle (pad {pad})");
        byte[] hash = inputHash is { Length: 32 } && OnlyInserted(input, placed) ? inputHash : DataHash(placed.File, placed.Exclusions);
        byte[] store = builder.Build(C2paIds.DataHash, ManifestStoreBuilder.DataHash(placed.Exclusions, hash, pad));
        if (store.Length != length) throw ManifestStoreBuilder.Internal($"{name}: C2PA store is {store.Length} bytes, {length} reserved");
        // The placeholder's file is not needed once hashed: the real store is written over it where the container can.
        var final = container.Refill(input, placed, store, name);
        if (!final.Exclusions.SequenceEqual(placed.Exclusions)) throw ManifestStoreBuilder.Internal($"{name}: C2PA store moved between reservation and signing");
        return final.File;
    }

    internal static byte[] WriteBmff(byte[] input, string name, ManifestStoreBuilder builder, ManifestContainer container, MetadataLimits? limits = null)
    {
        byte[] sizing = builder.Build(C2paIds.BmffHashV3, ManifestStoreBuilder.BmffHash(new byte[32]), final: false);
        CheckReadable(sizing, sizing.Length, name, limits ?? new MetadataLimits());
        int length = sizing.Length;
        var placed = container.Embed(input, new byte[length], name);
        byte[] hash = BmffManifestContainer.Hash(placed.File, name);
        byte[] store = builder.Build(C2paIds.BmffHashV3, ManifestStoreBuilder.BmffHash(hash));
        if (store.Length != length) throw ManifestStoreBuilder.Internal($"{name}: C2PA store is {store.Length} bytes, {length} reserved");
        return container.Embed(input, store, name).File;
    }

    /// <summary>Whether <paramref name="placed"/>'s file, with its one excluded range taken out, is <paramref name="input"/>
    /// byte for byte: then its data hash is the input's SHA-256.</summary>
    private static bool OnlyInserted(byte[] input, EmbeddedStore placed)
    {
        if (placed.Exclusions is not [var e] || e.Start < 0 || e.Length < 0 || e.Start > input.Length
            || placed.File.Length != input.Length + e.Length) return false;
        int start = (int)e.Start, end = (int)(e.Start + e.Length);
        return placed.File.AsSpan(0, start).SequenceEqual(input.AsSpan(0, start))
               && placed.File.AsSpan(end).SequenceEqual(input.AsSpan(start));
    }

    /// <summary>SHA-256 (or the given algorithm) of the file with the exclusion ranges left out (C2PA §18.5); empty (matching no
    /// hash) when the ranges overlap, are negative or run past the end of the file.</summary>
    public static byte[] DataHash(ReadOnlySpan<byte> file, IReadOnlyList<HashExclusion> exclusions, HashAlgorithmName? algorithm = null)
    {
        using var sha = IncrementalHash.CreateHash(algorithm ?? HashAlgorithmName.SHA256);
        long p = 0;
        foreach (var e in exclusions.OrderBy(e => e.Start))
        {
            // Compared without adding: a manifest's start + length may pass long.MaxValue.
            if (e.Start < p || e.Length < 0 || e.Start > file.Length || e.Length > file.Length - e.Start) return [];
            sha.AppendData(file[(int)p..(int)e.Start]);
            p = e.Start + e.Length;
        }
        sha.AppendData(file[(int)p..]);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Refuses to write a store that our own reader (C2paReader, and so verify) would refuse under the same
    /// limits: its bytes (<paramref name="length"/>, the final size), JUMBF boxes and depth, manifests, and
    /// the CBOR of the new manifest (items and depth; its ingredient carries the previous manifest's
    /// validation results). A store grows by one manifest each time a file is stamped again, so a long
    /// chain would otherwise be written and then be unreadable. Checked on the sizing pass, before the
    /// signature and any timestamp request.
    /// </summary>
    private static void CheckReadable(byte[] store, int length, string name, MetadataLimits limits)
    {
        if (length > limits.MaxManifestStoreBytes)
            throw Unreadable(name, $"would be {length} bytes, over the limit of {limits.MaxManifestStoreBytes} (Limits:Metadata:MaxManifestStoreBytes)");
        List<JumbfBox> manifests;
        try
        {
            manifests = JumbfBox.Parse(store, name, limits).Children.Where(c => c.IsSuperBox).ToList();
            DecodeCbor(manifests[^1], name, limits);
        }
        catch (LabelStampException e)
        {
            throw new LabelStampException(e.Code, $"{name}: {RefusalPrefix} ({e.Message})", e);
        }
        if (manifests.Count > limits.MaxManifests)
            throw Unreadable(name, $"would hold {manifests.Count} manifests (one per signed step carried along), over the limit of {limits.MaxManifests} (Limits:Metadata:MaxManifests)");
    }

    private static void DecodeCbor(JumbfBox box, string name, MetadataLimits limits)
    {
        if (box.Type == C2paIds.Cbor) CborTree.Decode(box.Data, name, limits);
        foreach (var child in box.Children) DecodeCbor(child, name, limits);
    }

    private const string RefusalPrefix = "refused to write a C2PA manifest store its readers would refuse";

    private static LabelStampException Unreadable(string name, string what) =>
        new(ErrorCode.ManifestTooLarge, $"{name}: {RefusalPrefix}: it {what}");

    private static JumbfBox? TryParse(byte[] store, string name, MetadataLimits limits)
    {
        // A store we cannot parse, or one over the limits, is still not dropped silently: the caller sees the error.
        var box = JumbfBox.Parse(store, name, limits);
        return box.IsSuperBox && box.Uuid.AsSpan().SequenceEqual(C2paIds.ManifestStoreUuid) ? box : null;
    }
}
