using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance;

/// <summary>
/// One JUMBF box (ISO 19566-5): either a superbox ('jumb') with its description ('jumd': type UUID and
/// label) and child boxes, or a content box (e.g. 'cbor', 'json') holding raw bytes. C2PA builds the
/// whole manifest store out of these (C2PA §11.1). Parsing is bounded by <see cref="MetadataLimits"/>
/// (store bytes, box count, nesting) and costs one pass over the bytes.
/// </summary>
public sealed class JumbfBox
{
    private JumbfBox(string type, byte[] uuid, string? label, IReadOnlyList<JumbfBox> children, byte[] data)
    {
        Type = type;
        Uuid = uuid;
        Label = label;
        Children = children;
        Data = data;
    }

    /// <summary>Four-character box type: "jumb" for a superbox, otherwise the content type.</summary>
    public string Type { get; }

    /// <summary>The superbox's type UUID from its description box (empty for content boxes).</summary>
    public byte[] Uuid { get; }

    public string? Label { get; }

    public IReadOnlyList<JumbfBox> Children { get; }

    /// <summary>Payload of a content box.</summary>
    public byte[] Data { get; }

    public bool IsSuperBox => Type == C2paIds.Jumb;

    /// <summary>The exact bytes this box was read from (set by <see cref="Parse"/>); hashed URIs cover them.</summary>
    public ReadOnlyMemory<byte> RawBytes { get; private set; }

    public static JumbfBox Super(ReadOnlySpan<byte> uuid, string label, params IEnumerable<JumbfBox> children) =>
        new(C2paIds.Jumb, uuid.ToArray(), label, [.. children], []);

    public static JumbfBox Content(string type, byte[] data) => new(type, [], null, [], data);

    /// <summary>A box written back exactly as <paramref name="raw"/> (e.g. another generator's manifest carried over).</summary>
    public static JumbfBox Opaque(byte[] raw, string? label) =>
        new(Encoding.ASCII.GetString(raw, 4, 4), [], label, [], []) { _opaque = raw, RawBytes = raw };

    private byte[]? _opaque;

    // Built on first use: hashed URIs name boxes by label, and a claim may list a thousand of them, so a
    // linear search per lookup would make resolving them quadratic.
    private Dictionary<string, JumbfBox>? _byLabel;

    /// <summary>The first child with this label, or null.</summary>
    public JumbfBox? Child(string label)
    {
        var index = _byLabel;
        if (index is null)
        {
            index = new Dictionary<string, JumbfBox>(Children.Count, StringComparer.Ordinal);
            foreach (var c in Children)
                if (c.Label is not null) index.TryAdd(c.Label, c);
            _byLabel = index;
        }
        return index.GetValueOrDefault(label);
    }

    public int Size
    {
        get
        {
            if (_opaque is not null) return _opaque.Length;
            if (!IsSuperBox) return 8 + Data.Length;
            // jumd: header 8 + uuid 16 + toggles 1 + label + NUL
            int size = 8 + 8 + 16 + 1 + (Label is null ? 0 : Encoding.UTF8.GetByteCount(Label) + 1);
            foreach (var c in Children) size += c.Size;
            return size;
        }
    }

    public byte[] ToArray()
    {
        var output = new byte[Size];
        int n = WriteTo(output);
        return n == output.Length ? output : throw new LabelStampException(ErrorCode.Internal, "JUMBF size mismatch");
    }

    public int WriteTo(Span<byte> output)
    {
        if (_opaque is not null)
        {
            _opaque.CopyTo(output);
            return _opaque.Length;
        }
        int size = Size;
        BinaryPrimitives.WriteUInt32BigEndian(output, (uint)size);
        Encoding.ASCII.GetBytes(Type, output[4..8]);
        if (!IsSuperBox)
        {
            Data.CopyTo(output[8..]);
            return size;
        }
        int labelBytes = Label is null ? 0 : Encoding.UTF8.GetByteCount(Label) + 1;
        int p = 8;
        BinaryPrimitives.WriteUInt32BigEndian(output[p..], (uint)(8 + 16 + 1 + labelBytes));
        "jumd"u8.CopyTo(output[(p + 4)..]);
        Uuid.CopyTo(output[(p + 8)..]);
        // Toggles: requestable (bit 0) and label present (bit 1); C2PA requires every box to be labelled and
        // requestable so hashed URIs can address it (C2PA §11.1.4).
        output[p + 24] = (byte)(Label is null ? 0x01 : 0x03);
        p += 25;
        if (Label is not null)
        {
            p += Encoding.UTF8.GetBytes(Label, output[p..]);
            output[p++] = 0;
        }
        foreach (var child in Children) p += child.WriteTo(output[p..]);
        return p;
    }

    /// <summary>Parses a manifest store within <paramref name="limits"/> (defaults when null): over the store's
    /// bytes or box count → <see cref="ErrorCode.ManifestTooLarge"/>, nested deeper → <see cref="ErrorCode.MetadataTooComplex"/>,
    /// malformed → <see cref="ErrorCode.ManifestInvalid"/>.</summary>
    public static JumbfBox Parse(ReadOnlyMemory<byte> data, string name, MetadataLimits? limits = null)
    {
        limits ??= new MetadataLimits();
        if (data.Length > limits.MaxManifestStoreBytes)
            throw new LabelStampException(ErrorCode.ManifestTooLarge,
                $"{name}: C2PA manifest store of {data.Length} bytes is over the limit of {limits.MaxManifestStoreBytes} (Limits:Metadata:MaxManifestStoreBytes)");
        int boxes = 0;
        var (box, used) = ParseOne(data, name, 0, limits, ref boxes);
        if (used != data.Length && data.Span[used..].IndexOfAnyExcept((byte)0) >= 0)
            throw Invalid(name, $"has {data.Length - used} stray bytes after the manifest store");
        return box;
    }

    private static (JumbfBox Box, int Used) ParseOne(ReadOnlyMemory<byte> data, string name, int depth, MetadataLimits limits, ref int boxes)
    {
        if (depth >= limits.MaxJumbfDepth)
            throw new LabelStampException(ErrorCode.MetadataTooComplex,
                $"{name}: C2PA manifest store nests JUMBF boxes more than {limits.MaxJumbfDepth} deep (Limits:Metadata:MaxJumbfDepth)");
        if (++boxes > limits.MaxJumbfBoxes)
            throw new LabelStampException(ErrorCode.ManifestTooLarge,
                $"{name}: C2PA manifest store holds more than {limits.MaxJumbfBoxes} JUMBF boxes (Limits:Metadata:MaxJumbfBoxes); refused before reading further");
        var b = data.Span;
        if (b.Length < 8) throw Invalid(name, "ends inside a JUMBF box header");
        long size = BinaryPrimitives.ReadUInt32BigEndian(b);
        string type = Encoding.ASCII.GetString(b.Slice(4, 4));
        int header = 8;
        if (size == 1)
        {
            if (b.Length < 16) throw Invalid(name, "ends inside a JUMBF box header");
            size = (long)BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
            header = 16;
        }
        else if (size == 0) size = b.Length;
        if (size < header || size > b.Length) throw Invalid(name, $"has a JUMBF '{type}' box of {size} bytes that does not fit");
        var raw = data[..(int)size];
        var payload = raw[header..];
        if (type != C2paIds.Jumb)
        {
            var content = new JumbfBox(type, [], null, [], payload.ToArray()) { RawBytes = raw };
            return (content, (int)size);
        }
        var (descStart, descLen) = (0, 0);
        var pb = payload.Span;
        if (pb.Length < 8 + 17 || Encoding.ASCII.GetString(pb.Slice(4, 4)) != C2paIds.Jumd)
            throw Invalid(name, "has a JUMBF superbox without a description box");
        descLen = (int)BinaryPrimitives.ReadUInt32BigEndian(pb);
        if (descLen < 25 || descLen > pb.Length) throw Invalid(name, "has a malformed JUMBF description box");
        var desc = pb.Slice(descStart + 8, descLen - 8);
        byte[] uuid = desc[..16].ToArray();
        byte toggles = desc[16];
        string? label = null;
        if ((toggles & 0x02) != 0)
        {
            int nul = desc[17..].IndexOf((byte)0);
            if (nul < 0) throw Invalid(name, "has a JUMBF label without its terminator");
            label = Encoding.UTF8.GetString(desc.Slice(17, nul));
        }
        var children = new List<JumbfBox>();
        int p = descLen;
        while (p < payload.Length)
        {
            var (child, used) = ParseOne(payload[p..], name, depth + 1, limits, ref boxes);
            children.Add(child);
            p += used;
        }
        return (new JumbfBox(type, uuid, label, children, []) { RawBytes = raw }, (int)size);
    }

    private static LabelStampException Invalid(string name, string what) =>
        new(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest store {what}");
}
