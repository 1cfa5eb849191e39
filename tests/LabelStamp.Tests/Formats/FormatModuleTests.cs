using LabelStamp.Formats;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Tests.Formats;

public sealed class FormatModuleTests
{
    [Fact]
    public void EveryFormatFfmpegReadsNamesItsDemuxerAndMuxer_AndImagesNameNone()
    {
        // ffmpeg is always forced to the demuxer of the sniffed format (spec §10); the name lives in the module.
        foreach (FormatModule m in MediaCatalog.Formats.Where(m => m.Supported))
        {
            bool ffmpegFormat = m is not ImageFormatModule;
            Assert.True(ffmpegFormat == m.FfmpegDemuxer is not null, $"{m.Format.Name}: demuxer {m.FfmpegDemuxer ?? "none"}");
            Assert.True(ffmpegFormat == m.FfmpegMuxer is not null, $"{m.Format.Name}: muxer {m.FfmpegMuxer ?? "none"}");
        }
        Assert.Equal("mov", MediaCatalog.FfmpegDemuxer(MediaFormat.Mp4));
        Assert.Equal("mp4", MediaCatalog.FfmpegMuxer(MediaFormat.Mp4));
        var refused = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => MediaCatalog.FfmpegDemuxer(MediaFormat.Jpeg));
        Assert.Equal(LabelStamp.Errors.ErrorCode.UnsupportedFormat, refused.Code);
    }
}
