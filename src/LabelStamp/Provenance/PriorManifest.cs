namespace LabelStamp.Provenance;

/// <summary>
/// A manifest store found in an item's input bytes, read before any labeler re-encodes them (an encoder
/// drops the JUMBF), with its validation against those same input bytes: the only bytes its hard binding
/// can match. The provenance writer keeps it as the <c>parentOf</c> ingredient of our manifest (spec §6).
/// </summary>
public sealed record PriorManifest(byte[] Store, C2paReport Report);
