using LabelStamp.Fuzz;
using LabelStamp.TestSupport;

namespace LabelStamp.Tests.Fuzzing;

/// <summary>
/// Every input the fuzzers ever found (tests/LabelStamp.Fuzz/regressions/TARGET/), and every real file
/// in samples-media, through every fuzz target: each must parse or fail with a typed input error, never
/// another exception or LS999 (<see cref="FuzzTarget.Run"/> lets exactly those escape). Feeding every
/// file to every target also checks that each parser refuses other formats cleanly.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string Regressions = Path.Combine(RepoPaths.Root, "tests", "LabelStamp.Fuzz", "regressions");

    public static TheoryData<string, string> RegressionInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string dir in Directory.EnumerateDirectories(Regressions).Order(StringComparer.Ordinal))
            foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(dir), Path.GetRelativePath(Regressions, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(RegressionInputs))]
    public void A_saved_finding_gets_a_typed_answer_from_its_target(string target, string input)
    {
        var fuzzTarget = FuzzTargets.Find(target);
        Assert.NotNull(fuzzTarget); // a regression folder names its target
        fuzzTarget.Run(File.ReadAllBytes(Path.Combine(Regressions, input)));
    }

    [Fact]
    public void Every_target_gives_a_typed_answer_for_every_real_sample_and_every_saved_finding()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Samples(), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Regressions, "*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 10, $"only {files.Count} files found");
        var failures = new List<string>();
        foreach (var target in FuzzTargets.All)
            foreach (string file in files)
            {
                try { target.Run(File.ReadAllBytes(file)); }
                catch (Exception e) { failures.Add($"{target.Name} {Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}"); }
            }
        Assert.Empty(failures);
    }

    /// <summary>
    /// The seed corpus the fuzzers start from, made the way scripts/fuzz.sh makes it (<see cref="SeedCorpus"/>):
    /// real images and their stamped copies, split into the pieces each parser reads alone (manifest
    /// stores, CBOR boxes, XMP packets, AIGC records). Every seed gets a typed answer from its target, so a
    /// parser that throws LS999 or an untyped exception on a real stamped piece fails here, not in a campaign.
    /// </summary>
    [Fact]
    public async Task Every_seed_of_the_fuzz_corpus_gets_a_typed_answer_from_its_target()
    {
        string dir = RepoPaths.NewTempDir();
        try
        {
            var factory = new LabelStamp.Provenance.CertificateFactory();
            var writer = new LabelStamp.Provenance.C2paProvenanceWriter(new LabelStamp.Provenance.C2paOptions(factory.CreateSigner(factory.CreateAuthority())));
            var stamper = Images.ImageFixtures.Catalog.CreateStamper(Images.ImageFixtures.Key, provenance: writer);
            var files = new List<string>();
            foreach (string sample in new[] { "ladybird.jpg", "storm.jpg", "arc-transparent.png" })
            {
                string original = RepoPaths.Samples("images", sample), stamped = Path.Combine(dir, "stamped-" + sample);
                var result = await stamper.StampAsync(await File.ReadAllBytesAsync(original), sample,
                    new LabelStamp.Pipeline.StampRequest("seed-" + sample, Images.ImageFixtures.Producer, new LabelStamp.Labels.LabelPolicy()));
                await File.WriteAllBytesAsync(stamped, result.Output);
                files.Add(original);
                files.Add(stamped);
            }
            string seeds = Path.Combine(dir, "seeds");
            SeedCorpus.Write(seeds, files);
            var targets = Directory.EnumerateDirectories(seeds).Select(Path.GetFileName).ToHashSet();
            // The stamped copies carry every piece the C2PA and metadata targets parse alone.
            foreach (string target in new[] { "c2pa", "jumbf", "cbor", "xmp", "aigc", "image-verify" })
                Assert.Contains(target, targets);
            var failures = new List<string>();
            foreach (string targetDir in Directory.EnumerateDirectories(seeds).Order(StringComparer.Ordinal))
            {
                var target = FuzzTargets.Find(Path.GetFileName(targetDir));
                Assert.NotNull(target);
                foreach (string seed in Directory.EnumerateFiles(targetDir).Order(StringComparer.Ordinal))
                {
                    try { target.Run(await File.ReadAllBytesAsync(seed)); }
                    catch (Exception e) { failures.Add($"{target.Name} {Path.GetFileName(seed)}: {e.GetType().Name}: {e.Message}"); }
                }
            }
            Assert.Empty(failures);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_regression_folder_is_a_known_target()
    {
        foreach (string dir in Directory.EnumerateDirectories(Regressions))
            Assert.NotNull(FuzzTargets.Find(Path.GetFileName(dir)));
    }
}
