namespace LabelStamp.Robustness.Audio;

/// <summary>
/// The audio attack suites as data, shared by tests and the benchmark. <see cref="All"/> is the spec §5
/// suite (every attack read at the source rate). <see cref="Extended"/> adds the rate and codec cases a
/// verifier meets in the wild, each read at the rate the attacked file has: resampling to 48, 44.1, 32
/// and 16 kHz; Opus at 32/64/96 kbit/s (always 48 kHz); AAC 64k as a platform's 48 kHz transcode;
/// speed ±2 % (resampling speed change: tempo and pitch together); and a 5 s excerpt of each of those.
/// Names are stable (results files and reports key on them): "@48k" = read at 48 kHz.
/// </summary>
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

    /// <summary>The rate and codec attacks added to the spec §5 suite, each without and with a 5 s excerpt.</summary>
    public static IReadOnlyList<AudioAttack> RateAndCodec { get; } = WithExcerpts(
    [
        new("resample@48k", ResampleTo: 48_000, ReadAtNewRate: true),
        new("resample@44.1k", ResampleTo: 44_100, ReadAtNewRate: true),
        new("resample@32k", ResampleTo: 32_000, ReadAtNewRate: true),
        new("resample@16k", ResampleTo: 16_000, ReadAtNewRate: true),
        new("opus-32k@48k", Codec: "libopus", Kbps: 32, CodecRate: 48_000, ReadAtNewRate: true),
        new("opus-64k@48k", Codec: "libopus", Kbps: 64, CodecRate: 48_000, ReadAtNewRate: true),
        new("opus-96k@48k", Codec: "libopus", Kbps: 96, CodecRate: 48_000, ReadAtNewRate: true),
        new("aac-64k@48k", Codec: "aac", Kbps: 64, CodecRate: 48_000, ReadAtNewRate: true),
        new("speed+2%", SpeedPercent: 2),
        new("speed-2%", SpeedPercent: -2),
    ]);

    /// <summary>The spec §5 suite followed by <see cref="RateAndCodec"/> (32 attacks): the corpus bench's suite.</summary>
    public static IReadOnlyList<AudioAttack> Extended { get; } = [.. All, .. RateAndCodec];

    /// <summary>The attacks of <see cref="Extended"/> with these names, in the suite's order; an unknown
    /// name throws, listing the known ones.</summary>
    public static IReadOnlyList<AudioAttack> Named(IEnumerable<string> names)
    {
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Where(n => !Extended.Any(a => a.Name == n)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown audio attack(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Extended.Select(a => a.Name))}");
        return Extended.Where(a => wanted.Contains(a.Name)).ToList();
    }

    private static AudioAttack[] WithExcerpts(AudioAttack[] attacks) =>
        [.. attacks, .. attacks.Select(a => a with { Name = "excerpt-5s-" + a.Name, ExcerptSeconds = 5 })];
}
