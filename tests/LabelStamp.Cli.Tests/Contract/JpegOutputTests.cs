using System.Buffers.Binary;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 9: a stamped JPEG keeps the input's JFIF header, its density exactly (libvips
/// dropped it next to Exif, and writes densities in dots per cm, rounded), and never less chroma
/// resolution than the input had.</summary>
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

    /// <summary>ffmpeg's MJPEG encoder writes each layout; exiftool reads the output's sampling factors.
    /// 4:2:2 has no libvips writer and comes out 4:4:4, never 4:2:0. (ffmpeg cannot write 4:4:0; the
    /// header rule for it is covered where the header is parsed.)</summary>
    [Theory]
    [InlineData("yuvj420p", "YCbCr4:2:0 (2 2)")]
    [InlineData("yuvj422p", "YCbCr4:4:4 (1 1)")]
    [InlineData("yuvj444p", "YCbCr4:4:4 (1 1)")]
    public void Chroma_subsampling_is_kept_or_raised_never_lowered(string layout, string expected)
    {
        string dir = RepoPaths.NewTempDir();
        string input = Path.Combine(dir, layout + ".jpg");
        var made = ExternalTool.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", RepoPaths.Samples("images", "storm.jpg"),
            "-vf", "scale=640:-2", "-pix_fmt", layout, "-q:v", "3", "-y", input]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        string inputLayout = ExternalTool.ExifTool(input, "File:YCbCrSubSampling");
        Assert.StartsWith(layout switch { "yuvj420p" => "YCbCr4:2:0", "yuvj422p" => "YCbCr4:2:2", _ => "YCbCr4:4:4" }, inputLayout);

        var (code, _, err) = CliRun.Run("stamp", input, "-o", Path.Combine(dir, "out"));
        Assert.True(code == 0, err);
        Assert.Equal(expected, ExternalTool.ExifTool(Path.Combine(dir, "out", layout + ".jpg"), "File:YCbCrSubSampling"));
    }
}
