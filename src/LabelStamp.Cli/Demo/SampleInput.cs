namespace LabelStamp.Cli.Demo;

/// <summary>One item the generator publishes. <see cref="Hostile"/> names what is wrong with it, if anything.</summary>
public sealed record SampleInput(string ContentId, string Name, byte[] Bytes, string? Hostile = null)
{
    /// <summary>Extra headers (e.g. a wrong content_type, an ls-ref outside the store) that make it hostile.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Send with no key and no ce_id.</summary>
    public bool OmitContentId { get; init; }
}
