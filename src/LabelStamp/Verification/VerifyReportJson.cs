using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelStamp.Verification;

/// <summary>The one JSON form of <see cref="VerifyReport"/>: `verify --json` and the origin's POST /verify print the same fields.</summary>
public static class VerifyReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize(VerifyReport report) => JsonSerializer.Serialize(report, Options);

    public static string Serialize(IReadOnlyList<VerifyReport> reports) => JsonSerializer.Serialize(reports, Options);
}
