using LabelStamp.Explicit;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Images;
using LabelStamp.Media.Video;
using LabelStamp.Verification;

namespace LabelStamp.Pipeline;

/// <summary>
/// The one place where media kinds are registered: the labelers (write side) and inspectors (read
/// side) every front end uses. A new kind plugs in here and nowhere else — not in the CLI, not in the worker.
/// </summary>
public sealed class MediaCatalog
{
    public MediaCatalog(ImageEncodeOptions? imageEncoding = null, VideoLabelOptions? video = null)
    {
        Renderer = new LabelRenderer();
        var imageMark = new ImageWatermark();
        var audio = new AudioLabeler();
        var videoLabeler = new VideoLabeler(Renderer, audio, video);
        var audioFile = new AudioFileInspector(audio, new AudioInspector());
        // Order matters where two claim a format: MP4 goes to the router (audio-only vs video) and Matroska
        // to the video labeler; on the read side the video inspector hands audio-only MP4 to the audio one.
        Labelers = [new ImageLabeler(imageEncoding, Renderer, imageMark), audio, new Mp4Router(audio, videoLabeler), videoLabeler];
        Inspectors = [new ImageInspector(new ExplicitLabelDetector(Renderer), imageMark),
            new VideoInspector(new ExplicitLabelDetector(Renderer), videoLabeler.Options, audioFile), audioFile];
    }

    /// <summary>Shared so that stamping and verifying in one process render each label once.</summary>
    public LabelRenderer Renderer { get; }

    public IReadOnlyList<IMediaLabeler> Labelers { get; }

    public IReadOnlyList<IMediaInspector> Inspectors { get; }

    /// <summary>A stamper for every registered kind; <paramref name="provenance"/> (C2PA) is optional.</summary>
    public Stamper CreateStamper(Labels.MarkKey key, MediaLimits? limits = null, IProvenanceWriter? provenance = null) =>
        new(key, Labelers, provenance, limits);

    public Verifier CreateVerifier() => new(Inspectors);

    /// <summary>Platform (propagator) mode over every registered kind (spec §8); <paramref name="provenance"/> signs the kept case's new manifest.</summary>
    public Platform.Propagator CreatePropagator(Labels.MarkKey key, Platform.PlatformOptions options, MediaLimits? limits = null, IProvenanceWriter? provenance = null) =>
        new(key, CreateVerifier(), Labelers, options, limits, provenance);
}
