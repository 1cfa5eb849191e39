namespace LabelStamp.Provenance;

/// <summary>
/// Labels and JUMBF type UUIDs fixed by the C2PA 2.x specification (§11.1 "Use of JUMBF": manifest store
/// "c2pa", manifest, assertion store "c2pa.assertions", claim, signature) and ISO 19566-5 content box types.
/// UUIDs are stored in JUMBF byte order: the 4-character code followed by 0011-0010-8000-00AA00389B71.
/// </summary>
public static class C2paIds
{
    public const string StoreLabel = "c2pa";
    public const string AssertionStoreLabel = "c2pa.assertions";
    public const string ClaimV2Label = "c2pa.claim.v2";
    public const string ClaimV1Label = "c2pa.claim";
    public const string SignatureLabel = "c2pa.signature";
    public const string ActionsV2 = "c2pa.actions.v2";
    public const string ActionsV1 = "c2pa.actions";
    public const string DataHash = "c2pa.hash.data";
    /// <summary>The first BMFF hash (deprecated): boxes hashed without their offsets.</summary>
    public const string BmffHashV1 = "c2pa.hash.bmff";
    public const string BmffHashV2 = "c2pa.hash.bmff.v2";
    public const string BmffHashV3 = "c2pa.hash.bmff.v3";
    public const string BoxesHash = "c2pa.hash.boxes";
    public const string SoftBinding = "c2pa.soft-binding";
    public const string IngredientV3 = "c2pa.ingredient.v3";
    public const string Created = "c2pa.created";
    public const string Opened = "c2pa.opened";
    public const string EditedMetadata = "c2pa.edited.metadata";
    public const string Edited = "c2pa.edited";
    public const string Published = "c2pa.published";
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    /// <summary>Our soft-binding algorithm name: the LabelStamp L3 watermark carrying the 64-bit mark ID (spec §5).</summary>
    public const string WatermarkAlgorithm = "com.labelstamp.watermark.v1";

    /// <summary>JUMBF box types (ISO 19566-5 §A): superbox, description, CBOR and JSON content.</summary>
    public const string Jumb = "jumb", Jumd = "jumd", Cbor = "cbor", Json = "json";

    public static ReadOnlySpan<byte> ManifestStoreUuid => [0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    public static ReadOnlySpan<byte> ManifestUuid => [0x63, 0x32, 0x6D, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    public static ReadOnlySpan<byte> AssertionStoreUuid => [0x63, 0x32, 0x61, 0x73, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    public static ReadOnlySpan<byte> ClaimUuid => [0x63, 0x32, 0x63, 0x6C, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    public static ReadOnlySpan<byte> SignatureUuid => [0x63, 0x32, 0x63, 0x73, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    public static ReadOnlySpan<byte> CborAssertionUuid => [0x63, 0x62, 0x6F, 0x72, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>ISO BMFF user type of the top-level C2PA 'uuid' box (C2PA §A.4.2).</summary>
    public static ReadOnlySpan<byte> BmffBoxUuid => [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81];
}
