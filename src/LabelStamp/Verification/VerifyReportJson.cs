using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelStamp.Verification;

/// <summary>
/// The one JSON form of <see cref="VerifyReport"/>: `verify --json` and the origin's POST /verify print
/// the same fields, described by docs/verify-report.schema.json. Detail values are typed here
/// (<see cref="LayerFindingJsonConverter"/>): counts and scores are numbers, flags booleans. The state
/// words are the text output's words too (<see cref="StateName"/>).
/// </summary>
public static class VerifyReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new LayerFindingJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Serialize(VerifyReport report) => JsonSerializer.Serialize(report, Options);

    public static string Serialize(IReadOnlyList<VerifyReport> reports) => JsonSerializer.Serialize(reports, Options);

    /// <summary>found, present, not-found, invalid or not-checked: the word for a state in JSON and in text.</summary>
    public static string StateName(LayerState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());
}
