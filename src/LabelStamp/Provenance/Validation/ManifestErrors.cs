using LabelStamp.Errors;

namespace LabelStamp.Provenance.Validation;

/// <summary>The two ways a store fails as a whole: malformed (LS602) or over the bounds (LS603).</summary>
internal static class ManifestErrors
{
    public static LabelStampException Invalid(string name, string what) => new(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest store {what}");

    public static LabelStampException TooLarge(string name, string what) => new(ErrorCode.ManifestTooLarge, $"{name}: C2PA manifest store {what}");
}
