using System.Diagnostics;
using System.Globalization;

namespace LabelStamp.Benchmarks;

/// <summary>
/// A file's video stream split into key frames and the rest (inter frames), in bytes, from ffprobe's packets of the
/// first video stream (<c>flags</c>: K = key frame; <c>size</c>): what the file stores. The decoded frames' own figures
/// are kept beside it as the run's check on the split: their key frames and the sum of their <c>pkt_size</c> must equal
/// the packets', and their I-frame count shows where an encoder wrote intra frames it did not flag as key frames
/// (x264's scene cuts closer than its minimum key interval; x265's intra refresh).
/// </summary>
public readonly record struct VideoFrameSizes(int KeyFrames, long KeyBytes, int InterFrames, long InterBytes)
{
    /// <summary>The decoder's view (-1 when not decoded): frames with key_frame=1, frames with pict_type I, and the sum of
    /// the frames' pkt_size.</summary>
    public (int KeyFrames, int IntraFrames, long Bytes) Decoded { get; init; } = (-1, -1, -1);

    public long Bytes => KeyBytes + InterBytes;

    public int Frames => KeyFrames + InterFrames;

    /// <summary>Packets of the first video stream, with the decoder's view when <paramref name="decode"/>.</summary>
    public static VideoFrameSizes Probe(string path, bool decode = true)
    {
        var sizes = ParsePackets(Ffprobe(path, "packet=flags,size"));
        return decode ? sizes with { Decoded = ParseFrames(Ffprobe(path, "frame=key_frame,pict_type,pkt_size")) } : sizes;
    }

    /// <summary>
    /// ffprobe's <c>-show_entries packet=flags,size -of compact=p=0:nk=0</c> lines (<c>size=1234|flags=K__</c>, in any field
    /// order). A packet without a size is an error rather than a packet of zero bytes, so a missing figure cannot shrink a split.
    /// </summary>
    public static VideoFrameSizes ParsePackets(IEnumerable<string> lines)
    {
        int keys = 0, inters = 0;
        long keyBytes = 0, interBytes = 0;
        foreach (string line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? flags = null, size = null;
            foreach (string field in line.Split('|'))
            {
                int eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0) continue;
                string name = field[..eq], value = field[(eq + 1)..];
                if (name == "flags") flags = value;
                else if (name == "size") size = value;
            }
            if (size is null || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
                throw new FormatException($"packet without a size: '{line}'");
            if (flags is null) throw new FormatException($"packet without flags: '{line}'");
            if (flags.StartsWith('K'))
            {
                keys++;
                keyBytes += bytes;
            }
            else
            {
                inters++;
                interBytes += bytes;
            }
        }
        return new(keys, keyBytes, inters, interBytes);
    }

    /// <summary>ffprobe's <c>-show_entries frame=key_frame,pict_type,pkt_size</c> lines: key frames, I frames (key or not)
    /// and the sum of the frames' packet sizes.</summary>
    public static (int KeyFrames, int IntraFrames, long Bytes) ParseFrames(IEnumerable<string> lines)
    {
        int keys = 0, intra = 0;
        long bytes = 0;
        foreach (string line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            long? size = null;
            foreach (string field in line.Split('|'))
            {
                if (field == "key_frame=1") keys++;
                else if (field == "pict_type=I") intra++;
                else if (field.StartsWith("pkt_size=", StringComparison.Ordinal))
                    size = long.TryParse(field.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out long b) ? b : null;
            }
            bytes += size ?? throw new FormatException($"frame without a packet size: '{line}'");
        }
        return (keys, intra, bytes);
    }

    private static List<string> Ffprobe(string path, string entries)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", entries, "-of", "compact=p=0:nk=0", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (p.StandardOutput.ReadLine() is { } l) lines.Add(l);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffprobe failed on {path}: {err.Result}");
        return lines;
    }
}
