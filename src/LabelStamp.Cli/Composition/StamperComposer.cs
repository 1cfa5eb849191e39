using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Composition;

/// <summary>
/// Builds the one <see cref="Stamper"/> a process uses, from configuration: the watermark key
/// (Labels:KeyFile or Labels:Key) and every media labeler this build has.
/// </summary>
public static class StamperComposer
{
    public static Stamper Create(IConfiguration configuration)
    {
        MarkKey key = configuration["Labels:KeyFile"] is { Length: > 0 } file ? MarkKey.FromFile(file)
            : configuration["Labels:Key"] is { Length: > 0 } text ? MarkKey.FromText(text, "Labels:Key")
            : throw new LabelStampException(ErrorCode.KeyMissing, "no watermark key: pass --key-file or set LABELSTAMP__Labels__Key (create one with `labelstamp keys`)");
        var limits = configuration.GetSection("Limits").Get<MediaLimits>() ?? new MediaLimits();
        return new Stamper(key, MediaLabelers.All(), limits: limits);
    }
}
