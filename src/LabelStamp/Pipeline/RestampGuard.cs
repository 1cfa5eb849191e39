using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Pipeline;

/// <summary>
/// The provider's check before labeling: an item whose metadata already holds an AIGC record with
/// Label "1" is refused with <see cref="ErrorCode.AlreadyLabeled"/> unless the policy allows a restamp.
/// Each adapter calls it with the record it reads anyway (images: the XMP; audio and video: the probe's
/// tags or the RIFF chunk), so the check costs no extra decode. A record that does not parse is not a
/// label anyone can rely on; it is replaced like any other metadata.
/// </summary>
public static class RestampGuard
{
    public static void Check(string? existingAigcJson, StampContext context)
    {
        if (existingAigcJson is null || context.Request.Policy.Restamp) return;
        AigcLabel existing;
        try { existing = AigcLabel.Parse(existingAigcJson); }
        catch (LabelStampException) { return; }
        if (existing.Label != AigcLabel.Generated) return;
        throw new LabelStampException(ErrorCode.AlreadyLabeled,
            $"{context.Name}: already carries an AIGC label (Label 1, producer {existing.ContentProducer}, ID {existing.ProduceID}); "
            + "stamping again would replace it: pass --restamp (worker: Worker:Restamp=true) to relabel it, or use --mode platform to keep it and add the propagation fields");
    }
}
