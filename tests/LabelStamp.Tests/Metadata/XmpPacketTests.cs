using LabelStamp.Metadata.Xmp;

namespace LabelStamp.Tests.Metadata;

public class XmpPacketTests
{
    private const string Foreign = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" TC260:AIGC="{old}">
        <dc:creator><rdf:Seq><rdf:li>Someone</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>
        """;

    [Fact]
    public void Merge_replaces_an_earlier_label_and_keeps_other_properties()
    {
        string merged = XmpPacket.Merge(Foreign, "{new}");
        var fields = XmpPacket.Read(merged);
        Assert.Equal("{new}", fields.AigcJson);
        Assert.Equal(1, fields.AigcCount);
        Assert.Equal(XmpNames.TrainedAlgorithmicMedia, fields.DigitalSourceType);
        Assert.Contains("Someone", merged);
        Assert.Equal(1, XmpPacket.Read(XmpPacket.Merge(merged, "{newer}")).AigcCount);
    }

    [Fact]
    public void A_new_packet_is_well_formed_and_wrapped()
    {
        string packet = XmpPacket.Merge(null, "{\"Label\":\"1\"}");
        Assert.StartsWith("<?xpacket begin=", packet);
        Assert.EndsWith("<?xpacket end=\"w\"?>", packet);
        Assert.Equal("{\"Label\":\"1\"}", XmpPacket.Read(packet).AigcJson);
    }

    [Fact]
    public void Hostile_xml_is_refused()
    {
        const string Dtd = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&a;</x:xmpmeta>";
        Assert.Throws<Errors.LabelStampException>(() => XmpPacket.Merge(Dtd, "{}"));
    }
}
