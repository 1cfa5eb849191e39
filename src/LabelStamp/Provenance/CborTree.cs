using System.Formats.Cbor;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance;

/// <summary>
/// Decodes CBOR into plain values (maps keyed by text or integer as <see cref="Dictionary{TKey,TValue}"/> of
/// string, arrays as lists, byte strings, text, long, double, bool, null). Readers of foreign manifests
/// need the shape, not a schema: other generators add fields we do not know (C2PA §6.2 allows it).
/// Lax conformance, because C2PA requires deterministic encoding only of what a signer writes.
/// Decoding is bounded by <see cref="MetadataLimits"/> (nesting, item count); declared lengths are never
/// trusted for allocation (<see cref="CborReader"/> checks each against the bytes left before reading it).
/// </summary>
public static class CborTree
{
    /// <summary>Decodes one CBOR item. Malformed or outside what a long holds → <see cref="ErrorCode.ManifestInvalid"/>;
    /// nested deeper or holding more items than <paramref name="limits"/> allow → <see cref="ErrorCode.MetadataTooComplex"/>.</summary>
    public static object? Decode(ReadOnlyMemory<byte> data, string name, MetadataLimits? limits = null)
    {
        var bounds = new Bounds(limits ?? new MetadataLimits(), name);
        try
        {
            var reader = new CborReader(data, CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
            var value = Read(reader, 0, bounds);
            return value;
        }
        // OverflowException: the reader's own arithmetic on hostile lengths, should any remain unchecked above.
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new LabelStampException(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest holds invalid CBOR ({e.Message})", e);
        }
    }

    /// <summary>The running count of one decode, checked at every item.</summary>
    private sealed class Bounds(MetadataLimits limits, string name)
    {
        private int _items;

        public void Enter(int depth)
        {
            if (depth >= limits.MaxCborDepth)
                throw new LabelStampException(ErrorCode.MetadataTooComplex,
                    $"{name}: C2PA manifest nests CBOR more than {limits.MaxCborDepth} deep (Limits:Metadata:MaxCborDepth)");
            if (++_items > limits.MaxCborItems)
                throw new LabelStampException(ErrorCode.MetadataTooComplex,
                    $"{name}: C2PA manifest holds more than {limits.MaxCborItems} CBOR items in one claim, assertion or header (Limits:Metadata:MaxCborItems)");
        }

        public LabelStampException OutOfRange(string what) =>
            new(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest holds a CBOR {what} outside the 64-bit signed range C2PA uses");
    }

    private static object? Read(CborReader r, int depth, Bounds bounds)
    {
        bounds.Enter(depth);
        switch (r.PeekState())
        {
            case CborReaderState.StartMap:
            {
                r.ReadStartMap();
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (r.PeekState() != CborReaderState.EndMap)
                {
                    // COSE headers key by integer (1 = alg, 33 = x5chain), C2PA maps by text; nothing else is a key.
                    string key = r.PeekState() switch
                    {
                        CborReaderState.TextString => r.ReadTextString(),
                        CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger =>
                            ReadInteger(r, bounds, "map key").ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => throw new FormatException($"a map key of type {r.PeekState()}, where text or an integer is expected"),
                    };
                    map[key] = Read(r, depth + 1, bounds);
                }
                r.ReadEndMap();
                return map;
            }
            case CborReaderState.StartArray:
            {
                r.ReadStartArray();
                var list = new List<object?>();
                while (r.PeekState() != CborReaderState.EndArray) list.Add(Read(r, depth + 1, bounds));
                r.ReadEndArray();
                return list;
            }
            case CborReaderState.Tag:
                r.ReadTag();
                return Read(r, depth + 1, bounds);
            case CborReaderState.ByteString: return r.ReadByteString();
            case CborReaderState.StartIndefiniteLengthByteString: return r.ReadByteString();
            case CborReaderState.TextString: return r.ReadTextString();
            case CborReaderState.StartIndefiniteLengthTextString: return r.ReadTextString();
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger: return ReadInteger(r, bounds, "integer");
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat: return r.ReadDouble();
            case CborReaderState.Boolean: return r.ReadBoolean();
            case CborReaderState.Null: r.ReadNull(); return null;
            case CborReaderState.SimpleValue: r.ReadSimpleValue(); return null;
            default: throw new FormatException($"unexpected CBOR state {r.PeekState()}");
        }
    }

    /// <summary>A CBOR integer as a long. CBOR encodes magnitudes up to 2^64 − 1 either way; C2PA and COSE
    /// never need more than a long, and <see cref="CborReader.ReadInt64"/> would throw an untyped overflow.</summary>
    private static long ReadInteger(CborReader r, Bounds bounds, string what)
    {
        if (r.PeekState() == CborReaderState.UnsignedInteger)
        {
            ulong value = r.ReadUInt64();
            return value <= long.MaxValue ? (long)value : throw bounds.OutOfRange(what);
        }
        ulong magnitude = r.ReadCborNegativeIntegerRepresentation(); // the value is −1 − magnitude
        return magnitude <= long.MaxValue ? -1 - (long)magnitude : throw bounds.OutOfRange(what);
    }

    public static Dictionary<string, object?>? Map(object? v) => v as Dictionary<string, object?>;

    public static string? Text(Dictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) ? v as string : null;

    public static byte[]? Bytes(Dictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) ? v as byte[] : null;

    public static long? Integer(Dictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) && v is long l ? l : null;

    public static List<object?> List(Dictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) && v is List<object?> l ? l : [];
}
