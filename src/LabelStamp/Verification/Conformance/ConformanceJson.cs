using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelStamp.Verification.Conformance;

/// <summary>
/// The JSON form of conformance reports (`verify --report-json`, the page's download), described by
/// docs/conformance-report.schema.json: one object per file with its checks and their counts, status words
/// as <see cref="ConformanceRules.Word"/> prints them.
/// </summary>
public static class ConformanceJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize(IReadOnlyList<ConformanceReport> reports) =>
        JsonSerializer.Serialize(new { generator = "labelstamp verify", files = reports.Select(Shape).ToList() }, Options);

    /// <summary>One report as a JSON object (the verifier page embeds it in its answer).</summary>
    public static System.Text.Json.Nodes.JsonNode ToNode(ConformanceReport report) => JsonSerializer.SerializeToNode(Shape(report), Options)!;

    private static object Shape(ConformanceReport r) => new
    {
        file = r.File,
        format = r.Format,
        kind = r.Kind,
        errorCode = r.ErrorCode,
        counts = new
        {
            pass = r.Count(ConformanceStatus.Pass),
            fail = r.Count(ConformanceStatus.Fail),
            notApplicable = r.Count(ConformanceStatus.NotApplicable),
            notMeasured = r.Count(ConformanceStatus.NotMeasured),
        },
        checks = r.Checks,
    };
}
