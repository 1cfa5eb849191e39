namespace LabelStamp.Media.Ffmpeg;

/// <summary>
/// Where ffmpeg and ffprobe live, and the one way to start them: every child is a <see cref="ToolProcess"/>
/// (argument list, timeout, tree kill, <see cref="ChildReaper"/> backstop). Arguments come from
/// <see cref="FfmpegCommand"/>, which applies the hardening of spec §10.
/// </summary>
public sealed class ToolRunner
{
    public ToolRunner(string ffmpegPath = "/usr/bin/ffmpeg", string ffprobePath = "/usr/bin/ffprobe")
    {
        FfmpegPath = ffmpegPath;
        FfprobePath = ffprobePath;
    }

    public string FfmpegPath { get; }
    public string FfprobePath { get; }

    /// <summary>Starts ffmpeg with redirected pipes; the caller owns (and disposes) the scope.</summary>
    public ToolProcess StartFfmpeg(FfmpegCommand command, string what, string name, string? workingDirectory = null) =>
        ToolProcess.Start(FfmpegPath, command.Arguments, what, name, workingDirectory);

    /// <summary>Runs a tool to completion feeding nothing on stdin and returns standard output as text.</summary>
    public Task<string> RunForTextAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string what, string name, CancellationToken cancellationToken) =>
        ToolProcess.RunToEndAsync(tool, arguments, timeout, what, name, cancellationToken);

    /// <summary>Runs ffmpeg to completion (outputs are files named in the command).</summary>
    public Task RunFfmpegAsync(FfmpegCommand command, TimeSpan timeout, string what, string name, CancellationToken cancellationToken) =>
        RunForTextAsync(FfmpegPath, command.Arguments, timeout, what, name, cancellationToken);

    /// <summary>Runs ffprobe and returns its report (JSON when the command asks for it).</summary>
    public Task<string> RunFfprobeAsync(FfmpegCommand command, TimeSpan timeout, string name, CancellationToken cancellationToken) =>
        RunForTextAsync(FfprobePath, command.Arguments, timeout, "ffprobe", name, cancellationToken);
}
