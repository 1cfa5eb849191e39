using System.Text.Json.Nodes;
using LabelStamp.Verification;
using LabelStamp.Verification.Conformance;
using Microsoft.AspNetCore.Http;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// What the verifier page asks of POST /verify beyond the verify --json report, by query flags, so plain
/// API clients get exactly the schema's report: <c>preview=1</c> adds the video frame the label box is in
/// (<see cref="FramePreview"/>, made in memory), <c>conformance=1</c> adds the conformance checklist as JSON
/// (<c>conformance</c>) and as the same self-contained HTML verify --report writes (<c>conformanceHtml</c>).
/// Nothing of the upload is kept: both are computed from the report and returned in the one answer.
/// </summary>
internal readonly record struct PageExtras(bool Preview, bool Conformance)
{
    public static PageExtras From(HttpRequest request) => new(Flag(request, "preview"), Flag(request, "conformance"));

    private static bool Flag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.Count == 1 && v[0] is "1" or "true";

    public string Render(VerifyReport report)
    {
        if (!Conformance) return VerifyReportJson.Serialize(report);
        var node = JsonNode.Parse(VerifyReportJson.Serialize(report))!.AsObject();
        var checklist = ConformanceRules.Evaluate(report);
        node["conformance"] = ConformanceJson.ToNode(checklist);
        node["conformanceHtml"] = ConformanceHtml.Render([checklist], DateTimeOffset.UtcNow);
        return node.ToJsonString(VerifyReportJson.Options);
    }
}
