using System.Text;
using System.Text.Json;
using LabelStamp.Errors;

namespace LabelStamp.Labels;

/// <summary>
/// The GB 45438-2025 Annex E implicit label: one JSON object with exactly seven string fields, in the
/// annex's order. Values are restricted to printable ASCII without space, '"' or '\' (GB18030 0x21,
/// 0x23–0x5B, 0x5D–0x7E), which also means the JSON never needs escaping.
/// </summary>
public sealed record AigcLabel
{
    public const string Generated = "1";
    public const string PossiblyGenerated = "2";
    public const string SuspectedGenerated = "3";

    private static readonly string[] FieldNames =
        ["Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"];

    public AigcLabel(string label, string contentProducer, string produceId, string reservedCode1 = "",
        string contentPropagator = "", string propagateId = "", string reservedCode2 = "")
    {
        if (label is not (Generated or PossiblyGenerated or SuspectedGenerated))
            throw Invalid("Label", "must be \"1\" (generated), \"2\" (possibly) or \"3\" (suspected)");
        Label = label;
        // A provider ("1") always knows who made the item. A platform writing "2" or "3" for an upload
        // without a label often does not (CAC Labeling Measures Art. 6), so it may leave them empty.
        bool provider = label == Generated;
        ContentProducer = Check("ContentProducer", contentProducer, required: provider);
        ProduceID = Check("ProduceID", produceId, required: provider);
        ReservedCode1 = Check("ReservedCode1", reservedCode1, required: false);
        ContentPropagator = Check("ContentPropagator", contentPropagator, required: false);
        PropagateID = Check("PropagateID", propagateId, required: false);
        ReservedCode2 = Check("ReservedCode2", reservedCode2, required: false);
    }

    public string Label { get; }
    public string ContentProducer { get; }
    public string ProduceID { get; }
    public string ReservedCode1 { get; init; }
    public string ContentPropagator { get; init; }
    public string PropagateID { get; init; }
    public string ReservedCode2 { get; init; }

    /// <summary>The annex's JSON: fields in order, no white space.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder(160).Append('{');
        string[] values = [Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2];
        for (int i = 0; i < FieldNames.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('"').Append(FieldNames[i]).Append("\":\"").Append(values[i]).Append('"');
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Parses a label read from a file. Unknown extra fields are refused: the annex fixes the set.</summary>
    public static AigcLabel Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid("AIGC", "is not a JSON object");
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (Array.IndexOf(FieldNames, prop.Name) < 0)
                    throw Invalid(prop.Name, "is not one of the seven GB 45438 Annex E fields");
                if (prop.Value.ValueKind != JsonValueKind.String)
                    throw Invalid(prop.Name, "must be a string");
                values[prop.Name] = prop.Value.GetString()!;
            }
            string Get(string name) => values.TryGetValue(name, out var v) ? v : "";
            return new AigcLabel(Get("Label"), Get("ContentProducer"), Get("ProduceID"), Get("ReservedCode1"),
                Get("ContentPropagator"), Get("PropagateID"), Get("ReservedCode2"));
        }
        catch (JsonException e)
        {
            throw new LabelStampException(ErrorCode.InvalidAigcField, "AIGC label is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>True when every character is in the annex's allowed set.</summary>
    public static bool IsAllowedValue(string value)
    {
        foreach (char c in value)
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') return false;
        return true;
    }

    private static string Check(string field, string value, bool required)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (required && value.Length == 0) throw Invalid(field, "must not be empty");
        if (value.Length > 256) throw Invalid(field, "is longer than 256 characters");
        if (!IsAllowedValue(value))
            throw Invalid(field, "may hold only printable ASCII without space, '\"' or '\\' (GB 45438 Annex E)");
        return value;
    }

    private static LabelStampException Invalid(string field, string what) =>
        new(ErrorCode.InvalidAigcField, $"AIGC field {field} {what}");
}
