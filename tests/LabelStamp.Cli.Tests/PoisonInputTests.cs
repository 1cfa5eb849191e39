using System.Diagnostics;
using System.Text.RegularExpressions;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Issue 22, the CLI as the black-box campaign met it: devices and FIFOs named like media, directory
/// link cycles, links out of the input tree, names at the file system's limit. Every run must end
/// (ExternalTool kills it and fails the test after its timeout) and report a typed code, never LS999.
/// </summary>
public sealed class PoisonInputTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRun.Run(args);

    /// <summary>Stamping here is about which files are read, not about the layers: the two cheap ones.</summary>
    private static (int Code, string Out, string Err) Stamp(params string[] args) => Cli(["stamp", "--layers", "explicit,metadata", .. args]);

    private static string[] ErrorLines(string stderr, string code) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith($"error {code}:", StringComparison.Ordinal)).ToArray();

    private static void MakeFifo(string path)
    {
        var made = ExternalTool.Run("mkfifo", [path]);
        Assert.True(made.ExitCode == 0, made.StdErr);
    }

    [Fact]
    public void A_device_link_and_a_fifo_named_wav_are_refused_with_LS111_at_once_by_verify_and_stamp()
    {
        string dir = RepoPaths.NewTempDir();
        string zero = Path.Combine(dir, "zero.wav"), fifo = Path.Combine(dir, "pipe.wav");
        File.CreateSymbolicLink(zero, "/dev/zero");
        MakeFifo(fifo);
        string tree = Path.Combine(dir, "tree");
        Directory.CreateDirectory(tree);
        MakeFifo(Path.Combine(tree, "inner.wav")); // met in a walk, not named
        File.Copy(RepoPaths.Samples("images", "ladybird.jpg"), Path.Combine(tree, "good.jpg"));

        var clock = Stopwatch.StartNew();
        var verify = Cli("verify", zero, fifo);
        Assert.Equal(2, verify.Code);
        var refused = ErrorLines(verify.Err, "LS111");
        Assert.Single(refused, l => l.Contains("zero.wav: is a character device", StringComparison.Ordinal));
        Assert.Single(refused, l => l.Contains("pipe.wav: is a FIFO", StringComparison.Ordinal));

        string output = Path.Combine(dir, "out");
        var stamp = Stamp(zero, fifo, tree, "-o", output);
        Assert.Equal(2, stamp.Code);
        Assert.Equal(3, ErrorLines(stamp.Err, "LS111").Length);
        Assert.Contains("stamped 1 of 4 files", stamp.Out);
        Assert.True(File.Exists(Path.Combine(output, "good.jpg")));
        Assert.False(File.Exists(Path.Combine(output, "zero.wav")));
        Assert.DoesNotContain("LS999", verify.Err + stamp.Err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    /// <summary>in/a.jpg, in/sub/b.jpg, in/sub/loop → .., in/inside.jpg → sub/b.jpg, in/outside.jpg → a file out of the tree.</summary>
    private static string LinkedTree(string dir)
    {
        string input = Path.Combine(dir, "in"), elsewhere = Path.Combine(dir, "elsewhere");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        Directory.CreateDirectory(elsewhere);
        File.Copy(RepoPaths.Samples("images", "ladybird.jpg"), Path.Combine(input, "a.jpg"));
        File.Copy(RepoPaths.Samples("images", "arc-transparent.png"), Path.Combine(input, "sub", "b.png"));
        File.Copy(RepoPaths.Samples("images", "storm.jpg"), Path.Combine(elsewhere, "secret.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(input, "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(input, "inside.png"), Path.Combine("sub", "b.png"));
        File.CreateSymbolicLink(Path.Combine(input, "outside.jpg"), Path.Combine("..", "elsewhere", "secret.jpg"));
        return input;
    }

    [Fact]
    public void A_directory_link_cycle_ends_with_one_LS905_and_links_are_not_followed_by_default()
    {
        string dir = RepoPaths.NewTempDir();
        string input = LinkedTree(dir), output = Path.Combine(dir, "out");

        var (code, stdout, stderr) = Stamp(input, "-o", output);
        Assert.Equal(2, code);
        var refused = ErrorLines(stderr, "LS905");
        Assert.Equal(3, refused.Length);
        Assert.Single(refused, l => l.Contains(Path.Combine("sub", "loop") + ": is a symbolic link to a directory", StringComparison.Ordinal));
        Assert.Single(refused, l => l.Contains("inside.png: is a symbolic link; not followed", StringComparison.Ordinal));
        Assert.Single(refused, l => l.Contains("outside.jpg: is a symbolic link; not followed", StringComparison.Ordinal));
        Assert.Contains("stamped 2 of 5 files", stdout);
        Assert.True(File.Exists(Path.Combine(output, "a.jpg")));
        Assert.True(File.Exists(Path.Combine(output, "sub", "b.png")));
        Assert.False(File.Exists(Path.Combine(output, "inside.png")));
        Assert.False(File.Exists(Path.Combine(output, "outside.jpg")));
        Assert.False(Directory.Exists(Path.Combine(output, "sub", "loop")));

        // verify walks the same way and says so in its exit status.
        var verify = Cli("verify", input);
        Assert.Equal(2, verify.Code);
        Assert.Equal(3, ErrorLines(verify.Err, "LS905").Length);
        Assert.Equal(2, Regex.Matches(verify.Out, "no AI label found").Count);
    }

    [Fact]
    public void Follow_links_stamps_a_file_link_inside_the_tree_and_never_one_out_of_it()
    {
        string dir = RepoPaths.NewTempDir();
        string input = LinkedTree(dir), output = Path.Combine(dir, "out");

        var (code, stdout, stderr) = Stamp(input, "-o", output, "--follow-links");
        Assert.Equal(2, code);
        var refused = ErrorLines(stderr, "LS905");
        Assert.Equal(2, refused.Length);
        Assert.Single(refused, l => l.Contains("outside.jpg: symbolic link leads outside", StringComparison.Ordinal));
        Assert.Single(refused, l => l.Contains("loop: is a symbolic link to a directory", StringComparison.Ordinal));
        Assert.Contains("stamped 3 of 5 files", stdout);
        Assert.True(File.Exists(Path.Combine(output, "inside.png")));
        Assert.False(File.Exists(Path.Combine(output, "outside.jpg")));
        Assert.DoesNotContain("LS999", stderr);
    }

    [Fact]
    public void A_name_at_the_file_system_limit_is_stamped_and_an_output_path_too_long_is_LS904_leaving_nothing_behind()
    {
        string dir = RepoPaths.NewTempDir();
        string name = new string('n', 250) + ".jpg"; // 254 bytes: NAME_MAX is 255, the old temporary name added 13
        string input = Path.Combine(dir, name);
        File.Copy(RepoPaths.Samples("images", "ladybird.jpg"), input);
        string output = Path.Combine(dir, "out");

        var (code, stdout, stderr) = Stamp(input, "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("stamped 1 of 1 files", stdout);
        Assert.Equal([name], Directory.GetFileSystemEntries(output).Select(Path.GetFileName)); // and no temporary file

        // An -o whose own name is over NAME_MAX: the output cannot exist.
        string parent = Path.Combine(dir, "deep");
        Directory.CreateDirectory(parent);
        var tooLong = Stamp(input, "-o", Path.Combine(parent, new string('d', 300)));
        Assert.Equal(2, tooLong.Code);
        Assert.Single(ErrorLines(tooLong.Err, "LS904"), l => l.Contains("output path is longer than the file system allows", StringComparison.Ordinal));
        Assert.DoesNotContain("LS999", tooLong.Err);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void A_glob_matching_nothing_is_LS900()
    {
        string dir = RepoPaths.NewTempDir();
        var (code, _, stderr) = Cli("verify", Path.Combine(dir, "*.png"));
        Assert.Equal(2, code);
        Assert.Single(ErrorLines(stderr, "LS900"), l => l.Contains("no file matches *.png", StringComparison.Ordinal));
    }
}
