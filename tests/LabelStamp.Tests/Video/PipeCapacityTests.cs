using System.Diagnostics;
using LabelStamp.Media.Video;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Tests.Video;

/// <summary>The frame pipes really are grown to 1 MiB on Linux (else every raw frame costs ≈ 22
/// wake-ups per pipe), and a stream that is not a pipe is left alone.</summary>
public class PipeCapacityTests
{
    [Fact]
    public void A_child_process_pipe_grows_to_one_mebibyte_and_a_file_is_refused()
    {
        Assert.True(OperatingSystem.IsLinux(), "the video adapter targets Linux (ffmpeg from Debian)");
        var info = new ProcessStartInfo("cat") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        try
        {
            Assert.True(PipeCapacity.TryGrow(p.StandardInput.BaseStream));
            Assert.True(PipeCapacity.TryGrow(p.StandardOutput.BaseStream));
            using var file = new MemoryStream();
            Assert.False(PipeCapacity.TryGrow(file));
        }
        finally
        {
            p.StandardInput.Close();
            p.WaitForExit();
        }
    }
}
