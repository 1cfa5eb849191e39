using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>The CLI as a user runs it: a separate process, real files, exit codes and one-line errors.</summary>
public class CliTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["LABELSTAMP_MARK_KEY"] = new string('a', 64),
        ["LABELSTAMP_PRODUCER"] = "001191310000000000000000000",
    };

    private static (int Code, string Out, string Err) Cli(params string[] args) =>
        ExternalTool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "LabelStamp.Cli.dll"), .. args], 180_000, Env);

    /// <summary>Issue 6: `stamp --voice-clip FILE` places the provider's clip instead of the rhythm, and
    /// `verify --voice-clip FILE` reports where it is (the clip is 1.8 s cut from the speech sample).</summary>
    [Fact]
    public void Voice_clip_option_is_stamped_and_reported_by_verify()
    {
        string dir = RepoPaths.NewTempDir();
        string clip = Path.Combine(dir, "clip.wav"), output = Path.Combine(dir, "out");
        var cut = ExternalTool.Run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-ss", "0.3", "-t", "1.8", "-i",
            RepoPaths.Samples("audio", "speech-espeak.flac"), "-y", clip]);
        Assert.True(cut.ExitCode == 0, cut.StdErr);
        var (code, _, error) = Cli("stamp", RepoPaths.Samples("audio", "music-pingus-1.flac"), "-o", output, "--voice-clip", clip);
        Assert.True(code == 0, error);
        string stamped = Path.Combine(output, "music-pingus-1.flac");
        var withClip = Cli("verify", stamped, "--voice-clip", clip);
        Assert.Equal(0, withClip.Code);
        Assert.Contains("provider voice clip at 0.00 s", withClip.Out);
        var original = Cli("verify", RepoPaths.Samples("audio", "music-pingus-1.flac"), "--voice-clip", clip);
        Assert.DoesNotContain("provider voice clip", original.Out);
    }

    [Fact]
    public void Stamp_then_verify_finds_every_layer_and_originals_have_none()
    {
        string dir = RepoPaths.NewTempDir();
        var (code, output, error) = Cli("stamp", RepoPaths.Samples("images"), "-o", dir);
        Assert.True(code == 0, error);
        Assert.Contains("stamped 6 of 6 files", output);

        var stamped = Cli("verify", dir, "--json");
        Assert.Equal(0, stamped.Code);
        Assert.Contains("\"state\": \"found\"", stamped.Out);
        Assert.Contains("AIGC Label 1", stamped.Out);
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Matches(stamped.Out, "\"bitErrorsCorrected\"").Count); // the watermark read back in every file
        Assert.DoesNotContain("\"state\": \"invalid\"", stamped.Out);

        var originals = Cli("verify", RepoPaths.Samples("images", "storm.jpg"));
        Assert.Equal(1, originals.Code);
        Assert.Contains("no AI label found", originals.Out);
    }

    [Fact]
    public void Bad_files_give_exit_2_one_line_each_with_name_and_code_and_the_batch_goes_on()
    {
        string dir = RepoPaths.NewTempDir();
        string input = Path.Combine(dir, "in");
        Directory.CreateDirectory(input);
        File.WriteAllBytes(Path.Combine(input, "empty.png"), []);
        var random = new byte[2048];
        new Random(5).NextBytes(random);
        random[0] = 0x00;
        File.WriteAllBytes(Path.Combine(input, "random.jpg"), random);
        byte[] jpeg = File.ReadAllBytes(RepoPaths.Samples("images", "storm.jpg"));
        File.WriteAllBytes(Path.Combine(input, "truncated.jpg"), jpeg[..(jpeg.Length / 3)]);
        File.WriteAllBytes(Path.Combine(input, "bomb.png"), BombPng());
        File.WriteAllBytes(Path.Combine(input, "liar.png"), jpeg);
        File.Copy(RepoPaths.Samples("images", "dune.jpg"), Path.Combine(input, "good.jpg"));

        var clock = Stopwatch.StartNew();
        var (code, output, error) = Cli("stamp", input, "-o", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, lines.Length);
        foreach (var (file, errorCode) in new[] { ("empty.png", "LS100"), ("random.jpg", "LS103"), ("truncated.jpg", "LS101"), ("bomb.png", "LS106"), ("liar.png", "LS104") })
            Assert.Single(lines, l => l.Contains(file) && l.StartsWith($"error {errorCode}:", StringComparison.Ordinal));
        Assert.Contains("stamped 1 of 6 files", output);
        Assert.True(File.Exists(Path.Combine(dir, "out", "good.jpg")));

        var verify = Cli("verify", Path.Combine(input, "bomb.png"), Path.Combine(dir, "out", "good.jpg"));
        Assert.Equal(2, verify.Code);
        Assert.Contains("error LS106:", verify.Err);
    }

    [Fact]
    public void Wording_without_a_generation_element_is_refused_up_front()
    {
        var (code, _, error) = Cli("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", RepoPaths.NewTempDir(), "--wording", "AI");
        Assert.Equal(2, code);
        Assert.StartsWith("error LS200:", error.Trim());
        Assert.Contains("generation element", error);
    }

    private static byte[] BombPng()
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 40000);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 40000);
        ihdr[8] = 8; ihdr[9] = 2;
        var chunk = new byte[25];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 13);
        "IHDR"u8.CopyTo(chunk.AsSpan(4));
        ihdr.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(21), Crc32.HashToUInt32(chunk.AsSpan(4, 17)));
        byte[] iend = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. chunk, .. iend];
    }
}
