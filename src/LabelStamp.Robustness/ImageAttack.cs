using LabelStamp.Media.Images;

namespace LabelStamp.Robustness;

/// <summary>One attack at one setting, as data: tables print <see cref="Name"/> × <see cref="Setting"/>.</summary>
public sealed record ImageAttack(string Name, string Setting, Func<PixelBuffer, PixelBuffer> Apply)
{
    public override string ToString() => $"{Name} {Setting}";
}
