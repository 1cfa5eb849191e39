namespace LabelStamp.Marks;

/// <summary>
/// What embedding a watermark achieved: <see cref="Readable"/> when the mark was embedded and its own
/// check read it back; otherwise <see cref="Reason"/> says why the file carries no readable mark, and
/// nothing (stamp line, layers, C2PA soft binding) may claim it.
/// </summary>
public sealed record MarkEmbedding(bool Readable, string? Reason)
{
    /// <summary>What the self-check's read had to spare, when the embedder ran one (null otherwise): the stamp keeps a
    /// lossy output's file check unless the margin and the output's settings say the file cannot lose the mark.</summary>
    public MarkMargin? Margin { get; init; }

    public static MarkEmbedding Applied { get; } = new(true, null);

    public static MarkEmbedding NotReadable(string reason) => new(false, reason);
}
