using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 5: --quiet prints errors and the summary only, --verbose adds the key and
/// signer used and stage timings; the key and signer lines appear otherwise only when a development key
/// or chain is created, and a run that labels nothing creates (and announces) nothing.</summary>
public sealed class VerbosityTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Quiet_stamp_prints_the_summary_and_errors_only()
    {
        string dir = RepoPaths.NewTempDir();
        string bad = Path.Combine(dir, "bad.png");
        File.WriteAllBytes(bad, [1, 2, 3]);
        var (code, stdout, err) = CliRun.Run("stamp", "--quiet", RepoPaths.Samples("images", "storm.jpg"), bad, "-o", Path.Combine(dir, "out"), "--layers", "explicit,metadata");
        Assert.Equal(2, code);
        Assert.StartsWith("stamped 1 of 2 files", Lines(stdout).Single());
        Assert.StartsWith("error LS", Lines(err).Single());
    }

    [Fact]
    public void Normal_stamp_with_a_configured_key_announces_nothing_and_verbose_names_key_signer_and_stages()
    {
        string dir = RepoPaths.NewTempDir();
        var normal = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", Path.Combine(dir, "a"), "--c2pa-chain", DevelopmentChain(dir).Chain, "--c2pa-key", DevelopmentChain(dir).Key);
        Assert.True(normal.Code == 0, normal.Err);
        Assert.Equal("", normal.Err);
        Assert.StartsWith("ok ", Lines(normal.Out)[0]);

        var verbose = CliRun.Run("stamp", "-v", RepoPaths.Samples("images", "storm.jpg"), "-o", Path.Combine(dir, "b"), "--c2pa-chain", DevelopmentChain(dir).Chain, "--c2pa-key", DevelopmentChain(dir).Key);
        Assert.True(verbose.Code == 0, verbose.Err);
        Assert.Contains("labelstamp: key ", verbose.Err);
        Assert.Contains("from $LABELSTAMP_MARK_KEY", verbose.Err);
        Assert.Contains("labelstamp: C2PA signer CN=", verbose.Err);
        string ok = Lines(verbose.Out).Single(l => l.StartsWith("ok ", StringComparison.Ordinal));
        Assert.Matches(@" stages .*decode=[0-9.]+ms.*encode=[0-9.]+ms", ok);
    }

    [Fact]
    public void A_development_key_and_chain_are_announced_when_created_and_not_created_when_nothing_is_stamped()
    {
        string home = RepoPaths.NewTempDir(), dir = RepoPaths.NewTempDir();
        var env = new Dictionary<string, string> { ["HOME"] = home, ["LABELSTAMP_PRODUCER"] = CliRun.Env["LABELSTAMP_PRODUCER"] };
        // Refused before labeling (not a media format): the key and chain are made only for an item that gets that far.
        string bad = Path.Combine(dir, "bad.jpg");
        File.WriteAllText(bad, "not an image");

        var nothing = CliRun.RunWith(env, "stamp", bad, "-o", Path.Combine(dir, "none"));
        Assert.Equal(2, nothing.Code);
        Assert.DoesNotContain("labelstamp:", nothing.Err);
        Assert.False(Directory.Exists(Path.Combine(home, ".config", "labelstamp")));

        var first = CliRun.RunWith(env, "stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", Path.Combine(dir, "first"));
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("labelstamp: new development key ", first.Err);
        Assert.Contains("labelstamp: new development test chain ", first.Err);
        Assert.True(File.Exists(Path.Combine(home, ".config", "labelstamp", "mark.key")));

        var second = CliRun.RunWith(env, "stamp", RepoPaths.Samples("images", "dune.jpg"), "-o", Path.Combine(dir, "second"));
        Assert.True(second.Code == 0, second.Err);
        Assert.Equal("", second.Err); // existing development material: used quietly
    }

    [Fact]
    public void Quiet_and_verbose_verify()
    {
        string original = RepoPaths.Samples("images", "dune.jpg");
        var quiet = CliRun.Run("verify", "-q", original);
        Assert.Equal(1, quiet.Code);
        Assert.Equal("verified 1 files: 0 with an AI label, 1 without; 0 failed", Lines(quiet.Out).Single());
        var verbose = CliRun.Run("verify", "--verbose", original);
        Assert.Equal(1, verbose.Code);
        Assert.Contains("labelstamp: key ", verbose.Err);
        Assert.Matches(@"\n  time +[0-9]+ ms", verbose.Out);

        var both = CliRun.Run("verify", "-q", "-v", original);
        Assert.Equal(2, both.Code);
        Assert.Contains("error LS903: --quiet and --verbose: choose one", both.Err);
    }

    /// <summary>A chain made by `labelstamp keys` in the test's folder, so no run depends on ~/.config.</summary>
    private static (string Chain, string Key) DevelopmentChain(string dir)
    {
        string keys = Path.Combine(dir, "keys");
        if (!File.Exists(Path.Combine(keys, "signer.pem")))
        {
            var made = CliRun.Run("keys", "--out", keys);
            Assert.True(made.Code == 0, made.Err);
        }
        return (Path.Combine(keys, "signer.pem"), Path.Combine(keys, "signer.key"));
    }
}
