using System.Text;
using System.Xml;
using System.Xml.Linq;
using LabelStamp.Errors;

namespace LabelStamp.Metadata.Xmp;

/// <summary>
/// Reads and merges XMP packets. Merging keeps every other property, removes any earlier TC260:AIGC and
/// DigitalSourceType wherever they were (as attribute or element, in any rdf:Description), and writes
/// exactly one of each, so a file never carries two AIGC labels (spec §4: update, never duplicate).
/// </summary>
public static class XmpPacket
{
    private const string PacketBegin = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
    private const string PacketEnd = "<?xpacket end=\"w\"?>";

    /// <summary>Returns a new packet: <paramref name="existing"/> (may be null) with our two properties set.
    /// A null <paramref name="digitalSourceType"/> keeps the packet's own value (a platform that only suspects
    /// AI has no IPTC code to claim), and writes none when there was none.</summary>
    public static string Merge(string? existing, string aigcJson, string? digitalSourceType = XmpNames.TrainedAlgorithmicMedia)
    {
        XDocument doc = string.IsNullOrWhiteSpace(existing) ? NewDocument() : Load(existing);
        XElement rdf = doc.Descendants(XmpNames.Rdf + "RDF").FirstOrDefault()
                       ?? throw new LabelStampException(ErrorCode.CorruptInput, "existing XMP has no rdf:RDF element");
        digitalSourceType ??= string.IsNullOrWhiteSpace(existing) ? null : Read(existing).DigitalSourceType;
        RemoveEverywhere(rdf, XmpNames.Aigc);
        RemoveEverywhere(rdf, XmpNames.DigitalSourceType);

        var description = new XElement(XmpNames.Rdf + "Description",
            new XAttribute(XmpNames.Rdf + "about", ""),
            new XAttribute(XNamespace.Xmlns + "TC260", XmpNames.Tc260.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "Iptc4xmpExt", XmpNames.IptcExt.NamespaceName),
            new XElement(XmpNames.Aigc, aigcJson),
            digitalSourceType is null ? null : new XElement(XmpNames.DigitalSourceType, digitalSourceType));
        rdf.Add(description);
        return Serialize(doc);
    }

    /// <summary>Reads our two properties (null when absent). Counts AIGC occurrences so verify can flag duplicates.</summary>
    public static XmpAigcFields Read(string xmp)
    {
        XDocument doc = Load(xmp);
        var aigc = Values(doc, XmpNames.Aigc).ToList();
        var dst = Values(doc, XmpNames.DigitalSourceType).FirstOrDefault();
        return new XmpAigcFields(aigc.FirstOrDefault(), dst, aigc.Count);
    }

    private static IEnumerable<string> Values(XDocument doc, XName name)
    {
        foreach (var d in doc.Descendants(XmpNames.Rdf + "Description"))
        {
            if (d.Attribute(name) is { } a) yield return a.Value;
            foreach (var e in d.Elements(name)) yield return e.Value;
        }
    }

    private static void RemoveEverywhere(XElement rdf, XName name)
    {
        foreach (var d in rdf.Descendants(XmpNames.Rdf + "Description").ToList())
        {
            d.Attribute(name)?.Remove();
            d.Elements(name).Remove();
            // A description we emptied entirely (only rdf:about and namespace declarations left) goes too.
            if (!d.HasElements && d.Attributes().All(a => a.IsNamespaceDeclaration || a.Name == XmpNames.Rdf + "about"))
                d.Remove();
        }
    }

    private static XDocument NewDocument() => new(
        new XElement(XmpNames.X + "xmpmeta",
            new XAttribute(XNamespace.Xmlns + "x", XmpNames.X.NamespaceName),
            new XElement(XmpNames.Rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", XmpNames.Rdf.NamespaceName))));

    private static XDocument Load(string xmp)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 16 << 20 };
            using var reader = XmlReader.Create(new StringReader(xmp.TrimEnd('\0')), settings);
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, "existing XMP is not well-formed XML: " + e.Message, e);
        }
    }

    private static string Serialize(XDocument doc)
    {
        XElement root = doc.Root!;
        var sb = new StringBuilder();
        sb.Append(PacketBegin).Append('\n');
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, Encoding = new UTF8Encoding(false) };
        using (var w = XmlWriter.Create(sb, settings)) root.WriteTo(w);
        sb.Append('\n');
        // Padding lets later tools edit the packet in place (XMP spec part 1, §7.3.2).
        for (int i = 0; i < 8; i++) sb.Append(' ', 99).Append('\n');
        sb.Append(PacketEnd);
        return sb.ToString();
    }
}
