using LabelStamp.Pipeline;

namespace LabelStamp.Provenance.Validation;

/// <summary>
/// What every validation step shares: the asset's bytes and format, the container its store came from, the
/// bounds, the problems found so far (C2PA status codes, in the order the steps find them) and the digest cache.
/// </summary>
internal sealed class ValidationContext(byte[] file, string name, string format, ManifestContainer container, MetadataLimits limits)
{
    public byte[] File { get; } = file;
    public string Name { get; } = name;
    /// <summary>The sniffed format's name ("jpeg", "mp4", …): which hard bindings can apply.</summary>
    public string Format { get; } = format;
    public ManifestContainer Container { get; } = container;
    public MetadataLimits Limits { get; } = limits;
    public List<string> Problems { get; } = [];
    public DigestCache Digests { get; } = new();

    /// <summary>A BMFF hash can bind only an ISO BMFF asset.</summary>
    public bool IsBmff => Container is BmffManifestContainer;
}
