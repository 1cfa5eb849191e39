namespace LabelStamp.Robustness.Audio;

/// <summary>The spec §5 audio attack suite, as data shared by tests and the benchmark.</summary>
public static class AudioAttackSuite
{
    public static IReadOnlyList<AudioAttack> All { get; } =
    [
        new("none"),
        new("mp3-128k", Codec: "libmp3lame", Kbps: 128),
        new("mp3-64k", Codec: "libmp3lame", Kbps: 64),
        new("aac-128k", Codec: "aac", Kbps: 128),
        new("aac-64k", Codec: "aac", Kbps: 64),
        new("opus-64k", Codec: "libopus", Kbps: 64),
        new("resample-22.05k", ResampleTo: 22_050),
        new("volume+6dB", GainDb: 6),
        new("volume-6dB", GainDb: -6),
        new("excerpt-10s", ExcerptSeconds: 10),
        new("excerpt-5s", ExcerptSeconds: 5),
        new("excerpt-5s-opus-64k", Codec: "libopus", Kbps: 64, ExcerptSeconds: 5),
    ];
}
