namespace LabelStamp.Worker.Contract;

/// <summary>Header names of the message contract (spec §7; CloudEvents Kafka binary binding).</summary>
public static class KafkaHeaders
{
    public const string SpecVersion = "ce_specversion";
    public const string Id = "ce_id";
    public const string Source = "ce_source";
    public const string Type = "ce_type";
    public const string ContentType = "content_type";

    public const string Producer = "ls-producer";
    public const string Policy = "ls-policy";
    public const string Reference = "ls-ref";

    public const string Aigc = "ls-aigc";
    public const string MarkId = "ls-mark-id";
    public const string KeyId = "ls-key-id";
    public const string Layers = "ls-layers";
    /// <summary>A layer the policy asked for that the item does not carry, and why ("watermark not applied: …").</summary>
    public const string NotApplied = "ls-not-applied";
    public const string Sha256 = "ls-sha256";
    public const string Timings = "ls-timings";
    public const string Worker = "ls-worker";

    /// <summary>Spec §2: "true" when the policy left the explicit (visible/audible) layer out.</summary>
    public const string ExplicitWaived = "ls-explicit-waived";

    // Platform mode (spec §8, docs/platform.md).
    /// <summary>Input: "true" when the uploader declared the content AI-generated.</summary>
    public const string DeclaredAi = "ls-declared-ai";
    public const string Mode = "ls-mode";
    /// <summary>kept | declared | suspected | none.</summary>
    public const string PlatformResult = "ls-platform-result";
    /// <summary>What was found before deciding: aigc, digital-source-type, watermark, explicit, c2pa-ai, c2pa; or none.</summary>
    public const string PlatformEvidence = "ls-platform-evidence";
    /// <summary>The notice a platform shows around the item (CAC Labeling Measures Art. 6): generated | possibly | suspected.</summary>
    public const string PlatformNotice = "ls-platform-notice";
    /// <summary>The ContentPropagator the kept label named before ours replaced it (Annex E has one slot).</summary>
    public const string PreviousPropagator = "ls-previous-propagator";

    public const string ErrorCode = "ls-error-code";
    public const string Error = "ls-error";
    public const string SourceTopic = "ls-source-topic";
    public const string SourcePartition = "ls-source-partition";
    public const string SourceOffset = "ls-source-offset";

    public const string CloudEventsVersion = "1.0";
    public const string GeneratedType = "labelstamp.media.generated";
    public const string LabeledType = "labelstamp.media.labeled";
}
