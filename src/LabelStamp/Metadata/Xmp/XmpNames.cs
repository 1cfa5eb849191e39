using System.Xml.Linq;

namespace LabelStamp.Metadata.Xmp;

/// <summary>Namespaces and property names of spec §4.</summary>
public static class XmpNames
{
    public static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public static readonly XNamespace X = "adobe:ns:meta/";
    public static readonly XNamespace Tc260 = "http://www.tc260.org.cn/ns/AIGC/1.0/";
    public static readonly XNamespace IptcExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

    public static readonly XName Aigc = Tc260 + "AIGC";
    public static readonly XName DigitalSourceType = IptcExt + "DigitalSourceType";

    /// <summary>IPTC NewsCodes term for media created by a trained generative model.</summary>
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    /// <summary>Identifier that starts an XMP APP1 segment in JPEG (with its trailing zero byte).</summary>
    public static ReadOnlySpan<byte> JpegApp1Identifier => "http://ns.adobe.com/xap/1.0/\0"u8;

    /// <summary>The PNG iTXt keyword for XMP.</summary>
    public const string PngKeyword = "XML:com.adobe.xmp";

    /// <summary><see cref="PngKeyword"/> as it starts an iTXt chunk: Latin-1, NUL-terminated.</summary>
    public static ReadOnlySpan<byte> PngKeywordField => "XML:com.adobe.xmp\0"u8;
}
