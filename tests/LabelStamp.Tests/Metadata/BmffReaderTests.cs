using System.Buffers.Binary;
using System.Text;
using LabelStamp.Errors;
using LabelStamp.Metadata.Containers;

namespace LabelStamp.Tests.Metadata;

/// <summary>The one ISO BMFF box reader: 32-bit, 64-bit (largesize) and to-the-end sizes, and its bounds.</summary>
public class BmffReaderTests
{
    private static byte[] Box(string type, byte[] payload)
    {
        var b = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)b.Length);
        Encoding.Latin1.GetBytes(type, b.AsSpan(4));
        payload.CopyTo(b, 8);
        return b;
    }

    private static byte[] LargeBox(string type, byte[] payload)
    {
        var b = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, 1);
        Encoding.Latin1.GetBytes(type, b.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), (ulong)b.Length);
        payload.CopyTo(b, 16);
        return b;
    }

    private static byte[] ToEndBox(string type, byte[] payload)
    {
        var b = Box(type, payload);
        BinaryPrimitives.WriteUInt32BigEndian(b, 0);
        return b;
    }

    [Fact]
    public void Reads_32_bit_64_bit_and_to_the_end_boxes_side_by_side()
    {
        byte[] file = [.. Box("ftyp", new byte[12]), .. LargeBox("mdat", new byte[40]), .. ToEndBox("free", new byte[5])];
        var boxes = BmffReader.Read(file, "x.mp4");
        Assert.Equal(["ftyp", "mdat", "free"], boxes.Select(b => b.Type));
        Assert.Equal((0L, 20L, 8), (boxes[0].Offset, boxes[0].Size, boxes[0].HeaderSize));
        Assert.Equal((20L, 56L, 16), (boxes[1].Offset, boxes[1].Size, boxes[1].HeaderSize));
        Assert.Equal(36L, boxes[1].PayloadStart);
        Assert.True(boxes[2].ToEnd);
        Assert.Equal(13L, boxes[2].Size);
        Assert.Equal(file.Length, boxes[2].End);
        Assert.True(boxes[0].HasPlainSize);
        Assert.False(boxes[1].HasPlainSize);
        Assert.False(boxes[2].HasPlainSize);
    }

    [Fact]
    public void A_to_the_end_child_ends_at_its_parent_not_at_the_file()
    {
        byte[] moov = Box("moov", [.. Box("mvhd", new byte[4]), .. ToEndBox("udta", new byte[6])]);
        byte[] file = [.. moov, .. Box("mdat", new byte[3])];
        var parent = BmffReader.Read(file, "x.mp4")[0];
        var children = BmffReader.ReadChildren(file, parent, 1, "x.mp4");
        Assert.Equal(["mvhd", "udta"], children.Select(b => b.Type));
        Assert.Equal(parent.End, children[1].End);
    }

    [Fact]
    public void A_64_bit_child_is_walked_and_its_children_reached()
    {
        byte[] file = LargeBox("moov", LargeBox("trak", Box("tkhd", new byte[2])));
        var walk = BmffReader.Walk(file, 0, file.Length);
        Assert.True(walk.Complete);
        var trak = BmffReader.WalkChildren(file, walk.Boxes[0], 1);
        Assert.Equal("trak", Assert.Single(trak.Boxes).Type);
        Assert.Equal("tkhd", BmffReader.WalkChildren(file, trak.Boxes[0], 2).First("tkhd")!.Value.Type);
    }

    [Fact]
    public void Nesting_past_the_depth_limit_stops_the_walk_and_is_a_typed_error()
    {
        byte[] inner = Box("stbl", []);
        for (int i = 0; i < BmffReader.MaxDepth + 2; i++) inner = Box("moov", inner);
        var box = BmffReader.Read(inner, "deep.mp4")[0];
        int depth = 1;
        for (; depth <= BmffReader.MaxDepth; depth++) box = BmffReader.ReadChildren(inner, box, depth, "deep.mp4")[0];
        Assert.Equal(BmffStop.TooDeep, BmffReader.WalkChildren(inner, box, depth).Stop);
        var ex = Assert.Throws<LabelStampException>(() => BmffReader.ReadChildren(inner, box, depth, "deep.mp4"));
        Assert.Equal(ErrorCode.MetadataTooComplex, ex.Code);
    }

    [Fact]
    public void Too_many_siblings_stop_the_walk()
    {
        byte[] file = new byte[8 * (BmffReader.MaxBoxesPerLevel + 1)];
        for (int p = 0; p < file.Length; p += 8) Box("free", []).CopyTo(file, p);
        var walk = BmffReader.Walk(file, 0, file.Length);
        Assert.Equal(BmffStop.TooManyBoxes, walk.Stop);
        Assert.Equal(BmffReader.MaxBoxesPerLevel, walk.Boxes.Count);
        Assert.Equal(ErrorCode.MetadataTooComplex, Assert.Throws<LabelStampException>(() => BmffReader.Read(file, "many.mp4")).Code);
    }

    public static TheoryData<string, byte[], BmffStop, ErrorCode> BadTopLevels => new()
    {
        { "cut header", [.. Box("ftyp", new byte[4]), 0, 0, 0], BmffStop.TrailingBytes, ErrorCode.TruncatedInput },
        { "cut largesize", [.. Box("ftyp", new byte[4]), 0, 0, 0, 1, (byte)'m', (byte)'d', (byte)'a', (byte)'t', 0, 0], BmffStop.LargeSizeCut, ErrorCode.TruncatedInput },
        { "size below header", [0, 0, 0, 4, (byte)'f', (byte)'r', (byte)'e', (byte)'e'], BmffStop.SizeTooSmall, ErrorCode.TruncatedInput },
        { "largesize below header", [0, 0, 0, 1, (byte)'m', (byte)'d', (byte)'a', (byte)'t', 0, 0, 0, 0, 0, 0, 0, 12], BmffStop.SizeTooSmall, ErrorCode.TruncatedInput },
        { "overrun", [0, 0, 0, 64, (byte)'m', (byte)'o', (byte)'o', (byte)'v', 0, 0], BmffStop.Overrun, ErrorCode.TruncatedInput },
        { "largesize past long", [0, 0, 0, 1, (byte)'m', (byte)'d', (byte)'a', (byte)'t', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], BmffStop.Overrun, ErrorCode.TruncatedInput },
    };

    [Theory]
    [MemberData(nameof(BadTopLevels))]
    public void Bad_top_level_boxes_stop_the_walk_and_are_typed_errors(string _, byte[] file, BmffStop stop, ErrorCode code)
    {
        Assert.Equal(stop, BmffReader.Walk(file, 0, file.Length).Stop);
        Assert.Equal(code, Assert.Throws<LabelStampException>(() => BmffReader.Read(file, "bad.mp4")).Code);
    }

    [Fact]
    public void Inside_a_box_a_short_terminator_is_allowed_and_an_overrun_is_corrupt()
    {
        byte[] udta = Box("udta", [.. Box("free", []), 0, 0, 0, 0]); // QuickTime's 32-bit zero terminator
        var parent = BmffReader.Read(udta, "q.mov")[0];
        Assert.Equal("free", Assert.Single(BmffReader.ReadChildren(udta, parent, 1, "q.mov")).Type);
        Assert.True(BmffReader.WalkChildren(udta, parent, 1).Complete);

        byte[] bad = Box("moov", [0, 0, 0, 99, (byte)'t', (byte)'r', (byte)'a', (byte)'k']);
        var moov = BmffReader.Read(bad, "bad.mp4")[0];
        Assert.Equal(ErrorCode.CorruptInput, Assert.Throws<LabelStampException>(() => BmffReader.ReadChildren(bad, moov, 1, "bad.mp4")).Code);
    }

    [Fact]
    public void An_iso_meta_skips_its_version_and_a_quicktime_meta_does_not()
    {
        byte[] hdlr = Box("hdlr", new byte[12]);
        byte[] iso = Box("meta", [0, 0, 0, 0, .. hdlr]);
        byte[] quickTime = Box("meta", hdlr);
        Assert.Equal("hdlr", BmffReader.WalkChildren(iso, BmffReader.Read(iso, "a")[0], 1).Boxes.Single().Type);
        Assert.Equal("hdlr", BmffReader.WalkChildren(quickTime, BmffReader.Read(quickTime, "a")[0], 1).Boxes.Single().Type);
    }
}
