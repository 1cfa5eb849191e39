using System.Buffers.Binary;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 9: a stamped JPEG keeps the input's JFIF header, its density exactly (libvips
/// dropped it next to Exif, and writes densities in dots per cm, rounded).</summary>
public sealed class JpegOutputTests
{
    [Fact]
    public void The_jfif_density_of_the_input_is_kept_exactly()
    {
        string dir = RepoPaths.NewTempDir();
        byte[] jpeg = File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg"));
        Assert.True(jpeg.AsSpan(6, 5).SequenceEqual("JFIF\0"u8)); // APP0 JFIF right after SOI
        jpeg[13] = 1; // dots per inch
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(14), 300);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(16), 150);
        string input = Path.Combine(dir, "dense.jpg");
        File.WriteAllBytes(input, jpeg);

        var (code, _, err) = CliRun.Run("stamp", input, "-o", Path.Combine(dir, "out"));
        Assert.True(code == 0, err);
        string output = Path.Combine(dir, "out", "dense.jpg");
        Assert.Equal("inches", ExternalTool.ExifTool(output, "JFIF:ResolutionUnit"));
        Assert.Equal("300", ExternalTool.ExifTool(output, "JFIF:XResolution"));
        Assert.Equal("150", ExternalTool.ExifTool(output, "JFIF:YResolution"));
        byte[] stamped = File.ReadAllBytes(output);
        Assert.True(stamped.AsSpan(6, 5).SequenceEqual("JFIF\0"u8)); // first, as JFIF requires

        var verify = CliRun.Run("verify", output);
        Assert.Equal(0, verify.Code); // every layer still reads (C2PA hashes the final bytes)
        Assert.DoesNotContain("invalid", verify.Out);
    }
}
