using LabelStamp.Explicit;
using LabelStamp.Media.Images;
using LabelStamp.Verification;

namespace LabelStamp.Pipeline;

/// <summary>
/// The one place where media kinds are registered: the labelers (write side) and inspectors (read
/// side) every front end uses. A new kind plugs in here and nowhere else — not in the CLI, not in the worker.
/// </summary>
public sealed class MediaCatalog
{
    public MediaCatalog(ImageEncodeOptions? imageEncoding = null)
    {
        Renderer = new LabelRenderer();
        Labelers = [new ImageLabeler(imageEncoding, Renderer)];
        Inspectors = [new ImageInspector(new ExplicitLabelDetector(Renderer))];
    }

    /// <summary>Shared so that stamping and verifying in one process render each label once.</summary>
    public LabelRenderer Renderer { get; }

    public IReadOnlyList<IMediaLabeler> Labelers { get; }

    public IReadOnlyList<IMediaInspector> Inspectors { get; }

    public Stamper CreateStamper(Labels.MarkKey key, MediaLimits? limits = null) => new(key, Labelers, provenance: null, limits);

    public Verifier CreateVerifier() => new(Inspectors);
}
