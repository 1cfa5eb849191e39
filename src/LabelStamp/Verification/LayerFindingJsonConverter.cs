using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabelStamp.Verification;

/// <summary>
/// Writes a <see cref="LayerFinding"/> with typed details. The findings keep their details as text (the
/// one-line summaries are built from the same values); which detail is a number or a flag is said once,
/// here, and docs/verify-report.schema.json states the same. A value that does not read as its type
/// stays a string, which the schema test then reports.
/// </summary>
internal sealed class LayerFindingJsonConverter : JsonConverter<LayerFinding>
{
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal)
        { "x", "y", "width", "height", "inkHeight", "shortSide", "cornerInkHeight", "records", "bitErrorsCorrected", "manifests", "ingredients", "timestampTokens" };

    private static readonly HashSet<string> Reals = new(StringComparer.Ordinal)
        {
            "score", "openingScore", "cornerScore", "falsePositiveProbability", "presenceFalsePositiveProbability", "audioPrompt", "inkHeightFraction", "textLuma", "plateLuma", "contrast",
            "frameSeconds", "openingSeenUntil", "openingGoneAt", "promptStart", "promptEnd", "promptLength", "duration", "voiceClipCorrelation",
        };

    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
        { "valid", "signatureValid", "credentialValid", "hardBindingValid", "softBindingMatchesWatermark" };

    /// <summary>Structured details kept as JSON text by the finding (the C2PA ingredient tree), written as JSON.</summary>
    private static readonly HashSet<string> JsonValued = new(StringComparer.Ordinal) { "ingredientTree" };

    /// <summary>Optional texts written as "" when absent: null in JSON.</summary>
    private static readonly HashSet<string> NullWhenEmpty = new(StringComparer.Ordinal) { "hardBinding" };

    public override LayerFinding Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("verify reports are written, not read back");

    public override void Write(Utf8JsonWriter writer, LayerFinding value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(Name("State", options), VerifyReportJson.StateName(value.State));
        writer.WriteString(Name("Summary", options), value.Summary);
        writer.WritePropertyName(Name("Details", options));
        if (value.Details is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartObject();
            foreach (var (key, text) in value.Details)
            {
                writer.WritePropertyName(key);
                WriteDetail(writer, key, text);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteDetail(Utf8JsonWriter writer, string key, string text)
    {
        if (Integers.Contains(key) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer))
            writer.WriteNumberValue(integer);
        else if (Reals.Contains(key) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
            writer.WriteNumberValue(real);
        else if (Flags.Contains(key) && bool.TryParse(text, out bool flag))
            writer.WriteBooleanValue(flag);
        else if (JsonValued.Contains(key) && IsJson(text))
            writer.WriteRawValue(text);
        else if (NullWhenEmpty.Contains(key) && text.Length == 0)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(text);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Name(string property, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(property) ?? property;
}
