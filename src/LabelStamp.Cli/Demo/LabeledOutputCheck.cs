using System.Security.Cryptography;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Provenance;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Store;

namespace LabelStamp.Cli.Demo;

/// <summary>
/// What the checker demands of each labeled output, independently of the worker: the bytes (inline or
/// from the store) hash to ls-sha256, re-sniff as the declared type, and for images carry the AIGC XMP
/// that ls-aigc announces, and a valid C2PA manifest soft-bound to ls-mark-id when ls-layers says c2pa.
/// </summary>
public static class LabeledOutputCheck
{
    /// <summary>Returns the output bytes and null, or null bytes and the reason it fails.</summary>
    public static async Task<(byte[]? Bytes, string? Problem)> CheckAsync(ReceivedRecord record, IClaimCheckStore? store, CancellationToken cancellationToken)
    {
        byte[] bytes = record.Value;
        if (record.Header(KafkaHeaders.Reference) is { } reference)
        {
            if (store is null || !store.Owns(new Uri(reference))) return (null, "ls-ref outside the store");
            bytes = await store.ReadAsync(new Uri(reference), long.MaxValue, cancellationToken).ConfigureAwait(false);
        }
        if (record.Header(KafkaHeaders.Type) != KafkaHeaders.LabeledType) return (null, "ce_type is not labelstamp.media.labeled");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != record.Header(KafkaHeaders.Sha256)) return (null, "ls-sha256 does not match the bytes");
        var format = MediaSniffer.TrySniff(bytes);
        if (format is null || format.ContentType != record.Header(KafkaHeaders.ContentType)) return (null, "bytes do not sniff as the declared content_type");
        string? aigc = record.Header(KafkaHeaders.Aigc);
        if (aigc is null) return (null, "no ls-aigc header");
        var label = AigcLabel.Parse(aigc);
        if (label.ProduceID != record.ContentId) return (null, "ls-aigc ProduceID is not the content ID");
        if (format.Kind == MediaKind.Image && (LayersText.Parse(record.Header(KafkaHeaders.Layers) ?? "none") & Layers.Metadata) != 0)
        {
            string? xmp = ImageXmp.Read(bytes, format, record.ContentId);
            if (xmp is null) return (null, "no XMP packet in the labeled image");
            if (XmpPacket.Read(xmp).AigcJson != aigc) return (null, "XMP TC260:AIGC differs from ls-aigc");
        }
        if ((LayersText.Parse(record.Header(KafkaHeaders.Layers) ?? "none") & Layers.Provenance) != 0)
        {
            var c2pa = C2paReader.Read(bytes, record.ContentId);
            if (!c2pa.Present || !c2pa.SignatureValid || !c2pa.HardBindingValid) return (null, "C2PA manifest missing or invalid");
            if (!string.Equals(c2pa.SoftBindingMarkId, record.Header(KafkaHeaders.MarkId), StringComparison.OrdinalIgnoreCase)) return (null, "C2PA soft binding does not name ls-mark-id");
        }
        return (bytes, null);
    }
}
