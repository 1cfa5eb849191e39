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
/// without the provenance layer, which ls-layers then shows. C2pa:TsaUrl adds RFC 3161 time-stamps.
/// </summary>
public static class StamperComposer
{
    public static Stamper Create(IConfiguration configuration) =>
        new MediaCatalog(Images(configuration), Video(configuration)).CreateStamper(Key(configuration), Limits(configuration), CreateProvenance(configuration.GetSection("C2pa")));

    /// <summary>Platform mode (spec §8): the same key reads watermarks; a kept item with a manifest gets a
    /// new one signed with the configured chain, naming the original as ingredient.</summary>
    public static LabelStamp.Platform.Propagator CreatePropagator(IConfiguration configuration, LabelStamp.Platform.PlatformOptions options) =>
        new MediaCatalog(Images(configuration), Video(configuration)).CreatePropagator(Key(configuration), options with { TrustAnchors = options.TrustAnchors ?? Anchors(configuration.GetSection("C2pa")) },
            Limits(configuration), CreateProvenance(configuration.GetSection("C2pa")));

    /// <summary>C2pa:TsaUrl (else $LABELSTAMP_TSA_URL): each signature gets an RFC 3161 time-stamp; C2pa:TsaTimeoutSeconds
    /// (default 30) bounds one request. Checked at start-up: a bad URL stops the worker, not its first item.</summary>
    public static HttpTimestampAuthority? TimestampAuthority(IConfigurationSection c2pa) =>
        c2pa["TsaUrl"] is { Length: > 0 } url
            ? HttpTimestampAuthority.Create(url, TimeSpan.FromSeconds(c2pa.GetValue("TsaTimeoutSeconds", HttpTimestampAuthority.DefaultTimeout.TotalSeconds)), "C2pa:TsaUrl")
            : HttpTimestampAuthority.Resolve(null, "C2pa:TsaUrl");

    /// <summary>C2pa:TrustAnchors (a PEM bundle path), else $LABELSTAMP_TRUST_ANCHORS, else none.</summary>
    public static TrustAnchors? Anchors(IConfigurationSection c2pa) => TrustAnchors.Resolve(c2pa["TrustAnchors"]);

    /// <summary>The key from configuration (Labels:KeyFile, Labels:Key), else from the environment
    /// (LABELSTAMP_MARK_KEY, LABELSTAMP_MARK_KEY_FILE); null when none is set.</summary>
    public static MarkKey? OptionalKey(IConfiguration configuration) =>
        configuration["Labels:KeyFile"] is { Length: > 0 } file ? MarkKey.FromFile(file)
        : configuration["Labels:Key"] is { Length: > 0 } text ? MarkKey.FromText(text, "Labels:Key")
        : MarkKeySource.Resolve(null, createDevelopmentKey: false)?.Key;

    private static MarkKey Key(IConfiguration configuration) =>
        OptionalKey(configuration) ?? MarkKeySource.Require(null, createDevelopmentKey: false, out _);

    /// <summary>The video section (opening label, corner label, mark scale, strength and flat-area gain,
    /// encoder presets), validated at start-up; defaults when absent.</summary>
    public static LabelStamp.Media.Video.VideoLabelOptions Video(IConfiguration configuration) =>
        (configuration.GetSection("Video").Get<LabelStamp.Media.Video.VideoLabelOptions>() ?? new LabelStamp.Media.Video.VideoLabelOptions()).Validate();

    /// <summary>The Images section (the encoders' settings where the input does not give them: JPEG quality when it cannot
    /// be estimated, WebP and AVIF quality, PNG compression and row filter), validated at start-up; defaults when absent.</summary>
    public static LabelStamp.Media.Images.ImageEncodeOptions Images(IConfiguration configuration) =>
        (configuration.GetSection("Images").Get<LabelStamp.Media.Images.ImageEncodeOptions>() ?? new LabelStamp.Media.Images.ImageEncodeOptions()).Validate();

    /// <summary>The Limits section (sizes, durations, the per-item deadline), validated at start-up.</summary>
    public static MediaLimits Limits(IConfiguration configuration) =>
        (configuration.GetSection("Limits").Get<MediaLimits>() ?? new MediaLimits()).Validate();

    private static C2paProvenanceWriter? CreateProvenance(IConfigurationSection c2pa)
    {
        if (!c2pa.GetValue("Enabled", true)) return null;
        string? chain = c2pa["Chain"] is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable(SigningCredentialSource.ChainVariable);
        if (string.IsNullOrEmpty(chain) && !c2pa.GetValue("Development", false))
            throw new LabelStampException(ErrorCode.InvalidArgument,
                "worker configuration: no C2PA signing chain. Set C2pa:Chain and C2pa:KeyFile (LABELSTAMP__C2pa__Chain, or $" + SigningCredentialSource.ChainVariable +
                "), or C2pa:Development=true for a local test chain, or C2pa:Enabled=false to run without the provenance layer");
        var (credentials, _) = SigningCredentialSource.Resolve(chain, c2pa["KeyFile"] is { Length: > 0 } key ? key : null);
        return new C2paProvenanceWriter(new C2paOptions(credentials) { TimestampAuthority = TimestampAuthority(c2pa), TrustAnchors = Anchors(c2pa) });
    }
}
