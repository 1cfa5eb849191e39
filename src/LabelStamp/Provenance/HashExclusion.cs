namespace LabelStamp.Provenance;

/// <summary>A byte range left out of a <c>c2pa.hash.data</c> hard binding (C2PA §18.5): the embedded manifest store.</summary>
public readonly record struct HashExclusion(long Start, long Length);
