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

    [Fact]
    public void EveryAudioAndVideoContainerOwnsItsAigcRecord_AndWritesBackItsOwnFlavour()
    {
        foreach (FormatModule m in MediaCatalog.Formats.Where(m => m.Supported && m is not ImageFormatModule))
        {
            var c = Assert.IsAssignableFrom<MediaContainerModule>(m);
            Assert.Contains("AIGC", c.AigcLocation);
        }
        // A MOV stays MOV and a WebM stays WebM; other files of the format use the module's muxer.
        byte[] mov = [0, 0, 0, 20, .. "ftypqt  "u8, 0, 0, 2, 0, .. "qt  "u8];
        byte[] mp4 = [0, 0, 0, 20, .. "ftypisom"u8, 0, 0, 2, 0, .. "mp41"u8];
        byte[] webm = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8];
        byte[] mkv = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88, .. "matroska"u8];
        Assert.Equal("mov", MediaCatalog.ContainerFor(MediaFormat.Mp4).MuxerFor(mov));
        Assert.Equal("mp4", MediaCatalog.ContainerFor(MediaFormat.Mp4).MuxerFor(mp4));
        Assert.Equal("webm", MediaCatalog.ContainerFor(MediaFormat.Matroska).MuxerFor(webm));
        Assert.Equal("matroska", MediaCatalog.ContainerFor(MediaFormat.Matroska).MuxerFor(mkv));
        var refused = Assert.Throws<LabelStamp.Errors.LabelStampException>(() => MediaCatalog.ContainerFor(MediaFormat.Png));
        Assert.Equal(LabelStamp.Errors.ErrorCode.UnsupportedFormat, refused.Code);
    }
}
