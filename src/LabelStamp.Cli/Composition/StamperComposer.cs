using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using Microsoft.Extensions.Configuration;

namespace LabelStamp.Cli.Composition;

/// <summary>
/// Builds the one <see cref="Stamper"/> a worker process uses: every media kind of the
/// <see cref="MediaCatalog"/>, and the watermark key from configuration (Labels:KeyFile, Labels:Key)
/// or else the usual sources of <see cref="MarkKeySource"/>. A worker never invents a development key:
/// every worker of a group must share one key, or replays would differ. Likewise it never signs C2PA
/// with a development chain unless told to (C2pa:Development): production takes C2pa:Chain and
/// C2pa:KeyFile (or $LABELSTAMP_C2PA_CHAIN / $LABELSTAMP_C2PA_KEY_FILE); C2pa:Enabled=false runs
/// without the provenance layer, which ls-layers then shows.
/// </summary>
public static class StamperComposer
{
    public static Stamper Create(IConfiguration configuration)
    {
        MarkKey key = configuration["Labels:KeyFile"] is { Length: > 0 } file ? MarkKey.FromFile(file)
            : configuration["Labels:Key"] is { Length: > 0 } text ? MarkKey.FromText(text, "Labels:Key")
            : MarkKeySource.Require(null, createDevelopmentKey: false, out _);
        var limits = configuration.GetSection("Limits").Get<MediaLimits>() ?? new MediaLimits();
        return new MediaCatalog().CreateStamper(key, limits, CreateProvenance(configuration.GetSection("C2pa")));
    }

    private static C2paProvenanceWriter? CreateProvenance(IConfigurationSection c2pa)
    {
        if (!c2pa.GetValue("Enabled", true)) return null;
        string? chain = c2pa["Chain"] is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable(SigningCredentialSource.ChainVariable);
        if (string.IsNullOrEmpty(chain) && !c2pa.GetValue("Development", false))
            throw new LabelStampException(ErrorCode.InvalidArgument,
                "worker configuration: no C2PA signing chain. Set C2pa:Chain and C2pa:KeyFile (LABELSTAMP__C2pa__Chain, or $" + SigningCredentialSource.ChainVariable +
                "), or C2pa:Development=true for a local test chain, or C2pa:Enabled=false to run without the provenance layer");
        var (credentials, _) = SigningCredentialSource.Resolve(chain, c2pa["KeyFile"] is { Length: > 0 } key ? key : null);
        return new C2paProvenanceWriter(new C2paOptions(credentials));
    }
}
