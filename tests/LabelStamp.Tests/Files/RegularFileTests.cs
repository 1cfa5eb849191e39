using LabelStamp.Errors;
using LabelStamp.Files;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Files;

/// <summary>Issue 22 at the lowest level: what stat says a path is, and the bounded read of a named file.</summary>
public sealed class RegularFileTests
{
    private static string Fifo(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        var made = ExternalTool.Run("mkfifo", [path]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        return path;
    }

    [Fact]
    public void FileNode_tells_regular_files_from_devices_fifos_directories_and_links()
    {
        string dir = RepoPaths.NewTempDir();
        string file = Path.Combine(dir, "a.bin");
        File.WriteAllBytes(file, new byte[1234]);
        string fifo = Fifo(dir, "pipe.wav");
        string zero = Path.Combine(dir, "zero.wav");
        File.CreateSymbolicLink(zero, "/dev/zero");
        string loop = Path.Combine(dir, "loop.wav");
        File.CreateSymbolicLink(loop, loop);

        Assert.Equal(new FileNode(FileNodeKind.Regular, 1234), FileNode.Stat(file));
        Assert.Equal(FileNodeKind.Fifo, FileNode.Stat(fifo)!.Value.Kind);
        Assert.Equal(FileNodeKind.Directory, FileNode.Stat(dir)!.Value.Kind);
        Assert.Equal(FileNodeKind.CharacterDevice, FileNode.Stat(zero)!.Value.Kind);
        Assert.Equal(FileNodeKind.SymbolicLink, FileNode.Lstat(zero)!.Value.Kind);
        Assert.Equal(FileNodeKind.SymbolicLink, FileNode.Stat(loop)!.Value.Kind); // ELOOP: reported as a link, never followed
        Assert.Null(FileNode.Stat(Path.Combine(dir, "missing")));
        Assert.Null(FileNode.Stat(Path.Combine(file, "below-a-file"))); // ENOTDIR is "nothing there" too
    }

    [Fact]
    public async Task Devices_fifos_and_directories_are_refused_before_reading_with_LS111()
    {
        string dir = RepoPaths.NewTempDir();
        string zero = Path.Combine(dir, "zero.wav");
        File.CreateSymbolicLink(zero, "/dev/zero");
        foreach (string path in new[] { zero, Fifo(dir, "pipe.wav"), dir })
        {
            // A FIFO with no writer would block open(2) forever: the bound makes a hang a failure, not a stuck run.
            var read = RegularFile.ReadAllAsync(path, 1 << 20, followLinks: true, path, CancellationToken.None);
            var e = await Assert.ThrowsAsync<LabelStampException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(ErrorCode.NotRegularFile, e.Code);
            Assert.StartsWith(path + ": is a ", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Links_are_followed_only_when_asked_and_a_loop_is_LS905()
    {
        string dir = RepoPaths.NewTempDir();
        string target = Path.Combine(dir, "real.jpg"), link = Path.Combine(dir, "link.jpg"), loop = Path.Combine(dir, "loop.jpg");
        byte[] content = new byte[5000];
        new Random(22).NextBytes(content); // fixed seed
        File.WriteAllBytes(target, content);
        File.CreateSymbolicLink(link, "real.jpg");
        File.CreateSymbolicLink(loop, loop);

        Assert.Equal(content, await RegularFile.ReadAllAsync(link, 1 << 20, followLinks: true, link, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<LabelStampException>(() => RegularFile.ReadAllAsync(link, 1 << 20, followLinks: false, link, CancellationToken.None));
        Assert.Equal(ErrorCode.SymlinkRefused, refused.Code);
        var looping = await Assert.ThrowsAsync<LabelStampException>(() => RegularFile.ReadAllAsync(loop, 1 << 20, followLinks: true, loop, CancellationToken.None));
        Assert.Equal(ErrorCode.SymlinkRefused, looping.Code);
        var missing = Assert.Throws<LabelStampException>(() => RegularFile.ReadAll(Path.Combine(dir, "nope.jpg"), 10, followLinks: true, "nope.jpg"));
        Assert.Equal(ErrorCode.FileNotFound, missing.Code);
    }

    [Fact]
    public async Task The_read_stops_at_the_limit_whatever_the_size_said()
    {
        // /proc files are regular, report 0 bytes and have content: the size from stat must not decide how much is read.
        byte[] status = await RegularFile.ReadAllAsync("/proc/self/status", 1 << 20, followLinks: true, "status", CancellationToken.None);
        Assert.True(status.Length > 100, $"{status.Length} bytes");
        Assert.StartsWith("Name:", System.Text.Encoding.ASCII.GetString(status));
        var grew = await Assert.ThrowsAsync<LabelStampException>(() => RegularFile.ReadAllAsync("/proc/self/status", 64, followLinks: true, "status", CancellationToken.None));
        Assert.Equal(ErrorCode.InputTooLarge, grew.Code);
        Assert.Contains("grew past the limit of 64 bytes", grew.Message);

        // A stated size over the limit is refused before opening; exactly at the limit is read.
        string dir = RepoPaths.NewTempDir(), file = Path.Combine(dir, "f.bin");
        File.WriteAllBytes(file, new byte[100]);
        Assert.Equal(100, RegularFile.ReadAll(file, 100, followLinks: false, "f.bin").Length);
        Assert.Equal(ErrorCode.InputTooLarge, Assert.Throws<LabelStampException>(() => RegularFile.ReadAll(file, 99, followLinks: false, "f.bin")).Code);
    }

    [Fact]
    public void RealPath_resolves_links_in_every_component_and_IsInside_compares_whole_names()
    {
        string dir = RepoPaths.NewTempDir();
        string real = RealPath.Of(dir)!;
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllBytes(Path.Combine(dir, "sub", "x.jpg"), [1]);
        File.CreateSymbolicLink(Path.Combine(dir, "alias"), "sub");
        Assert.Equal(Path.Combine(real, "sub", "x.jpg"), RealPath.Of(Path.Combine(dir, "alias", "x.jpg")));
        Assert.Null(RealPath.Of(Path.Combine(dir, "alias", "missing.jpg")));
        Assert.True(RealPath.IsInside(Path.Combine(real, "sub", "x.jpg"), real));
        Assert.False(RealPath.IsInside(real + "-sibling/x.jpg", real)); // a shared prefix is not containment
        Assert.False(RealPath.IsInside("/etc/passwd", real));
    }
}
