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
    public static Stamper Create(IConfiguration configuration)
    {
        MarkKey key = configuration["Labels:KeyFile"] is { Length: > 0 } file ? MarkKey.FromFile(file)
            : configuration["Labels:Key"] is { Length: > 0 } text ? MarkKey.FromText(text, "Labels:Key")
            : MarkKeySource.Require(null, createDevelopmentKey: false, out _);
        var limits = configuration.GetSection("Limits").Get<MediaLimits>() ?? new MediaLimits();
        return new MediaCatalog().CreateStamper(key, limits);
    }
}
