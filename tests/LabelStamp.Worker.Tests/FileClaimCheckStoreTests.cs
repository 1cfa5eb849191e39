using LabelStamp.Errors;
using LabelStamp.Worker.Store;

namespace LabelStamp.Worker.Tests;

public sealed class FileClaimCheckStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ls-store-test-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Write_IsNamedByContentIdAndHash_AndAReplayOverwritesTheSameObject()
    {
        var store = new FileClaimCheckStore(_dir);
        byte[] data = [1, 2, 3, 4];
        var first = await store.WriteAsync("img-42", data, ".png", CancellationToken.None);
        var again = await store.WriteAsync("img-42", data, ".png", CancellationToken.None);
        Assert.Equal(first, again);
        Assert.StartsWith("img-42-", Path.GetFileName(first.LocalPath));
        Assert.Single(Directory.GetFiles(_dir)); // no temp files left behind
        Assert.Equal(data, await store.ReadAsync(first, 100, CancellationToken.None));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("名前")]
    public void HostileContentIds_BecomeSafeFileNames(string id)
    {
        string name = ContentIds.ToFileName(id);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain("..", name);
        Assert.StartsWith("id-", name);
    }

    [Fact]
    public async Task Read_RefusesAnythingOutsideTheStore_AndOversizedObjects()
    {
        var store = new FileClaimCheckStore(_dir);
        var ex = await Assert.ThrowsAsync<LabelStampException>(() => store.ReadAsync(new Uri("file:///etc/passwd"), 1 << 20, CancellationToken.None));
        Assert.Equal(ErrorCode.ReferenceNotAllowed, ex.Code);
        var traversal = new Uri(new Uri(store.Root + "/"), "../outside.bin");
        Assert.False(store.Owns(traversal));
        var big = await store.WriteAsync("big", new byte[1000], ".bin", CancellationToken.None);
        var tooBig = await Assert.ThrowsAsync<LabelStampException>(() => store.ReadAsync(big, 999, CancellationToken.None));
        Assert.Equal(ErrorCode.InputTooLarge, tooBig.Code);
    }

    /// <summary>Issue 22: a link in the store (to /etc/passwd, or a directory link on the way) is never
    /// followed by an ls-ref read, and a FIFO is refused without waiting for a writer.</summary>
    [Fact]
    public async Task Read_RefusesLinksInsideTheStore_AndSpecialFiles()
    {
        var store = new FileClaimCheckStore(_dir);
        string link = Path.Combine(store.Root, "img-7-0123456789abcdef.jpg");
        File.CreateSymbolicLink(link, "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(store.Root, "etc"), "/etc");
        string fifo = Path.Combine(store.Root, "pipe-0123456789abcdef.wav");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));
        var resolver = new ReferenceResolver(store, null);

        var viaLink = await Assert.ThrowsAsync<LabelStampException>(() => resolver.ReadAsync(new Uri(link).AbsoluteUri, 1 << 20, CancellationToken.None));
        Assert.Equal(ErrorCode.SymlinkRefused, viaLink.Code);
        Assert.Contains("img-7-0123456789abcdef.jpg", viaLink.Message);
        var viaDirectory = await Assert.ThrowsAsync<LabelStampException>(() => store.ReadAsync(new Uri(Path.Combine(store.Root, "etc", "passwd")), 1 << 20, CancellationToken.None));
        Assert.Equal(ErrorCode.SymlinkRefused, viaDirectory.Code);
        var special = await Assert.ThrowsAsync<LabelStampException>(() =>
            store.ReadAsync(new Uri(fifo), 1 << 20, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ErrorCode.NotRegularFile, special.Code);
        var missing = await Assert.ThrowsAsync<LabelStampException>(() => store.ReadAsync(new Uri(Path.Combine(store.Root, "gone.bin")), 1 << 20, CancellationToken.None));
        Assert.Equal(ErrorCode.ReferenceFetchFailed, missing.Code);

        // A regular object next to them still reads.
        var ok = await store.WriteAsync("img-8", new byte[] { 9, 8, 7 }, ".bin", CancellationToken.None);
        Assert.Equal(new byte[] { 9, 8, 7 }, await resolver.ReadAsync(ok.AbsoluteUri, 100, CancellationToken.None));
    }

    [Fact]
    public async Task HttpReferences_OnlyFromAllowedHosts()
    {
        var reader = new HttpReferenceReader(new HttpClient(), ["media.example.com"], TimeSpan.FromSeconds(1));
        Assert.True(reader.IsAllowed(new Uri("https://media.example.com/a.png")));
        Assert.False(reader.IsAllowed(new Uri("http://169.254.169.254/latest/meta-data/")));
        Assert.False(reader.IsAllowed(new Uri("https://user:pw@media.example.com/a.png")));
        Assert.False(reader.IsAllowed(new Uri("ftp://media.example.com/a.png")));
        var resolver = new ReferenceResolver(new FileClaimCheckStore(_dir), reader);
        var ex = await Assert.ThrowsAsync<LabelStampException>(() => resolver.ReadAsync("http://localhost:2375/containers", 100, CancellationToken.None));
        Assert.Equal(ErrorCode.ReferenceNotAllowed, ex.Code);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (DirectoryNotFoundException) { }
    }
}
