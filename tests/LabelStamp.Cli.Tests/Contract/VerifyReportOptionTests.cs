using System.Text.Json;
using Json.Schema;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests.Contract;

/// <summary>`verify --report FILE.html --report-json FILE`: the checklist of every file named, in both forms,
/// the JSON valid against docs/conformance-report.schema.json, and verify's own output and exit code unchanged.</summary>
public sealed class VerifyReportOptionTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "conformance-report.schema.json")));

    [Fact]
    public void Report_files_hold_one_checklist_per_file_and_the_json_validates()
    {
        string dir = RepoPaths.NewTempDir();
        var stamp = CliRun.Run("stamp", RepoPaths.Samples("images", "storm.jpg"), "-o", dir);
        Assert.True(stamp.Code == 0, stamp.Err);
        string broken = Path.Combine(dir, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47]);
        string html = Path.Combine(dir, "report.html"), json = Path.Combine(dir, "report.json");

        var run = CliRun.Run("verify", Path.Combine(dir, "storm.jpg"), RepoPaths.Samples("images", "dune.jpg"), broken, "--report", html, "--report-json", json);
        Assert.Equal(2, run.Code); // the broken file, as without --report
        Assert.Contains("AI label found", run.Out);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))));
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        string Status(int file, string id) => files[file].GetProperty("checks").EnumerateArray().First(c => c.GetProperty("id").GetString() == id).GetProperty("status").GetString()!;
        Assert.Equal("pass", Status(0, "explicit.ink-height"));
        Assert.Equal("pass", Status(0, "eu.two-layers"));
        Assert.Equal("fail", Status(1, "explicit.position"));
        Assert.Equal("not-measured", Status(2, "explicit.position"));
        Assert.Matches("^LS1[0-9]{2}$", files[2].GetProperty("errorCode").GetString());

        string page = File.ReadAllText(html);
        Assert.Equal(3, page.Split("<section>").Length - 1);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", page.Replace("http://www.w3.org", "", StringComparison.Ordinal).Split("<body>")[0], StringComparison.Ordinal); // no external resource in the head
    }

    [Fact]
    public void A_report_path_that_is_a_directory_is_refused_before_any_work()
    {
        string dir = RepoPaths.NewTempDir();
        var run = CliRun.Run("verify", RepoPaths.Samples("images", "storm.jpg"), "--report", dir);
        Assert.Equal(2, run.Code);
        Assert.Contains("error LS901", run.Err);
        Assert.DoesNotContain("storm.jpg (jpeg)", run.Out);
    }
}
