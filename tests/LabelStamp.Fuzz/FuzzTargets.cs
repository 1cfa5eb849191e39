using System.Text;
using LabelStamp.Formats.Heif;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Errors;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Audio.Flac;
using LabelStamp.Media.Audio.Headers;
using LabelStamp.Media.Images;
using LabelStamp.Metadata.Containers;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Marks.Image;
using LabelStamp.Provenance;
using LabelStamp.Verification;

namespace LabelStamp.Fuzz;

/// <summary>
/// Every parser of untrusted bytes we wrote, called the way the product calls it (stamp reads headers,
/// XMP and a prior manifest before anything is decoded; verify reads every metadata layer). Decoders we
/// did not write (libvips, ffmpeg) are out of scope: they run on bytes our sniffer and header checks
/// have already accepted, under the process limits of docs/security.md.
/// </summary>
public static class FuzzTargets
{
    private const string Name = "fuzz-input";

    // The claim bytes a COSE_Sign1 input is checked against: fixed, since the fuzzed part is the signature
    // structure; a real claim's bytes would only change which signatures match, not what is parsed.
    private static readonly byte[] CoseClaim = "claim"u8.ToArray();
    private static readonly Lazy<MetadataLimits> CoseLimits = new(() => new());

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("sniff", "MediaSniffer: format from the first bytes, hostile text refused",
            data => MediaSniffer.Sniff(data, Name)),
        new("jpeg", "JPEG segments, SOF/quantisation header, XMP (APP1) and extended XMP",
            data => Image(data, MediaFormat.Jpeg, () => JpegFile.Parse(data, Name))),
        new("png", "PNG chunks (with and without CRC checks), IHDR, iTXt XMP",
            data => Image(data, MediaFormat.Png, () => PngFile.Parse(data, Name, verifyCrc: false))),
        new("webp", "RIFF chunks, VP8/VP8L/VP8X canvas, the WebP XMP chunk",
            data => Image(data, MediaFormat.WebP, () => WebpCanvas.Size(RiffFile.Parse(data, Name), Name))),
        new("wav", "RIFF/WAVE header check (fmt, data, limits) before ffmpeg sees the file",
            data => WavHeaderCheck.Check(data, new MediaLimits(), Name)),
        new("bmff", "ISO BMFF boxes through BmffReader (32/64-bit and to-the-end sizes, nesting and sibling bounds): every container's children, track handlers and sample formats, the iTunes item list",
            data => { WalkBoxes(data); Mp4Tracks.Read(data); Mp4ItemList.FindItem(data, "covr"); }),
        new("heif", "HEIF/AVIF image header: ftyp brands, the ispe sizes under meta/iprp/ipco",
            data => { HeifBrands.Lists(data, ["avif", "heic", "mif1"]); HeifImageSize.Read(data, Name); }),
        new("jumbf", "JUMBF superboxes and description boxes of a manifest store",
            data => JumbfBox.Parse(data, Name)),
        new("cbor", "CBOR claim, assertion and COSE header trees",
            data => CborTree.Decode(data, Name)),
        new("c2pa", "a whole file's manifest store: container extraction (JPEG APP11, PNG caBX, RIFF C2PA, ID3 GEOB, BMFF uuid), claim, COSE_Sign1, hashed URIs, hard bindings",
            data => C2paReader.Read(data, Name)),
        new("cose", "a COSE_Sign1 claim signature alone: the protected and unprotected header trees, x5chain certificates, the algorithm switch, timestamp headers",
            data => ClaimSigner.Verify(data, CoseClaim, CoseLimits.Value)),
        new("audio", "the in-process audio headers stamp reads instead of ffprobe (MP3 with its ID3v2 tag and Xing/Info/VBRI frame, FLAC blocks and the metadata blocks a FLAC stamp carries (comments, pictures), Ogg pages, M4A boxes, Vorbis comments) and the ID3v2 tag walk of the C2PA GEOB container",
            data => Each(
                () => Mp3Header.TryRead(data, Name),
                () => FlacHeader.TryRead(data, Name),
                () => FlacStampHead(data),
                () => OggHeader.TryRead(data, Name),
                () => M4aHeader.TryRead(data, Name),
                () => new Id3ManifestContainer().Extract(data, Name))),
        new("audio-decode", "the in-process audio decoders a stamp runs instead of an ffmpeg decode: our Ogg page reader with the Opus decoder (Concentus), MP3 (NLayer) with the gapless trim, FLAC; behind the header reader and the limits, as the stamp calls them",
            DecodeAudio),
        new("xmp", "an XMP packet: TC260 AIGC and IPTC DigitalSourceType properties",
            data => XmpPacket.Read(Encoding.UTF8.GetString(data), name: Name)),
        new("aigc", "the GB 45438 AIGC JSON record",
            data => AigcLabel.Parse(Encoding.UTF8.GetString(data))),
        new("image-verify", "verify of a JPEG/PNG/WebP end to end in process: sniffing, limits, libvips decoding, the visible-label and watermark detectors, every metadata layer",
            VerifyImage),
    ];

    // Made on first use, inside Fuzzer.Run: constructors of the instrumented LabelStamp.dll write to
    // afl-fuzz's coverage map, which does not exist before Fuzzer.Run sets it up. Built eagerly here
    // (with the list), they faulted the fork server before its first input, for every target.
    private static readonly Lazy<Verifier> ImageVerifier = new(() => new([new ImageInspector(watermarker: new ImageWatermark())]));
    private static readonly Lazy<VerifyOptions> ImageVerifyOptions = new(() => new() { Key = MarkKey.FromBytes(new byte[32]) });

    /// <summary>The verifier turns typed errors into a report; an LS999 report is a finding like an escaped exception.</summary>
    private static void VerifyImage(byte[] data)
    {
        var report = ImageVerifier.Value.VerifyAsync(data, Name, ImageVerifyOptions.Value).GetAwaiter().GetResult();
        if (report.ErrorCode == "LS999") throw new InvalidOperationException("LS999 report: " + report.Error);
    }

    /// <summary>Streams longer than this are not decoded here: the limits allow hours, and a fuzz input
    /// that declares them would spend the run's time on one input rather than on new paths. Short, too,
    /// because afl-fuzz's 5 s timeout kills the whole persistent harness process, and with it the fork
    /// server: the instrumented decoders on a loaded machine took that long for 20 s streams.</summary>
    private static readonly TimeSpan MaxFuzzedDuration = TimeSpan.FromSeconds(4);

    /// <summary>What a stamp does with an MP3, FLAC or Ogg file before its samples reach the mark: sniff,
    /// read the headers, check the limits, then decode every block in process.</summary>
    private static void DecodeAudio(byte[] data)
    {
        var format = MediaSniffer.Sniff(data, Name);
        if (AudioHeader.TryRead(data, format, Name) is not { } info) return;
        var limits = new MediaLimits();
        limits.CheckAudio(info.SampleRate, info.Channels, Name);
        limits.CheckDuration(info.Duration, Name);
        if (info.Duration > MaxFuzzedDuration || InProcessDecoder.Open(format, info, data, Name) is not { } decoder) return;
        float[] block = [];
        while (decoder.Next(ref block) > 0) { }
    }

    /// <summary>What a FLAC stamp does with the input's metadata blocks: read them, then compose the output's
    /// (the comment list re-read and rewritten with the AIGC entry, the other blocks copied).</summary>
    private static void FlacStampHead(byte[] data)
    {
        var metadata = FlacMetadata.Read(data, Name);
        metadata.Compose(data, metadata.StreamInfoBlock.Body(data), "{}", "fuzz");
    }

    /// <summary>Runs every reader on the same input: one reader's typed refusal must not hide the bytes
    /// from the next (an MP3 tag that the FLAC reader refuses is still an MP3 tag), so each answers alone.</summary>
    private static void Each(params Action[] readers)
    {
        foreach (var read in readers)
        {
            try { read(); }
            catch (LabelStampException e) when (e.Code != ErrorCode.Internal) { }
        }
    }

    /// <summary>Every box of the file the way the C2PA writer reads moov: top level, then each container's children.</summary>
    private static void WalkBoxes(byte[] data)
    {
        void Children(BmffBox parent, int depth)
        {
            foreach (var box in BmffReader.ReadChildren(data, parent, depth, Name))
                if (BmffReader.IsContainer(box.Type)) Children(box, depth + 1);
        }
        foreach (var box in BmffReader.Read(data, Name))
            if (BmffReader.IsContainer(box.Type)) Children(box, 1);
    }

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>What stamp and verify read from an image before decoding it: the container, the header
    /// (pixel-bomb check, encoder settings) and the XMP packet with its fields.</summary>
    private static void Image(byte[] data, MediaFormat format, Action container)
    {
        container();
        ImageHeader.Read(data, format, Name);
        if (ImageXmp.Read(data, format, Name) is { } xmp) XmpPacket.Read(xmp, name: Name);
    }
}
