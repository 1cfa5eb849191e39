using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Metadata.Xmp;

namespace LabelStamp.Verification;

/// <summary>Turns a raw AIGC value (from XMP, a RIFF chunk, an ID3 frame, a tag) into a report row.</summary>
public static class AigcFinding
{
    public static LayerFinding FromJson(string? aigcJson, string? digitalSourceType, int count, MarkKey? key, string where)
    {
        var details = new Dictionary<string, string> { ["where"] = where };
        if (digitalSourceType is not null) details["DigitalSourceType"] = digitalSourceType;
        if (aigcJson is null)
        {
            return digitalSourceType == XmpNames.TrainedAlgorithmicMedia
                ? new LayerFinding(LayerState.Found, "no AIGC label, but IPTC DigitalSourceType says trainedAlgorithmicMedia", details)
                : new LayerFinding(LayerState.NotFound, "no AIGC label in the metadata", details);
        }
        AigcLabel label;
        try { label = AigcLabel.Parse(aigcJson); }
        catch (LabelStampException e)
        {
            details["raw"] = aigcJson.Length > 300 ? aigcJson[..300] : aigcJson;
            details["records"] = count.ToString(CultureInfo.InvariantCulture);
            return new LayerFinding(LayerState.Invalid, e.Message, details);
        }
        details["records"] = count.ToString(CultureInfo.InvariantCulture);
        details["Label"] = label.Label;
        details["ContentProducer"] = label.ContentProducer;
        details["ProduceID"] = label.ProduceID;
        details["ContentPropagator"] = label.ContentPropagator;
        details["PropagateID"] = label.PropagateID;
        details["ReservedCode1"] = label.ReservedCode1;
        details["ReservedCode2"] = label.ReservedCode2;
        var signature = AigcSignature.Check(key, label);
        details["signature"] = signature.Status.ToString().ToLowerInvariant();
        if (signature.KeyId is not null) details["signatureKeyId"] = signature.KeyId;
        if (signature.MarkId is { } m) details["markId"] = m.ToString();
        var propagation = PropagationSignature.Check(key, label);
        details["propagationSignature"] = propagation.Status.ToString().ToLowerInvariant();
        if (propagation.KeyId is not null) details["propagationKeyId"] = propagation.KeyId;
        if (count > 1) return new LayerFinding(LayerState.Invalid, $"{count} AIGC labels in one file (GB 45438 allows exactly one)", details);
        if (signature.Status == AigcSignatureStatus.Invalid)
            return new LayerFinding(LayerState.Invalid, "AIGC label present but its ReservedCode1 signature does not match (edited?)", details);
        if (propagation.Status == AigcSignatureStatus.Invalid)
            return new LayerFinding(LayerState.Invalid, "AIGC label present but the platform's ReservedCode2 signature does not match (edited after publication?)", details);
        string meaning = label.Label switch { AigcLabel.Generated => "generated", AigcLabel.PossiblyGenerated => "possibly generated", _ => "suspected generated" };
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"AIGC Label {label.Label} ({meaning}), producer {label.ContentProducer}, ID {label.ProduceID}, signature {details["signature"]}")
            + (label.ContentPropagator.Length > 0 ? $", propagator {label.ContentPropagator}, platform signature {details["propagationSignature"]}" : "");
        return new LayerFinding(LayerState.Found, summary, details);
    }
}
