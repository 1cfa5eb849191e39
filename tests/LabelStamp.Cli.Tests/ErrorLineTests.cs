using System.Text;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Issue 22: every error stays one line. File names with LF, CR or ESC and bytes read from a file (a
/// RIFF chunk ID) are printed escaped, so no name can split an error line or forge another one.
/// </summary>
public sealed class ErrorLineTests
{
    [Fact]
    public void Names_and_file_bytes_with_control_characters_print_escaped_one_line_each_and_forge_nothing()
    {
        string dir = RepoPaths.NewTempDir();
        string forged = Path.Combine(dir, "err\nerror LS000: fake.jpg");
        File.WriteAllBytes(forged, Encoding.ASCII.GetBytes("not an image at all, just text"));
        string coloured = Path.Combine(dir, "a\u001b[31mred\r.png");
        File.WriteAllBytes(coloured, Encoding.ASCII.GetBytes("also not an image"));
        string webp = Path.Combine(dir, "chunk.webp");
        File.WriteAllBytes(webp, WebpWithChunkId([0x0a, 0x1b, (byte)'A', (byte)'B']));

        var (code, _, err) = CliRun.Run("stamp", "--layers", "metadata", "--explicit-waived", forged, coloured, webp, "-o", Path.Combine(dir, "out"));

        Assert.Equal(2, code);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.StartsWith("error LS000", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b') || l.Contains('\r'));
        Assert.Single(lines, l => l.StartsWith("error LS", StringComparison.Ordinal) && l.Contains(@"err\nerror LS000: fake.jpg", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("error LS", StringComparison.Ordinal) && l.Contains(@"a\x1b[31mred\r.png", StringComparison.Ordinal));
        var chunk = Assert.Single(lines, l => l.Contains("chunk.webp", StringComparison.Ordinal));
        Assert.Contains(@"'\n\x1bAB'", chunk);
        Assert.Equal(3, lines.Count(l => l.StartsWith("error LS", StringComparison.Ordinal)));
    }

    /// <summary>RIFF/WEBP whose first chunk has the given (hostile) four bytes as its ID.</summary>
    private static byte[] WebpWithChunkId(byte[] id)
    {
        using var s = new MemoryStream();
        s.Write("RIFF"u8);
        s.Write(BitConverter.GetBytes(4 + 8 + 4));
        s.Write("WEBP"u8);
        s.Write(id);
        s.Write(BitConverter.GetBytes(4));
        s.Write(new byte[4]);
        return s.ToArray();
    }
}
