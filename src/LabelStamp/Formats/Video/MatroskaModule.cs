using LabelStamp.Media;
using LabelStamp.Media.Ffmpeg;

namespace LabelStamp.Formats.Video;

/// <summary>Matroska and WebM: the EBML magic; the AIGC record a Tags/SimpleTag. No C2PA embedding is defined for it.</summary>
public sealed class MatroskaModule : MediaContainerModule
{
    public override MediaFormat Format => MediaFormat.Matroska;

    public override string DisplayName => "WebM/MKV";

    public override bool Matches(ReadOnlySpan<byte> b) => b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]);

    public override IReadOnlyList<string> ContentTypeAliases => ["audio/webm", "video/x-matroska", "audio/x-matroska"];

    public override string FfmpegDemuxer => "matroska";

    public override string FfmpegMuxer => "matroska";

    public override string AigcLocation => "Matroska Tags/SimpleTag AIGC";

    public override string WorkspaceExtension => ".mkv";

    /// <summary>The muxer writes a random segment UID and the date of writing unless told to be bit-exact, which would
    /// make a replayed stamp differ from the first (spec §7: outputs are a function of the input).</summary>
    public override void AddOutputOptions(FfmpegCommand output, string? aigcJson, MediaKind content)
    {
        base.AddOutputOptions(output, aigcJson, content);
        output.Add("-fflags", "+bitexact");
    }

    /// <summary>WebM inputs are written by the "webm" muxer, which enforces WebM's codec subset.</summary>
    public override string MuxerFor(ReadOnlySpan<byte> head) => IsWebMDocType(head) ? "webm" : FfmpegMuxer;

    /// <summary>The EBML header's DocType (element 0x4282) says "webm" or "matroska"; it sits in the first bytes.</summary>
    public static bool IsWebMDocType(ReadOnlySpan<byte> head)
    {
        var h = head[..Math.Min(head.Length, 64)];
        int i = h.IndexOf((ReadOnlySpan<byte>)[0x42, 0x82]);
        return i >= 0 && h[(i + 2)..].IndexOf("webm"u8) is >= 0 and <= 2;
    }
}
