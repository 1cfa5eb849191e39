using System.Diagnostics;
using System.Globalization;

namespace LabelStamp.Benchmarks;

/// <summary>
/// A clip's luma frames for the bench's video traces: ffprobe for the size, ffmpeg decoding to raw <c>gray</c> on a pipe.
/// Bench code on our own corpus clips (the product reads hostile files through its hardened runner, never this).
/// </summary>
public static class GrayFrames
{
    /// <summary>The first video stream's width and height.</summary>
    public static (int W, int H) Size(string clip)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", clip }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string[] wh = p.StandardOutput.ReadToEnd().Trim().Split(',');
        p.WaitForExit();
        return (int.Parse(wh[0], CultureInfo.InvariantCulture), int.Parse(wh[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The first <paramref name="seconds"/> of the clip, one <paramref name="w"/> × <paramref name="h"/> frame at a
    /// time through <paramref name="filter"/> (when given, frame rate passed through); the same buffer is yielded every time.</summary>
    public static IEnumerable<byte[]> Read(string clip, int w, int h, double seconds, string? filter = null)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-i", clip, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-map", "0:v:0" })
            psi.ArgumentList.Add(a);
        if (filter is not null)
            foreach (string a in new[] { "-vf", filter, "-fps_mode", "passthrough" }) psi.ArgumentList.Add(a);
        foreach (string a in new[] { "-f", "rawvideo", "-pix_fmt", "gray", "-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var src = p.StandardOutput.BaseStream;
        byte[] buf = new byte[w * h];
        while (true)
        {
            int got = 0;
            while (got < buf.Length) { int r = src.Read(buf, got, buf.Length - got); if (r == 0) break; got += r; }
            if (got < buf.Length) break;
            yield return buf;
        }
        p.WaitForExit();
    }
}
