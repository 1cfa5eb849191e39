namespace LabelStamp.Provenance;

/// <summary>
/// What a claim signature's RFC 3161 time-stamp proves. <see cref="Status"/> is the C2PA status code
/// (C2PA 2.x §15.2): timeStamp.trusted (valid and its TSA chains to a trust anchor), timeStamp.validated
/// (valid; no anchors configured, so trust not judged), timeStamp.untrusted (valid but its TSA does not chain
/// to an anchor or lacks the timeStamping EKU), timeStamp.mismatch (imprint or CMS signature wrong),
/// timeStamp.outsideValidity (the TSA's certificate was not valid at the time it states), timeStamp.malformed.
/// </summary>
public sealed record TimestampCheck(string Status, DateTimeOffset? Time, string? Authority, string? Reason)
{
    public const string Trusted = "timeStamp.trusted";
    public const string Validated = "timeStamp.validated";
    public const string Untrusted = "timeStamp.untrusted";
    public const string Mismatch = "timeStamp.mismatch";
    public const string OutsideValidity = "timeStamp.outsideValidity";
    public const string Malformed = "timeStamp.malformed";

    /// <summary>The time may stand in for "now" when judging the signing certificate (C2PA 2.x §14.5.2): the token is
    /// valid and, where anchors are configured, its TSA is trusted.</summary>
    public bool Usable => Status is Trusted or Validated;
}
