namespace LabelStamp.Provenance.Validation;

/// <summary>An assertion box the claim names, found in the store (its hash checked or reported by <see cref="AssertionUriChecker"/>).</summary>
internal sealed record HashedAssertion(string Label, JumbfBox Box);
