using System.Globalization;
using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Provenance;
using LabelStamp.Verification;

namespace LabelStamp.Platform;

/// <summary>
/// The decision of spec §8, made only from a <see cref="VerifyReport"/> (what <c>labelstamp verify</c>
/// would print), so a platform can always explain a result by verifying the upload itself. Order:
/// an AIGC record wins (kept); else the uploader's declaration (Label "2"); else any detected sign —
/// our watermark, a visible label or rhythm prompt, IPTC or C2PA saying trainedAlgorithmicMedia —
/// (Label "3"); else nothing.
/// </summary>
public static class PlatformPlanner
{
    public static PlatformPlan Plan(VerifyReport report, bool declaredAi)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ErrorCode is not null)
            throw new LabelStampException(ParseCode(report.ErrorCode), report.Error ?? $"{report.File}: could not be read");

        var evidence = PlatformEvidence.None;
        AigcLabel? existing = null;
        var metadata = report.Metadata;
        if (metadata.Details is { } md && md.ContainsKey("Label"))
        {
            // Found, or Invalid only because of a signature mismatch or a duplicate: the record is still
            // readable, and a platform must keep it rather than replace it (nothing is removed).
            existing = new AigcLabel(md["Label"], md.GetValueOrDefault("ContentProducer", ""), md.GetValueOrDefault("ProduceID", ""),
                md.GetValueOrDefault("ReservedCode1", ""), md.GetValueOrDefault("ContentPropagator", ""),
                md.GetValueOrDefault("PropagateID", ""), md.GetValueOrDefault("ReservedCode2", ""));
            evidence |= PlatformEvidence.AigcLabel;
        }
        else if (metadata.State == LayerState.Invalid)
        {
            throw new LabelStampException(ErrorCode.PropagationRefused,
                $"{report.File}: carries an AIGC label that cannot be read ({metadata.Summary}); platform mode keeps labels and will not overwrite it");
        }
        else if (metadata.Details is { } d && d.GetValueOrDefault("DigitalSourceType") == XmpNames.TrainedAlgorithmicMedia)
        {
            evidence |= PlatformEvidence.DigitalSourceType;
        }

        MarkId? mark = null;
        if (report.Watermark.State is LayerState.Found or LayerState.Present)
        {
            // Present: our key's mark without a readable ID is still our evidence of AI origin.
            evidence |= PlatformEvidence.Watermark;
            if (report.Watermark.Details?.GetValueOrDefault("markId") is { } m) mark = MarkId.Parse(m);
        }
        if (report.Explicit.State == LayerState.Found) evidence |= PlatformEvidence.Explicit;
        if (report.Provenance.State is LayerState.Found or LayerState.Invalid)
        {
            evidence |= PlatformEvidence.C2paManifest;
            if (report.Provenance.Details?.GetValueOrDefault("digitalSourceType") is { } dst && dst.EndsWith("trainedAlgorithmicMedia", StringComparison.Ordinal))
                evidence |= PlatformEvidence.C2paAiGenerated;
        }
        if (mark is null && existing is not null && AigcSignature.Check(null, existing).MarkId is { } signed)
            mark = signed;

        const PlatformEvidence detected = PlatformEvidence.Watermark | PlatformEvidence.Explicit
                                          | PlatformEvidence.DigitalSourceType | PlatformEvidence.C2paAiGenerated;
        var result = existing is not null ? PlatformResult.Kept
            : declaredAi ? PlatformResult.Declared
            : (evidence & detected) != 0 ? PlatformResult.Suspected
            : PlatformResult.None;
        return new PlatformPlan(result, evidence, existing, mark);
    }

    private static ErrorCode ParseCode(string code) =>
        code.StartsWith("LS", StringComparison.Ordinal) && int.TryParse(code.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
        && Enum.IsDefined(typeof(ErrorCode), n) ? (ErrorCode)n : ErrorCode.Internal;
}
