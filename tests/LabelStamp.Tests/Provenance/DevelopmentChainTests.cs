using LabelStamp.Provenance;

namespace LabelStamp.Tests.Provenance;

public sealed class DevelopmentChainTests
{
    [Fact]
    public async Task WorkersStartingAtOnceAllLoadOneChain_AndNoStagingFolderStays()
    {
        // Eight "workers" on a fresh machine make the development chain at the same moment: each must load a
        // certificate with its own key (no LS key mismatch from another's half-written files), all the same one.
        string parent = Path.Combine(Path.GetTempPath(), "labelstamp-devchain-" + Guid.NewGuid().ToString("N")[..8]);
        string dir = Path.Combine(parent, "c2pa");
        try
        {
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.Wait();
                var (credentials, source) = SigningCredentialSource.LoadOrCreateDevelopmentChain(dir);
                using (credentials) return (credentials.Leaf.Thumbprint, source);
            })).ToList();
            start.Set();
            var loaded = await Task.WhenAll(tasks);
            Assert.Single(loaded.Select(l => l.Thumbprint).Distinct());
            Assert.Single(loaded, l => l.source.StartsWith("new ", StringComparison.Ordinal));
            Assert.Equal(["c2pa"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
            Assert.Equal(["ca.pem", "signer.key", "signer.pem"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally
        {
            if (Directory.Exists(parent)) Directory.Delete(parent, recursive: true);
        }
    }
}
