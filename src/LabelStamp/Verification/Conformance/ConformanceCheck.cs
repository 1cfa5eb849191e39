namespace LabelStamp.Verification.Conformance;

/// <summary>One row of a conformance report: which rule (<see cref="Rule"/>, e.g. "GB 45438 §5"), what it asks
/// (<see cref="Requirement"/>), the outcome, and the evidence verify measured for it.</summary>
public sealed record ConformanceCheck(string Id, string Rule, string Requirement, ConformanceStatus Status, string Evidence);
