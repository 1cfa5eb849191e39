using LabelStamp.Explicit;
using LabelStamp.Formats;
using LabelStamp.Formats.Audio;
using LabelStamp.Formats.Heif;
using LabelStamp.Formats.Jpeg;
using LabelStamp.Formats.Png;
using LabelStamp.Formats.Video;
using LabelStamp.Formats.WebP;
using LabelStamp.Media;
using LabelStamp.Marks.Image;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Images;
using LabelStamp.Media.Video;
using LabelStamp.Verification;

namespace LabelStamp.Pipeline;

/// <summary>
/// The one place where formats and media kinds are registered: the format modules (sniffing signature, content
/// types, header, codec settings, XMP and C2PA container of each format, in Formats/), and the labelers (write side)
/// and inspectors (read side) every front end uses. A new format or kind plugs in here and nowhere else — not in the
/// CLI, not in the worker.
/// </summary>
public sealed class MediaCatalog
{
    /// <summary>Every format module, in the order sniffing tries them: the BMFF images (AVIF, HEIC) before MP4, whose
    /// signature is any 'ftyp'; MP4 before MP3, whose bare-frame signature is the loosest.</summary>
    public static IReadOnlyList<FormatModule> Formats { get; } =
    [
        new JpegModule(), new PngModule(), new WebpModule(), new WavModule(), new FlacModule(), new OggModule(),
        new MatroskaModule(), new AvifModule(), new HeicModule(), new Mp4Module(), new Mp3Module(),
    ];

    /// <summary>The formats of <see cref="Formats"/>, for extension and content-type checks.</summary>
    public static IReadOnlyList<MediaFormat> AllFormats { get; } = [.. Formats.Select(m => m.Format)];

    /// <summary>The module of a format (records compare by value, so a format from anywhere finds its module).</summary>
    public static FormatModule? ModuleFor(MediaFormat format) => Formats.FirstOrDefault(m => m.Format == format);

    /// <summary>The demuxer ffmpeg is forced to for <paramref name="format"/> (<see cref="FormatModule.FfmpegDemuxer"/>).</summary>
    public static string FfmpegDemuxer(MediaFormat format) => ModuleFor(format)?.FfmpegDemuxer
        ?? throw new Errors.LabelStampException(Errors.ErrorCode.UnsupportedFormat, $"{format.Name} is not read by ffmpeg");

    /// <summary>The muxer that writes <paramref name="format"/> (<see cref="FormatModule.FfmpegMuxer"/>).</summary>
    public static string FfmpegMuxer(MediaFormat format) => ModuleFor(format)?.FfmpegMuxer
        ?? throw new Errors.LabelStampException(Errors.ErrorCode.UnsupportedFormat, $"{format.Name} is not written by ffmpeg");

    /// <summary>The module of an audio or video container (<see cref="MediaContainerModule"/>).</summary>
    public static MediaContainerModule ContainerFor(MediaFormat format) => ModuleFor(format) as MediaContainerModule
        ?? throw new Errors.LabelStampException(Errors.ErrorCode.UnsupportedFormat, $"{format.Name} is not an audio or video container");

    /// <summary>The image module of a format, or null when it is not an image format.</summary>
    public static ImageFormatModule? ImageModuleFor(MediaFormat format) => ModuleFor(format) as ImageFormatModule;

    public MediaCatalog(ImageEncodeOptions? imageEncoding = null, VideoLabelOptions? video = null)
    {
        Renderer = new LabelRenderer();
        var imageMark = new ImageWatermark();
        var audio = new AudioLabeler();
        var videoLabeler = new VideoLabeler(Renderer, audio, video);
        var audioFile = new AudioFileInspector(audio, new AudioInspector());
        // Order matters where two claim a format: MP4 goes to the router (audio-only vs video) and Matroska
        // to the video labeler; on the read side the video inspector hands audio-only MP4 to the audio one.
        Labelers = [new ImageLabeler(imageEncoding, Renderer, imageMark), audio, new Mp4Router(new Mp4Kind(), audio, videoLabeler), videoLabeler];
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
