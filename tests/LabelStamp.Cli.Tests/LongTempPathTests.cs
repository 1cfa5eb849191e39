using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// A video's labeled audio reaches the encoder through a Unix socket in the item's workspace, and a
/// socket path holds at most 107 bytes. CI runners and containers often set TMPDIR deep inside a
/// checkout or a mount; a video with an audio track must still stamp there, and verify.
/// </summary>
public sealed class LongTempPathTests
{
    [Fact]
    public void A_video_with_audio_stamps_and_verifies_under_a_temp_directory_longer_than_a_socket_path()
    {
        string dir = RepoPaths.NewTempDir();
        string tmp = Path.Combine(dir, "a-temp-directory-whose-path-alone-is-longer-than-the-kernel-allows-for-a-unix-socket-path-" + new string('x', 40));
        Directory.CreateDirectory(tmp);
        Assert.True(tmp.Length > 140, tmp);
        string output = Path.Combine(dir, "out");

        var env = new Dictionary<string, string>(CliRun.Env) { ["TMPDIR"] = tmp };
        var (code, stdout, stderr) = CliRun.RunWith(env, "stamp", "-o", output, RepoPaths.Samples("video", "pan-zoom.mp4"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("[explicit,metadata,watermark,c2pa]", stdout);

        var (verified, report, _) = CliRun.RunWith(env, "verify", "--json", Path.Combine(output, "pan-zoom.mp4"));
        Assert.Equal(0, verified);
        Assert.Contains("\"audio\": \"found ", report); // the audio track carries the mark, so it went through the socket
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
    }
}
