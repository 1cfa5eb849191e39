using LabelStamp.Pipeline;

namespace LabelStamp.Cli.Composition;

/// <summary>The media adapters of this build, in the order the Stamper tries them.</summary>
public static class MediaLabelers
{
    public static IReadOnlyList<IMediaLabeler> All() => [];
}
