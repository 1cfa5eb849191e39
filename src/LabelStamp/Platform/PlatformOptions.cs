using LabelStamp.Errors;
using LabelStamp.Labels;

namespace LabelStamp.Platform;

/// <summary>
/// How a distribution platform propagates labels (spec §8): its ContentPropagator code, the notice
/// wordings for Label "2" and "3", and the label geometry (<see cref="Policy"/>: corner, font, size;
/// leaving <see cref="Layers.Explicit"/> out of its layers, with the Art. 9 waiver, drops the notices).
/// </summary>
public sealed record PlatformOptions
{
    /// <summary>GB 45438 §5 needs an AI element and a generation element; "可能为" marks the degree.</summary>
    public const string DefaultPossiblyWording = "可能为AI生成";
    public const string DefaultSuspectedWording = "疑似AI生成";

    public string Propagator { get; init; } = "";
    public LabelWording PossiblyWording { get; init; } = new(DefaultPossiblyWording);
    public LabelWording SuspectedWording { get; init; } = new(DefaultSuspectedWording);
    public LabelPolicy Policy { get; init; } = new();

    /// <summary>Roots for judging the provider's C2PA signer (reported, as in verify); null: not checked.</summary>
    public Provenance.TrustAnchors? TrustAnchors { get; init; }

    /// <summary>True when the policy drops the visible/audible notice (recorded in the output event, spec §2).</summary>
    public bool ExplicitWaived => (Policy.Layers & Layers.Explicit) == 0;

    public PlatformOptions Validate()
    {
        if (string.IsNullOrEmpty(Propagator))
            throw new LabelStampException(ErrorCode.MissingProducer,
                "platform mode needs the platform's ContentPropagator code: pass --propagator or set Platform:Propagator");
        if (!AigcLabel.IsAllowedValue(Propagator) || Propagator.Length > 256)
            throw new LabelStampException(ErrorCode.InvalidAigcField,
                "ContentPropagator may hold only printable ASCII without space, '\"' or '\\' (GB 45438 Annex E), at most 256 characters");
        Policy.Validate();
        return this;
    }
}
