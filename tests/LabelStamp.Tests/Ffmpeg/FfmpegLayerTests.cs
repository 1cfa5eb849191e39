using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Media.Audio;
using LabelStamp.Media.Ffmpeg;
using LabelStamp.Tests.Audio;

namespace LabelStamp.Tests.Ffmpeg;

/// <summary>The one ffmpeg layer: hardening that no call site can leave out, a process scope that reaps
/// its child on every path, and a pipeline whose errors name the process that failed.</summary>
public class FfmpegLayerTests
{
    [Fact]
    public void Every_file_input_is_whitelisted_forced_and_prefixed()
    {
        var c = FfmpegCommand.Ffmpeg().FileInput("mov", "/tmp/ws/input.m4a").SampleOutput(44100, 2);
        var a = c.Arguments.ToList();
        Assert.Equal(["-nostdin", "-hide_banner", "-v", "error"], a.Take(4));
        int i = a.IndexOf("-i");
        Assert.Equal(["-protocol_whitelist", "file", "-f", "mov", "-enable_drefs", "0", "-i", "file:/tmp/ws/input.m4a"], a.Skip(4).Take(i - 4 + 2));
        Assert.Equal("pipe:1", a[^1]);
    }

    [Fact]
    public void Non_bmff_inputs_carry_no_data_reference_switch_and_each_input_names_its_protocol()
    {
        var a = FfmpegCommand.Ffmpeg().SampleInput("pipe:0", 48000, 1).FileInput("flac", "/w/in.flac").SampleInput("unix:audio.sock", 48000, 1)
            .FileOutput("flac", "/w/out.flac").Arguments.ToList();
        Assert.DoesNotContain("-enable_drefs", a);
        // ffmpeg scopes the whitelist to the next input: one per input, right before it.
        var whitelists = a.Select((x, k) => (x, k)).Where(p => p.x == "-protocol_whitelist").Select(p => a[p.k + 1]).ToList();
        Assert.Equal(["pipe", "file", "unix"], whitelists);
        Assert.Equal(3, a.Count(x => x == "-i"));
        Assert.Equal(["-f", "flac", "-y", "file:/w/out.flac"], a.TakeLast(4));
    }

    [Fact]
    public void Ffprobe_commands_are_quiet_and_hardened_too()
    {
        var a = FfmpegCommand.Ffprobe().FileInput("wav", "/w/in.wav").Arguments;
        Assert.Equal(["-v", "error", "-hide_banner", "-protocol_whitelist", "file", "-f", "wav", "-i", "file:/w/in.wav"], a);
    }

    [Fact]
    public async Task A_missing_tool_is_a_typed_error()
    {
        var e = await Assert.ThrowsAsync<LabelStampException>(() =>
            ToolProcess.RunToEndAsync("/nonexistent/ffmpeg", ["-version"], TimeSpan.FromSeconds(5), "ffmpeg probe", "x", default));
        Assert.Equal(ErrorCode.ToolMissing, e.Code);
    }

    [Fact]
    public async Task A_process_past_its_timeout_is_killed()
    {
        using var p = ToolProcess.Start("/bin/sleep", ["30"], "sleeper", "x");
        var e = await Assert.ThrowsAsync<LabelStampException>(() => p.WaitAsync(TimeSpan.FromMilliseconds(300), default));
        Assert.Equal(ErrorCode.ToolTimeout, e.Code);
        Assert.Equal("x: sleeper did not finish within 0.3 s and was stopped", e.Message);
        Assert.True(p.HasExited);
    }

    [Fact]
    public async Task Disposing_the_scope_kills_a_running_child()
    {
        var p = ToolProcess.Start("/bin/sleep", ["30"], "sleeper", "x");
        int id = p.Id;
        Assert.True(Directory.Exists($"/proc/{id}"));
        p.Dispose();
        // Killed and reaped by the runtime: no process, not even a zombie, is left under that id.
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{id}"); i++) await Task.Delay(20);
        Assert.False(Directory.Exists($"/proc/{id}"));
    }

    [Fact]
    public async Task A_failing_tool_reports_its_own_first_line_of_standard_error()
    {
        var e = await Assert.ThrowsAsync<LabelStampException>(() =>
            ToolProcess.RunToEndAsync("/bin/sh", ["-c", "echo 'it broke here' >&2; exit 3"], TimeSpan.FromSeconds(10), "shell step", "x", default));
        Assert.Equal(ErrorCode.ToolFailed, e.Code);
        Assert.Equal("x: shell step failed (exit 3): it broke here", e.Message);
    }

    /// <summary>FLAC in MP4 decodes fine, but Debian's ffmpeg 5.1 refuses to mux it without
    /// -strict -2: the encoder fails, and the error must say so instead of the killed decoder's exit.</summary>
    [Fact]
    public async Task An_encoder_failure_is_reported_as_the_encoders_not_the_decoders()
    {
        byte[] m4a = AudioFixtures.Convert(AudioFixtures.Speech, ".m4a", ["-c:a", "flac", "-strict", "-2", "-f", "mp4"], seconds: 4);
        var e = await Assert.ThrowsAsync<LabelStampException>(() =>
            new AudioLabeler().LabelAsync(m4a, AudioFixtures.Context(MediaFormat.Mp4, "flac-in-mp4"), default));
        Assert.Equal(ErrorCode.ToolFailed, e.Code);
        Assert.Contains("ffmpeg audio encode failed", e.Message);
        Assert.Contains("experimental", e.Message);
    }
}
