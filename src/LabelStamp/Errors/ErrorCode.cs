namespace LabelStamp.Errors;

/// <summary>
/// Stable error codes, printed as <c>LS</c> + number (e.g. LS106). Numbers never change meaning;
/// new failures get new numbers. Hundreds group the concern.
/// </summary>
public enum ErrorCode
{
    // 1xx: the input itself
    EmptyInput = 100,
    TruncatedInput = 101,
    CorruptInput = 102,
    UnsupportedFormat = 103,
    FormatMismatch = 104,
    InputTooLarge = 105,
    TooManyPixels = 106,
    DurationTooLong = 107,
    HostileInput = 108,
    UnsupportedPixelFormat = 109,
    TooManyFrames = 110,
    /// <summary>A device, FIFO, socket or directory where a regular file was expected: refused before opening it for reading.</summary>
    NotRegularFile = 111,
    /// <summary>The item did not finish within its deadline (size/duration based, with a floor and a cap); its processes were killed.</summary>
    DeadlineExceeded = 112,
    /// <summary>Audio parameters outside what the audio path supports (sample rate, channels), read from the header before any decode.</summary>
    AudioParametersOutOfRange = 113,

    // 2xx: the label and its policy
    InvalidWording = 200,
    InvalidAigcField = 201,
    FontNotFound = 202,
    FontMissingGlyphs = 203,
    MissingProducer = 204,
    InvalidPolicy = 205,
    LabelDoesNotFit = 206,
    InvalidVoiceClip = 207,
    /// <summary>Platform mode found a label it cannot keep as it is (e.g. an unreadable AIGC record).</summary>
    PropagationRefused = 210,
    /// <summary>Provider mode met an item that already carries an AIGC record saying Label "1": stamping
    /// again would replace the first producer's record. Allowed only when asked (<see cref="Labels.LabelPolicy.Restamp"/>).</summary>
    AlreadyLabeled = 211,

    // 3xx: keys
    KeyMissing = 300,
    KeyInvalid = 301,

    // 4xx: metadata and containers
    MetadataTooLarge = 400,
    // 401 was "container corrupt", never thrown (a broken container is LS102 CorruptInput); retired, not to be reused.
    /// <summary>Metadata nested deeper or holding more elements than the configured bound (XMP, CBOR).</summary>
    MetadataTooComplex = 402,

    // 5xx: external tools (ffmpeg, …)
    ToolMissing = 500,
    ToolFailed = 501,
    ToolTimeout = 502,

    // 6xx: provenance (C2PA)
    SigningFailed = 600,
    CertificateInvalid = 601,
    ManifestInvalid = 602,
    /// <summary>A C2PA store over the configured bounds (bytes, manifests, assertions, ingredients).</summary>
    ManifestTooLarge = 603,

    // 7xx: worker, store and transport
    StoreFailed = 700,
    ReferenceNotAllowed = 701,
    ReferenceFetchFailed = 702,
    ContractViolation = 703,

    // 9xx: files and everything else
    FileNotFound = 900,
    OutputConflict = 901,
    IoFailed = 902,
    InvalidArgument = 903,
    /// <summary>A file name or path longer than the file system allows for the output or its temporary file.</summary>
    PathTooLong = 904,
    /// <summary>A symbolic link that is not followed: out of the input tree, a directory (cycles), or inside a store.</summary>
    SymlinkRefused = 905,
    Internal = 999,
}
