namespace LabelStamp.Platform;

/// <summary>One upload at a platform: its platform content ID (PropagateID) and what the uploader declared.</summary>
public sealed record PlatformRequest(string PropagateId, bool DeclaredAi)
{
    /// <summary>A content type the sender claimed; a mismatch with the bytes is an error, as for providers.</summary>
    public string? DeclaredContentType { get; init; }
}
