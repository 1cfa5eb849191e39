using LabelStamp.Media;
using LabelStamp.Media.Audio;
using Xunit.Abstractions;

namespace LabelStamp.Tests.Audio;

public class AudioLabelerSmoke(ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke()
    {
        foreach (var (ext, args) in AudioFixtures.Formats)
        {
            var input = AudioFixtures.Convert(AudioFixtures.Music, ext, args);
            var format = MediaSniffer.Sniff(input, "x" + ext);
            var ctx = AudioFixtures.Context(format, "smoke-" + ext.TrimStart('.'));
            var (outBytes, layers) = await new AudioLabeler().LabelAsync(input, ctx, default);
            var report = await new AudioInspector().InspectAsync(outBytes, "out" + ext, AudioFixtures.Key, default);
            var orig = await new AudioInspector().InspectAsync(input, "in" + ext, AudioFixtures.Key, default);
            output.WriteLine($"{ext} {layers} {ctx.Timings} | aigc={report.AigcLocation} rhythm={report.RhythmAtStartSeconds} mark={report.Watermark} want={ctx.MarkId} | dur {orig.Stream.Duration} -> {report.Stream.Duration} | orig: aigc={orig.AigcLocation} rhythm={orig.RhythmAtStartSeconds} mark={orig.Watermark}");
            File.WriteAllBytes("/tmp/smoke" + ext, outBytes);
        }
    }
}
