using LabelStamp.Cli.Commands;
using LabelStamp.Provenance;

namespace LabelStamp.Cli.Tests.Commands;

public sealed class KeysCommandTests
{
    [Fact]
    public void WritesALoadableChainAndKeyAndRefusesToOverwrite()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ls-keys-cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var command = KeysCommand.Create();
            Assert.Equal(0, command.Parse(["--out", dir, "--signer-name", "Cli Test Signer"]).Invoke());
            Assert.True(File.Exists(Path.Combine(dir, "ca.pem")));
            using var creds = SigningCredentials.LoadPem(Path.Combine(dir, "signer.pem"), Path.Combine(dir, "signer.key"));
            Assert.Contains("CN=Cli Test Signer", creds.Leaf.Subject);
            Assert.Equal(2, command.Parse(["--out", dir]).Invoke());
            Assert.Equal(0, command.Parse(["--out", dir, "--force"]).Invoke());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
