namespace LabelStamp.Metadata.Containers;

/// <summary>The boxes a walk read, in file order, and why it stopped; <see cref="At"/> and <see cref="Type"/>
/// name the box (or header) it stopped at, for messages.</summary>
public sealed record BmffWalk(List<BmffBox> Boxes, BmffStop Stop, long At, string? Type)
{
    /// <summary>The range was walked to its end (fewer than 8 trailing bytes allowed, as inside QuickTime lists).</summary>
    public bool Complete => Stop is BmffStop.Complete or BmffStop.TrailingBytes;

    /// <summary>The first box of a type, or null.</summary>
    public BmffBox? First(string type)
    {
        foreach (var box in Boxes)
            if (box.Type == type) return box;
        return null;
    }
}
