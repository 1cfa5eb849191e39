using System.Text.Json;
using Json.Schema;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>Issue 21, item 4: `verify --json` is typed (numbers, booleans, null), uses the text output's
/// state words, and real output of every layer state validates against docs/verify-report.schema.json.</summary>
public sealed class VerifyJsonTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "verify-report.schema.json")));

    [Fact]
    public void Real_output_validates_against_the_schema_and_values_are_typed()
    {
        string dir = RepoPaths.NewTempDir();
        var stamp = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), RepoPaths.Samples("audio", "speech-espeak.flac"), "-o", dir);
        Assert.True(stamp.Code == 0, stamp.Err);
        string broken = Path.Combine(dir, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47]);

        // found (stamped), not-found (original), an error report (broken), not-checked (no key: watermark).
        string[] files = [Path.Combine(dir, "storm.jpg"), Path.Combine(dir, "speech-espeak.flac"), RepoPaths.Samples("images", "dune.jpg"), broken];
        var withKey = CliRun.Run(["verify", "--json", .. files]);
        Assert.Equal(2, withKey.Code); // the broken file
        // No key anywhere: not in the environment, not in a home directory's ~/.config/labelstamp.
        var noKey = CliRun.RunWith(new Dictionary<string, string> { ["HOME"] = RepoPaths.NewTempDir(), ["XDG_CONFIG_HOME"] = RepoPaths.NewTempDir() }, ["verify", "--json", files[0]]);
        Assert.Equal(0, noKey.Code);

        foreach (string output in new[] { withKey.Out, noKey.Out })
        {
            using var doc = JsonDocument.Parse(output);
            var result = Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))));
        }

        // The schema does reject the untyped form this output had before (numbers and flags as strings).
        string untyped = System.Text.RegularExpressions.Regex.Replace(withKey.Out, "\"bitErrorsCorrected\": ([0-9]+)", "\"bitErrorsCorrected\": \"$1\"");
        Assert.NotEqual(withKey.Out, untyped);
        using (var old = JsonDocument.Parse(untyped)) Assert.False(Schema.Evaluate(old.RootElement).IsValid);

        using var reports = JsonDocument.Parse(withKey.Out);
        var image = reports.RootElement[0];
        Assert.Equal(JsonValueKind.Number, image.GetProperty("explicit").GetProperty("details").GetProperty("x").ValueKind);
        Assert.Equal(JsonValueKind.Number, image.GetProperty("watermark").GetProperty("details").GetProperty("bitErrorsCorrected").ValueKind);
        Assert.InRange(image.GetProperty("watermark").GetProperty("details").GetProperty("falsePositiveProbability").GetDouble(), 0, 1e-9);
        Assert.Equal(JsonValueKind.True, image.GetProperty("provenance").GetProperty("details").GetProperty("valid").ValueKind);
        Assert.Equal(1, image.GetProperty("provenance").GetProperty("details").GetProperty("manifests").GetInt32());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("errorCode").ValueKind);
        Assert.Equal("not-found", reports.RootElement[2].GetProperty("metadata").GetProperty("state").GetString());
        Assert.Matches("^LS1[0-9]{2}$", reports.RootElement[3].GetProperty("errorCode").GetString());
        Assert.Equal(JsonValueKind.Null, reports.RootElement[3].GetProperty("format").ValueKind);
        using var unkeyed = JsonDocument.Parse(noKey.Out);
        Assert.Equal("not-checked", unkeyed.RootElement[0].GetProperty("watermark").GetProperty("state").GetString());
    }

    /// <summary>The watermark's zero-bit tier: a present finding (no ID, presence probability typed) validates.</summary>
    [Fact]
    public void Present_watermark_state_validates_and_is_typed()
    {
        var present = LabelStamp.Verification.WatermarkFinding.From(new LabelStamp.Marks.MarkVerdict(null, "0123abcd", 9.1, 3.4e-12, "sync statistic 9.10"));
        var skipped = LabelStamp.Verification.LayerFinding.NotChecked("not checked");
        var report = new LabelStamp.Verification.VerifyReport("a.png", "png", skipped, skipped, present, skipped);
        string json = LabelStamp.Verification.VerifyReportJson.Serialize([report]);
        using var doc = JsonDocument.Parse(json);
        Assert.True(Schema.Evaluate(doc.RootElement).IsValid, json);
        var watermark = doc.RootElement[0].GetProperty("watermark");
        Assert.Equal("present", watermark.GetProperty("state").GetString());
        Assert.Equal(3.4e-12, watermark.GetProperty("details").GetProperty("presenceFalsePositiveProbability").GetDouble());
        Assert.False(watermark.GetProperty("details").TryGetProperty("markId", out _));
        Assert.True(doc.RootElement[0].GetProperty("aiLabelFound").GetBoolean());
        // A state word the schema does not know is refused.
        using var wrong = JsonDocument.Parse(json.Replace("\"present\"", "\"maybe\"", StringComparison.Ordinal));
        Assert.False(Schema.Evaluate(wrong.RootElement).IsValid);
    }

    [Fact]
    public void Text_and_json_use_the_same_state_words()
    {
        string original = RepoPaths.Samples("images", "dune.jpg");
        var text = CliRun.Run("verify", original);
        var json = CliRun.Run("verify", "--json", original);
        Assert.Equal(1, text.Code);
        using var doc = JsonDocument.Parse(json.Out);
        foreach (var (row, property) in new[] { ("explicit", "explicit"), ("metadata", "metadata"), ("watermark", "watermark"), ("c2pa", "provenance") })
        {
            string state = doc.RootElement[0].GetProperty(property).GetProperty("state").GetString()!;
            string line = text.Out.Split('\n').Single(l => l.TrimStart().StartsWith(row + " ", StringComparison.Ordinal));
            Assert.Equal(state, line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        Assert.DoesNotContain("absent", text.Out);
        Assert.Contains("not-found", text.Out);
    }
}
