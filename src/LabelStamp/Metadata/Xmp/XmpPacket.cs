using System.Text;
using System.Xml;
using System.Xml.Linq;
using LabelStamp.Errors;
using LabelStamp.Pipeline;

namespace LabelStamp.Metadata.Xmp;

/// <summary>
/// Reads and merges XMP packets. Merging keeps every other property, removes any earlier TC260:AIGC and
/// DigitalSourceType wherever they were (as attribute or element, in any rdf:Description), and writes
/// exactly one of each, so a file never carries two AIGC labels (spec §4: update, never duplicate).
/// A packet is checked against <see cref="MetadataLimits"/> (size, nesting, element count) in one streaming
/// pass before any tree is built, and every later step is linear in the tree: LINQ to XML is not, on
/// hostile shapes (see <see cref="Load"/> and <see cref="RemoveEverywhere"/>).
/// </summary>
public static class XmpPacket
{
    private const string PacketBegin = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
    private const string PacketEnd = "<?xpacket end=\"w\"?>";

    /// <summary>Returns a new packet: <paramref name="existing"/> (may be null) with our two properties set.
    /// A null <paramref name="digitalSourceType"/> keeps the packet's own value (a platform that only suspects
    /// AI has no IPTC code to claim), and writes none when there was none. <paramref name="name"/> names the
    /// file in errors.</summary>
    public static string Merge(string? existing, string aigcJson, string? digitalSourceType = XmpNames.TrainedAlgorithmicMedia,
        MetadataLimits? limits = null, string? name = null)
    {
        bool fresh = string.IsNullOrWhiteSpace(existing);
        XDocument doc = fresh ? NewDocument() : Load(existing!, limits ?? new MetadataLimits(), name);
        XElement rdf = doc.Descendants(XmpNames.Rdf + "RDF").FirstOrDefault()
                       ?? throw new LabelStampException(ErrorCode.CorruptInput, $"{Prefix(name)}existing XMP has no rdf:RDF element");
        digitalSourceType ??= fresh ? null : FirstAndCount(doc, XmpNames.DigitalSourceType).First;
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
    public static XmpAigcFields Read(string xmp, MetadataLimits? limits = null, string? name = null)
    {
        XDocument doc = Load(xmp, limits ?? new MetadataLimits(), name);
        var (aigc, count) = FirstAndCount(doc, XmpNames.Aigc);
        return new XmpAigcFields(aigc, FirstAndCount(doc, XmpNames.DigitalSourceType).First, count);
    }

    /// <summary>The first value of a property (attribute or element of any rdf:Description) and how many
    /// there are. Only the first value is materialised: an element's value is all the text beneath it, so
    /// collecting every value of nested properties would copy the packet once per nesting level.</summary>
    private static (string? First, int Count) FirstAndCount(XDocument doc, XName name)
    {
        string? first = null;
        int count = 0;
        foreach (var d in doc.Descendants(XmpNames.Rdf + "Description"))
        {
            if (d.Attribute(name) is { } a) { first ??= a.Value; count++; }
            foreach (var e in d.Elements(name)) { first ??= e.Value; count++; }
        }
        return (first, count);
    }

    /// <summary>
    /// Removes a property everywhere, and the descriptions left empty by it. <see cref="XNode.Remove"/> walks
    /// the parent's child list to find the node's predecessor, so removing k of n siblings one at a time
    /// costs k·n; each affected parent's children are rebuilt once instead, which is linear.
    /// </summary>
    private static void RemoveEverywhere(XElement rdf, XName name)
    {
        var emptied = new HashSet<XElement>();
        var parents = new List<XElement>();
        var seen = new HashSet<XElement>();
        foreach (var d in rdf.Descendants(XmpNames.Rdf + "Description").ToList())
        {
            d.Attribute(name)?.Remove();
            if (d.Element(name) is not null)
                d.ReplaceNodes(d.Nodes().Where(n => n is not XElement e || e.Name != name).ToList());
            // A description we emptied entirely (only rdf:about and namespace declarations left) goes too.
            if (!d.HasElements && d.Attributes().All(a => a.IsNamespaceDeclaration || a.Name == XmpNames.Rdf + "about")
                && d.Parent is { } parent && emptied.Add(d) && seen.Add(parent))
                parents.Add(parent);
        }
        foreach (var parent in parents)
            parent.ReplaceNodes(parent.Nodes().Where(n => n is not XElement e || !emptied.Contains(e)).ToList());
    }

    private static XDocument NewDocument() => new(
        new XElement(XmpNames.X + "xmpmeta",
            new XAttribute(XNamespace.Xmlns + "x", XmpNames.X.NamespaceName),
            new XElement(XmpNames.Rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", XmpNames.Rdf.NamespaceName))));

    /// <summary>
    /// Parses a packet within the limits. A first streaming pass checks size, depth and element count, so a
    /// hostile packet costs one linear read up to the bound. Only then is the tree built: LINQ to XML checks
    /// every node it adds against all of the parent's ancestors (so a node can never become its own
    /// ancestor), which makes loading a chain n elements deep cost n² — 100,000 levels took 20 s and
    /// 400,000 over two minutes. With depth bounded, loading is linear.
    /// </summary>
    private static XDocument Load(string xmp, MetadataLimits limits, string? name)
    {
        string text = xmp.TrimEnd('\0');
        if (text.Length > limits.MaxXmpBytes)
            throw new LabelStampException(ErrorCode.MetadataTooLarge,
                $"{Prefix(name)}XMP packet of {text.Length} characters is over the limit of {limits.MaxXmpBytes} (Limits:Metadata:MaxXmpBytes)");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxXmpBytes,
        };
        try
        {
            using (var reader = XmlReader.Create(new StringReader(text), settings))
            {
                int elements = 0;
                while (reader.Read())
                {
                    if (reader.NodeType != XmlNodeType.Element) continue;
                    if (reader.Depth >= limits.MaxXmlDepth)
                        throw new LabelStampException(ErrorCode.MetadataTooComplex,
                            $"{Prefix(name)}XMP nests elements more than {limits.MaxXmlDepth} deep (Limits:Metadata:MaxXmlDepth); refused before parsing further");
                    if (++elements > limits.MaxXmlElements)
                        throw new LabelStampException(ErrorCode.MetadataTooComplex,
                            $"{Prefix(name)}XMP holds more than {limits.MaxXmlElements} elements (Limits:Metadata:MaxXmlElements); refused before parsing further");
                }
            }
            using var tree = XmlReader.Create(new StringReader(text), settings);
            return XDocument.Load(tree, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new LabelStampException(ErrorCode.CorruptInput, $"{Prefix(name)}existing XMP is not well-formed XML: " + e.Message, e);
        }
    }

    private static string Prefix(string? name) => name is null ? "" : name + ": ";

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
