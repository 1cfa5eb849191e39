using System.Globalization;
using LabelStamp.TestSupport;
using LabelStamp.Worker.Store;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// Issue 22, `labelstamp serve` over a store holding poison entries: a link (to /etc/passwd) is not an
/// object whatever its name, nor is a FIFO (hashing it would wait for a writer). Both are 404 by name
/// and by content ID, and the origin goes on serving the real object next to them. Its own server and
/// store, apart from <see cref="ServeTests"/>, whose rate-limit test counts on its fixture's clock.
/// </summary>
public sealed class ServeStoreLinkTests
{
    /// <summary>Status code and body of one GET, with curl's own deadline so a stuck origin fails the test.</summary>
    private static (int Status, byte[] Body) Get(string url)
    {
        string body = Path.Combine(RepoPaths.NewTempDir(), "body");
        var r = ExternalTool.Run("curl", ["-sS", "-m", "30", "-o", body, "-w", "%{http_code}", url], 60_000);
        Assert.True(r.ExitCode == 0, $"curl {url}: {r.StdErr}");
        return (int.Parse(r.StdOut.Trim(), CultureInfo.InvariantCulture), File.Exists(body) ? File.ReadAllBytes(body) : []);
    }

    [Fact]
    public void Links_and_special_files_in_the_store_are_never_served()
    {
        string root = RepoPaths.NewTempDir();
        string store = Path.Combine(root, FileClaimCheckStore.LabeledArea); // the area the origin serves
        Directory.CreateDirectory(store);
        string leak = FileClaimCheckStore.ObjectName("leak", "x"u8, ".jpg");
        File.CreateSymbolicLink(Path.Combine(store, leak), "/etc/passwd");
        string pipe = FileClaimCheckStore.ObjectName("pipe", "y"u8, ".wav");
        var made = ExternalTool.Run("mkfifo", [Path.Combine(store, pipe)]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        byte[] jpeg = File.ReadAllBytes(RepoPaths.Samples("images", "ladybird.jpg"));
        string good = FileClaimCheckStore.ObjectName("good", jpeg, ".jpg");
        File.WriteAllBytes(Path.Combine(store, good), jpeg);

        var (process, baseUrl) = ServeTests.Server.Start(root);
        try
        {
            Assert.Equal(404, Get(baseUrl + "/objects/" + leak).Status);
            Assert.Equal(404, Get(baseUrl + "/media/leak").Status);
            Assert.Equal(404, Get(baseUrl + "/objects/" + pipe).Status);
            Assert.Equal(404, Get(baseUrl + "/media/pipe").Status);
            var served = Get(baseUrl + "/media/good");
            Assert.Equal(200, served.Status);
            Assert.Equal(jpeg, served.Body);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
    }
}
