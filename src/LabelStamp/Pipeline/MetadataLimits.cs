using LabelStamp.Errors;

namespace LabelStamp.Pipeline;

/// <summary>
/// Bounds on the metadata parsed from untrusted files: XMP packets and C2PA manifest stores (JUMBF boxes
/// holding CBOR). Each bound is checked while reading, before the work or memory it guards, so the cost of
/// a hostile packet or store is linear in its bytes and stops at the bound (issue 22: poison inputs never
/// stall a worker). Defaults are far above what real generators and editors write; the figures next to
/// each say what real files use. Over a size or count bound: <see cref="ErrorCode.MetadataTooLarge"/> (XMP
/// bytes) or <see cref="ErrorCode.ManifestTooLarge"/> (C2PA); over a nesting or element bound:
/// <see cref="ErrorCode.MetadataTooComplex"/>.
/// </summary>
public sealed record MetadataLimits
{
    /// <summary>Bytes of one XMP packet (UTF-8, after inflating a compressed PNG iTXt). Camera and editor
    /// packets are 2–60 KB (a JPEG APP1 segment holds at most 64 KB).</summary>
    public int MaxXmpBytes { get; init; } = 4 << 20;

    /// <summary>Element nesting of an XMP packet. XMP needs fewer than 15 levels (x:xmpmeta, rdf:RDF,
    /// rdf:Description, a property, rdf:Seq/Bag/Alt, rdf:li, a few structs). Also what keeps the tree code
    /// linear: LINQ to XML checks every added node against its ancestors, so loading a chain n deep costs n².</summary>
    public int MaxXmlDepth { get; init; } = 64;

    /// <summary>Elements in one XMP packet. A large real packet (Photoshop history) has a few thousand.</summary>
    public int MaxXmlElements { get; init; } = 100_000;

    /// <summary>Bytes of a C2PA manifest store. Stores are a few KB; embedded ingredient thumbnails
    /// bring a long edit history to a few MB.</summary>
    public int MaxManifestStoreBytes { get; init; } = 16 << 20;

    /// <summary>Manifests in one store (one per signed edit or publication step carried along).</summary>
    public int MaxManifests { get; init; } = 128;

    /// <summary>Assertions one claim lists (created plus gathered) or one assertion store holds; real claims have 3–20.</summary>
    public int MaxAssertionsPerManifest { get; init; } = 1_000;

    /// <summary>Ingredient assertions of one manifest (a composite from many sources).</summary>
    public int MaxIngredientsPerManifest { get; init; } = 128;

    /// <summary>JUMBF superbox nesting. C2PA needs 5 (store, manifest, assertion store, assertion, content).</summary>
    public int MaxJumbfDepth { get; init; } = 16;

    /// <summary>JUMBF boxes in a store, all levels (each assertion is two: its superbox and its content box).</summary>
    public int MaxJumbfBoxes { get; init; } = 10_000;

    /// <summary>CBOR nesting of one claim, assertion or COSE header (real ones nest 6–8 deep).</summary>
    public int MaxCborDepth { get; init; } = 32;

    /// <summary>CBOR data items decoded from one claim, assertion or COSE header. Every item becomes an
    /// object, so this caps the memory a store of one-byte items can make the reader allocate.</summary>
    public int MaxCborItems { get; init; } = 100_000;

    /// <summary>Exclusions of one hard binding (c2pa.hash.data has 1, c2pa.hash.bmff 3–6). Each BMFF
    /// exclusion walks the file's boxes, so the count multiplies the hash's cost.</summary>
    public int MaxHashExclusions { get; init; } = 64;

    /// <summary>Refuses a bound so low that files LabelStamp itself writes would be refused, or (for the
    /// nesting bounds, which the readers follow by recursion or per level) so high that it bounds nothing.</summary>
    public MetadataLimits Validate()
    {
        Check(MaxXmpBytes, 64 << 10, int.MaxValue, nameof(MaxXmpBytes));
        Check(MaxXmlDepth, 16, 1_000, nameof(MaxXmlDepth));
        Check(MaxXmlElements, 1_000, int.MaxValue, nameof(MaxXmlElements));
        Check(MaxManifestStoreBytes, 64 << 10, int.MaxValue, nameof(MaxManifestStoreBytes));
        Check(MaxManifests, 2, int.MaxValue, nameof(MaxManifests));
        Check(MaxAssertionsPerManifest, 16, int.MaxValue, nameof(MaxAssertionsPerManifest));
        Check(MaxIngredientsPerManifest, 1, int.MaxValue, nameof(MaxIngredientsPerManifest));
        Check(MaxJumbfDepth, 8, 256, nameof(MaxJumbfDepth));
        Check(MaxJumbfBoxes, 64, int.MaxValue, nameof(MaxJumbfBoxes));
        Check(MaxCborDepth, 16, 1_000, nameof(MaxCborDepth));
        Check(MaxCborItems, 1_000, int.MaxValue, nameof(MaxCborItems));
        Check(MaxHashExclusions, 8, int.MaxValue, nameof(MaxHashExclusions));
        return this;
    }

    private static void Check(int value, int minimum, int maximum, string name)
    {
        if (value < minimum || value > maximum)
            throw new LabelStampException(ErrorCode.InvalidArgument,
                $"metadata limit {name} = {value} must be between {minimum} and {maximum} (Limits:Metadata:{name}); below, files LabelStamp itself writes are refused");
    }
}
