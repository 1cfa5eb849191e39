using LabelStamp.Labels;
using LabelStamp.Marks.Audio;

namespace LabelStamp.Media.Audio;

/// <summary>
/// What <c>labelstamp verify</c> finds in one audio file, per layer: the AIGC label and where it was
/// (RIFF chunk, ID3 TXXX, MP4 key, Vorbis comment), the rhythm prompt (or the provider's voice clip) and
/// where (seconds from the start),
/// and the watermark (null when not found or no key was given; a found mark passed CRC-32 and the
/// ≤ 1e-9 false-positive bound).
/// </summary>
public sealed record AudioReport(
    string Name,
    MediaFormat Format,
    AudioStreamInfo Stream,
    string? AigcJson,
    AigcLabel? Aigc,
    string? AigcLocation,
    double? RhythmAtStartSeconds,
    double? RhythmAtEndSeconds,
    AudioMarkDetection? Watermark,
    string? KeyId)
{
    /// <summary>Where the provider's voice clip was found (seconds), when verify was given the clip.</summary>
    public double? VoiceClipAtStartSeconds { get; init; }
    public double? VoiceClipAtEndSeconds { get; init; }

    /// <summary>Normalised correlation of the best voice-clip match (0 when not searched).</summary>
    public double VoiceClipCorrelation { get; init; }

    /// <summary>Any AI-generated label found (verify's exit code 0).</summary>
    public bool AnyLabelFound => Aigc is not null || RhythmAtStartSeconds is not null || RhythmAtEndSeconds is not null || Watermark is not null
        || VoiceClipAtStartSeconds is not null || VoiceClipAtEndSeconds is not null;

    /// <summary>True when the mark's key nibble matches the key it was searched with.</summary>
    public bool KeyNibbleMatches => Watermark is not null && KeyId is not null
        && Watermark.Payload.KeyNibble == (Convert.FromHexString(KeyId)[0] & 0x0F);
}
