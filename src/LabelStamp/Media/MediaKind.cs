namespace LabelStamp.Media;

/// <summary>The broad kind of a medium: decides which adapter labels it.</summary>
public enum MediaKind
{
    Unknown = 0,
    Image,
    Audio,
    Video,
}
