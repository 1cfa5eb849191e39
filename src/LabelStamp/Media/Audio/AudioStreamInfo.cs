namespace LabelStamp.Media.Audio;

/// <summary>What ffprobe says about a file's first audio stream (and whether it also holds video).</summary>
public sealed record AudioStreamInfo(
    string Codec,
    int SampleRate,
    int Channels,
    TimeSpan Duration,
    long BitRate,
    string SampleFormat,
    int BitsPerSample,
    bool HasVideo,
    IReadOnlyDictionary<string, string> Tags);
