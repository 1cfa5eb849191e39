using System.Formats.Cbor;
using LabelStamp.Errors;

namespace LabelStamp.Provenance;

/// <summary>
/// Decodes CBOR into plain values (maps keyed by text or integer as <see cref="Dictionary{TKey,TValue}"/> of
/// string, arrays as lists, byte strings, text, long, double, bool, null). Readers of foreign manifests
/// need the shape, not a schema: other generators add fields we do not know (C2PA §6.2 allows it).
/// Lax conformance, because C2PA requires deterministic encoding only of what a signer writes.
/// </summary>
public static class CborTree
{
    public static object? Decode(ReadOnlyMemory<byte> data, string name)
    {
        try
        {
            var reader = new CborReader(data, CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
            var value = Read(reader, 0);
            return value;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            throw new LabelStampException(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest holds invalid CBOR ({e.Message})", e);
        }
    }

    private static object? Read(CborReader r, int depth)
    {
        if (depth > 32) throw new FormatException("CBOR nested too deeply");
        switch (r.PeekState())
        {
            case CborReaderState.StartMap:
            {
                r.ReadStartMap();
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (r.PeekState() != CborReaderState.EndMap)
                {
                    string key = r.PeekState() switch
                    {
                        CborReaderState.TextString => r.ReadTextString(),
                        CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => r.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => throw new FormatException("unsupported CBOR map key"),
                    };
                    map[key] = Read(r, depth + 1);
                }
                r.ReadEndMap();
                return map;
            }
            case CborReaderState.StartArray:
            {
                r.ReadStartArray();
                var list = new List<object?>();
                while (r.PeekState() != CborReaderState.EndArray) list.Add(Read(r, depth + 1));
                r.ReadEndArray();
                return list;
            }
            case CborReaderState.Tag:
                r.ReadTag();
                return Read(r, depth + 1);
            case CborReaderState.ByteString: return r.ReadByteString();
            case CborReaderState.StartIndefiniteLengthByteString: return r.ReadByteString();
            case CborReaderState.TextString: return r.ReadTextString();
            case CborReaderState.StartIndefiniteLengthTextString: return r.ReadTextString();
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger: return r.ReadInt64();
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat: return r.ReadDouble();
            case CborReaderState.Boolean: return r.ReadBoolean();
            case CborReaderState.Null: r.ReadNull(); return null;
            case CborReaderState.SimpleValue: r.ReadSimpleValue(); return null;
            default: throw new FormatException($"unexpected CBOR state {r.PeekState()}");
        }
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
