namespace LabelStamp.Provenance;

/// <summary>Why a manifest is signed, which decides its actions and how it names an earlier manifest.</summary>
public enum ManifestPurpose
{
    /// <summary>A provider labels generated media: <c>c2pa.created</c> with digitalSourceType
    /// trainedAlgorithmicMedia (spec §6); an earlier manifest (the generator's) becomes a <c>componentOf</c>
    /// ingredient, since C2PA §10.7 gives a created asset no parent.</summary>
    Creation,

    /// <summary>A platform publishes labeled media after adding its propagation fields (spec §8): the
    /// provider's manifest is the <c>parentOf</c> ingredient that <c>c2pa.opened</c> names, followed by
    /// <c>c2pa.edited.metadata</c> (pixels and samples untouched) and <c>c2pa.published</c>. The AI origin
    /// stays stated once, in the parent's <c>c2pa.created</c>; readers inherit it from there.</summary>
    Publication,
}
