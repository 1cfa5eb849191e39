using System.Globalization;

namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// The argument list of one ffmpeg or ffprobe call, built so that the hardening of spec §10 cannot be
/// forgotten at a call site: the tool never reads the terminal (<c>-nostdin</c>) and logs errors only;
/// every input names its protocol whitelist (ffmpeg scopes <c>-protocol_whitelist</c> to the next input,
/// so it travels with each one) and its demuxer, forced from the sniffed bytes rather than guessed from a
/// name or content (an HLS playlist named .mp4 is then refused); workspace files are opened with the
/// <c>file:</c> prefix (a name can never be read as a URL) and ISO BMFF inputs with <c>-enable_drefs 0</c>
/// (no data reference may point at another file). Outputs are workspace files with a forced muxer.
/// Process-level limits (wall-clock timeout, tree kill) are <see cref="ToolProcess"/>'s.
/// </summary>
public sealed class FfmpegCommand
{
    private readonly List<string> _arguments;

    private FfmpegCommand(params string[] head) => _arguments = [.. head];

    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>An ffmpeg call: no terminal input, no banner, errors only.</summary>
    public static FfmpegCommand Ffmpeg() => new("-nostdin", "-hide_banner", "-v", "error");

    /// <summary>An ffprobe call (which never reads standard input): no banner, errors only.</summary>
    public static FfmpegCommand Ffprobe() => new("-v", "error", "-hide_banner");

    /// <summary>A file in a private workspace (or a regular file the caller has checked), read with
    /// <paramref name="demuxer"/> forced; the <c>file</c> protocol only; ISO BMFF (the <c>mov</c> demuxer)
    /// without data references. <paramref name="demuxer"/> null lets ffmpeg probe the content, for
    /// inputs that are not media under test (a provider's voice clip, checked as a regular file).</summary>
    public FfmpegCommand FileInput(string? demuxer, string path)
    {
        _arguments.AddRange(["-protocol_whitelist", "file"]);
        if (demuxer is not null) _arguments.AddRange(["-f", demuxer]);
        if (demuxer == "mov") _arguments.AddRange(["-enable_drefs", "0"]);
        _arguments.AddRange(["-i", "file:" + Path.GetFullPath(path)]);
        return this;
    }

    /// <summary>Interleaved f32le samples from our pipe (<c>pipe:0</c>, protocol <c>pipe</c>) or a unix
    /// socket we listen on (protocol <c>unix</c>).</summary>
    public FfmpegCommand SampleInput(string url, int sampleRate, int channels)
    {
        string protocol = url.StartsWith("unix:", StringComparison.Ordinal) ? "unix" : "pipe";
        _arguments.AddRange(["-protocol_whitelist", protocol, "-f", "f32le", "-ar", Invariant(sampleRate), "-ac", Invariant(channels), "-i", url]);
        return this;
    }

    /// <summary>Raw 4:2:0 frames (<paramref name="pixelFormat"/>: yuv420p, or yuvj420p for full range) on standard input.</summary>
    public FfmpegCommand FrameInput(int width, int height, string frameRate, string pixelFormat = "yuv420p")
    {
        _arguments.AddRange(["-protocol_whitelist", "pipe", "-f", "rawvideo", "-pix_fmt", pixelFormat,
            "-s", Invariant(width) + "x" + Invariant(height), "-framerate", frameRate, "-i", "pipe:0"]);
        return this;
    }

    /// <summary>Options between the inputs and the output (maps, codecs, metadata).</summary>
    public FfmpegCommand Add(params IEnumerable<string> arguments)
    {
        _arguments.AddRange(arguments);
        return this;
    }

    /// <summary>A workspace file written with <paramref name="muxer"/> forced, replacing what is there.</summary>
    public FfmpegCommand FileOutput(string muxer, string path)
    {
        _arguments.AddRange(["-f", muxer, "-y", "file:" + path]);
        return this;
    }

    /// <summary>Interleaved f32le samples of the first audio stream on standard output, at the given
    /// rate and channel count (the decode side of every sample pipeline).</summary>
    public FfmpegCommand SampleOutput(int sampleRate, int channels)
    {
        _arguments.AddRange(["-map", "0:a:0", "-vn", "-sn", "-dn", "-f", "f32le", "-c:a", "pcm_f32le",
            "-ar", Invariant(sampleRate), "-ac", Invariant(channels), "pipe:1"]);
        return this;
    }

    public override string ToString() => string.Join(' ', _arguments);

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
