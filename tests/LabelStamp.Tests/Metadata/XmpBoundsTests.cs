using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.TestSupport;
using LabelStamp.Verification;

namespace LabelStamp.Tests.Metadata;

/// <summary>Issue 22: hostile XMP is refused by the bounds of <see cref="MetadataLimits"/> while reading, in
/// linear time, on the stamp and the verify path; packets within the bounds still merge correctly.</summary>
public class XmpBoundsTests
{
    private const string Open = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">";
    private const string Close = "</rdf:RDF></x:xmpmeta>";

    /// <summary>A packet with a chain of <paramref name="depth"/> nested elements in one description
    /// (400,000 levels is the black-box campaign's 2.9 MB case).</summary>
    public static string Nested(int depth)
    {
        var sb = new StringBuilder(Open.Length + Close.Length + depth * 7 + 200);
        sb.Append(Open).Append("<rdf:Description rdf:about=\"\">");
        for (int i = 0; i < depth; i++) sb.Append("<a>");
        for (int i = 0; i < depth; i++) sb.Append("</a>");
        return sb.Append("</rdf:Description>").Append(Close).ToString();
    }

    /// <summary>A PNG (the small transparent sample) with <paramref name="itxt"/> as an XMP iTXt chunk after IHDR.</summary>
    public static byte[] PngWithXmp(byte[] itxtText, bool compressed = false)
    {
        byte[] png = File.ReadAllBytes(RepoPaths.Samples("images", "arc-transparent.png"));
        byte[] body = compressed ? Deflate(itxtText) : itxtText;
        byte[] data = [.. Encoding.Latin1.GetBytes(XmpNames.PngKeyword), 0, (byte)(compressed ? 1 : 0), 0, 0, 0, .. body];
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "iTXt"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        const int afterIhdr = 8 + 12 + 13;
        return [.. png.AsSpan(0, afterIhdr), .. chunk, .. png.AsSpan(afterIhdr)];
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize)) z.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void Xmp_nested_400000_deep_is_refused_as_too_complex()
    {
        string xmp = Nested(400_000);
        var read = Assert.Throws<LabelStampException>(() => XmpPacket.Read(xmp, name: "deep.png"));
        Assert.Equal(ErrorCode.MetadataTooComplex, read.Code);
        Assert.Contains("MaxXmlDepth", read.Message);
        Assert.Contains("deep.png", read.Message);
        var merge = Assert.Throws<LabelStampException>(() => XmpPacket.Merge(xmp, "{}"));
        Assert.Equal(ErrorCode.MetadataTooComplex, merge.Code);
    }

    [Fact]
    public void The_depth_bound_is_exact_and_configurable()
    {
        var limits = new MetadataLimits { MaxXmlDepth = 20 };
        // x:xmpmeta, rdf:RDF and rdf:Description are three levels; the chain adds the rest.
        Assert.Null(XmpPacket.Read(Nested(17), limits).AigcJson);
        Assert.Equal(ErrorCode.MetadataTooComplex, Assert.Throws<LabelStampException>(() => XmpPacket.Read(Nested(18), limits)).Code);
    }

    [Fact]
    public void More_elements_than_the_bound_are_refused()
    {
        var limits = new MetadataLimits { MaxXmlElements = 1_000 };
        string flat = Open + "<rdf:Description rdf:about=\"\">" + string.Concat(Enumerable.Repeat("<b/>", 997)) + "</rdf:Description>" + Close;
        Assert.Equal(0, XmpPacket.Read(flat, limits).AigcCount); // exactly 1,000 elements
        var e = Assert.Throws<LabelStampException>(() => XmpPacket.Read(flat.Replace("<b/></rdf", "<b/><b/></rdf", StringComparison.Ordinal), limits));
        Assert.Equal(ErrorCode.MetadataTooComplex, e.Code);
        Assert.Contains("MaxXmlElements", e.Message);
    }

    [Fact]
    public void A_packet_over_the_size_bound_is_refused_before_parsing()
    {
        var limits = new MetadataLimits { MaxXmpBytes = 64 << 10 };
        string big = Open + "<rdf:Description rdf:about=\"\"><b>" + new string('x', 70_000) + "</b></rdf:Description>" + Close;
        Assert.Equal(ErrorCode.MetadataTooLarge, Assert.Throws<LabelStampException>(() => XmpPacket.Read(big, limits)).Code);

        // From the file: plain and compressed iTXt (a small chunk must not inflate past the bound).
        byte[] packet = Encoding.UTF8.GetBytes(big);
        foreach (bool compressed in new[] { false, true })
        {
            var png = PngWithXmp(packet, compressed);
            var e = Assert.Throws<LabelStampException>(() => ImageXmp.Read(png, MediaFormat.Png, "big.png", limits));
            Assert.Equal(ErrorCode.MetadataTooLarge, e.Code);
            Assert.Contains("MaxXmpBytes", e.Message);
        }
        // Within the default bound the same packet reads back, compressed or not.
        Assert.Equal(big, ImageXmp.Read(PngWithXmp(packet, compressed: true), MediaFormat.Png, "big.png"));
    }

    [Fact]
    public void Corrupt_compressed_xmp_is_a_typed_error()
    {
        var png = PngWithXmp("not zlib at all"u8.ToArray());
        byte[] broken = PngWithXmp([0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x00], compressed: false);
        // Mark the second chunk as compressed: flag byte right after the keyword's NUL.
        int flag = broken.AsSpan().IndexOf("XML:com.adobe.xmp\0"u8) + 18;
        broken[flag] = 1;
        var e = Assert.Throws<LabelStampException>(() => ImageXmp.Read(broken, MediaFormat.Png, "z.png"));
        Assert.Equal(ErrorCode.CorruptInput, e.Code);
        Assert.Equal("not zlib at all", ImageXmp.Read(png, MediaFormat.Png, "plain.png"));
    }

    [Fact]
    public void Merging_removes_many_labelled_descriptions_and_keeps_the_others()
    {
        // 20,000 descriptions with other properties, then 20,000 holding only an old label: removing the
        // latter one by one walked the former every time (n²); the rebuilt lists keep it linear.
        var sb = new StringBuilder(Open);
        for (int i = 0; i < 20_000; i++) sb.Append("<rdf:Description rdf:about=\"\"><k>").Append(i).Append("</k></rdf:Description>");
        for (int i = 0; i < 20_000; i++)
            sb.Append("<rdf:Description rdf:about=\"\" xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\"><TC260:AIGC>old").Append(i).Append("</TC260:AIGC></rdf:Description>");
        sb.Append(Close);
        var before = XmpPacket.Read(sb.ToString());
        Assert.Equal(20_000, before.AigcCount);
        Assert.Equal("old0", before.AigcJson);

        string merged = XmpPacket.Merge(sb.ToString(), "{new}");
        var after = XmpPacket.Read(merged);
        Assert.Equal(1, after.AigcCount);
        Assert.Equal("{new}", after.AigcJson);
        Assert.Contains("<k>19999</k>", merged);
        Assert.DoesNotContain("old1", merged);
        // 20,000 kept descriptions and our one: the emptied ones are gone.
        Assert.Equal(20_001, System.Text.RegularExpressions.Regex.Count(merged, "<rdf:Description"));
    }

    [Fact]
    public void Only_the_first_value_is_read_and_duplicates_are_counted()
    {
        string xmp = Open + "<rdf:Description rdf:about=\"\" xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\" TC260:AIGC=\"{a}\">"
                     + "<TC260:AIGC>{b}</TC260:AIGC><TC260:AIGC>{c}</TC260:AIGC></rdf:Description>" + Close;
        var fields = XmpPacket.Read(xmp);
        Assert.Equal("{a}", fields.AigcJson);
        Assert.Equal(3, fields.AigcCount);
    }

    [Fact]
    public async Task Verify_reports_LS402_for_a_deeply_nested_packet()
    {
        var png = PngWithXmp(Encoding.UTF8.GetBytes(Nested(400_000)));
        var report = await new Verifier([new ImageInspector()]).VerifyAsync(png, "deep.png", new VerifyOptions());
        Assert.Equal("LS402", report.ErrorCode);
        Assert.Contains("MaxXmlDepth", report.Error);
        Assert.False(report.AiLabelFound);
    }

    [Fact]
    public async Task Stamping_refuses_a_deeply_nested_packet()
    {
        var png = PngWithXmp(Encoding.UTF8.GetBytes(Nested(400_000)));
        var key = MarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
        const string producer = "001191234567890123456700001";
        var aigc = new AigcLabel(AigcLabel.Generated, producer, "deep-1");
        var ctx = new StampContext("deep.png", MediaFormat.Png, new StampRequest("deep-1", producer, new LabelPolicy()), key,
            MarkId.Compute(key, producer, "deep-1"), aigc, new MediaLimits(), new StageTimings());
        var e = await Assert.ThrowsAsync<LabelStampException>(() => new ImageLabeler().LabelAsync(png, ctx, default));
        Assert.Equal(ErrorCode.MetadataTooComplex, e.Code);
        // Refused before the pixels were decoded: no decode stage was timed.
        Assert.DoesNotContain(ctx.Timings.Stages, s => s.Stage == "decode");
    }
}
