using LabelStamp.Labels;
using LabelStamp.Pipeline;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Composition;

/// <summary>
/// Builds the one <see cref="Stamper"/> a worker process uses: every media kind of the
/// <see cref="MediaCatalog"/>, and the watermark key from configuration (Labels:KeyFile, Labels:Key)
/// or else the usual sources of <see cref="MarkKeySource"/>. A worker never invents a development key:
/// every worker of a group must share one key, or replays would differ.
/// </summary>
public static class StamperComposer
{
    public static Stamper Create(IConfiguration configuration) =>
        new MediaCatalog().CreateStamper(Key(configuration), Limits(configuration));

    /// <summary>Platform mode (spec §8): the same key reads watermarks. C2PA re-signing of kept items is
    /// not composed here yet (the worker has no signing configuration); a found manifest stays in the file.</summary>
    public static LabelStamp.Platform.Propagator CreatePropagator(IConfiguration configuration, LabelStamp.Platform.PlatformOptions options) =>
        new MediaCatalog().CreatePropagator(Key(configuration), options, Limits(configuration));

    private static MarkKey Key(IConfiguration configuration) =>
        configuration["Labels:KeyFile"] is { Length: > 0 } file ? MarkKey.FromFile(file)
        : configuration["Labels:Key"] is { Length: > 0 } text ? MarkKey.FromText(text, "Labels:Key")
        : MarkKeySource.Require(null, createDevelopmentKey: false, out _);

    private static MediaLimits Limits(IConfiguration configuration) =>
        configuration.GetSection("Limits").Get<MediaLimits>() ?? new MediaLimits();
}
