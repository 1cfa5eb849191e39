namespace LabelStamp.Marks;

/// <summary>
/// What embedding a watermark achieved: <see cref="Readable"/> when the mark was embedded and its own
/// check read it back; otherwise <see cref="Reason"/> says why the file carries no readable mark, and
/// nothing (stamp line, layers, C2PA soft binding) may claim it.
/// </summary>
public sealed record MarkEmbedding(bool Readable, string? Reason)
{
    public static MarkEmbedding Applied { get; } = new(true, null);

    public static MarkEmbedding NotReadable(string reason) => new(false, reason);
}
