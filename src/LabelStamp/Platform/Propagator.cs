using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;
using LabelStamp.Metadata.Xmp;
using LabelStamp.Pipeline;
using LabelStamp.Provenance;
using LabelStamp.Verification;

namespace LabelStamp.Platform;

/// <summary>
/// Platform (propagator) mode, spec §8 and CAC Labeling Measures Art. 6: verify the upload first, let
/// <see cref="PlatformPlanner"/> pick the case, then change as little as the case needs. Nothing is
/// removed: a kept label only gains ContentPropagator/PropagateID (edited in place — no decode, no
/// re-encode, watermark and visible label untouched); Label "2"/"3" adds the notice and the record; a
/// C2PA manifest found in the input stays in the output (when the platform signs, a publication manifest
/// names it as parent). Every record the platform writes carries its ReservedCode2 signature. Thread-safe.
/// </summary>
public sealed class Propagator
{
    private readonly MarkKey _key;
    private readonly Verifier _verifier;
    private readonly IReadOnlyList<IMediaLabeler> _labelers;
    private readonly IProvenanceWriter? _provenance;
    private readonly PlatformOptions _options;
    private readonly VerifyOptions _verifyOptions;

    public Propagator(MarkKey key, Verifier verifier, IEnumerable<IMediaLabeler> labelers, PlatformOptions options,
        MediaLimits? limits = null, IProvenanceWriter? provenance = null)
    {
        _key = key;
        _verifier = verifier;
        _labelers = labelers.ToList();
        _options = options.Validate();
        _provenance = provenance;
        Limits = limits ?? new MediaLimits();
        var wordings = new List<LabelWording>(LabelWording.Known);
        foreach (var w in new[] { options.Policy.Wording, options.PossiblyWording, options.SuspectedWording })
            if (!wordings.Contains(w)) wordings.Add(w);
        _verifyOptions = new VerifyOptions { Key = key, Wordings = wordings, Policy = options.Policy, Limits = Limits, TrustAnchors = options.TrustAnchors };
    }

    public MediaLimits Limits { get; }

    public PlatformOptions Options => _options;

    /// <summary>Reads the upload's labels and applies the platform case, within one deadline for the item (LS112).</summary>
    public Task<PlatformOutcome> PropagateAsync(ReadOnlyMemory<byte> input, string name, PlatformRequest request, CancellationToken cancellationToken = default) =>
        StampSteps.WithinDeadlineAsync(Limits, input, name, (_, token) => PropagateCoreAsync(input, name, request, token), cancellationToken);

    private async Task<PlatformOutcome> PropagateCoreAsync(ReadOnlyMemory<byte> input, string name, PlatformRequest request, CancellationToken cancellationToken)
    {
        var format = StampSteps.Admit(input, name, request.DeclaredContentType, Limits);
        var timings = new StageTimings();
        long verifyStart = System.Diagnostics.Stopwatch.GetTimestamp();
        var report = await _verifier.VerifyAsync(input, name, _verifyOptions, cancellationToken).ConfigureAwait(false);
        timings.Add("platform-verify", System.Diagnostics.Stopwatch.GetElapsedTime(verifyStart).TotalMilliseconds);
        var plan = PlatformPlanner.Plan(report, request.DeclaredAi);

        return plan.Result switch
        {
            PlatformResult.Kept => await KeepAsync(input, name, format, request, plan, timings, cancellationToken).ConfigureAwait(false),
            PlatformResult.Declared or PlatformResult.Suspected => await NoticeAsync(input, name, format, request, plan, timings, cancellationToken).ConfigureAwait(false),
            _ => new PlatformOutcome(PlatformResult.None, plan.Evidence, input.ToArray(), format, null, plan.ExistingMark, Layers.None, null,
                _options.ExplicitWaived, timings),
        };
    }

    /// <summary>Case 1: the provider's record stays; only the propagation fields change.</summary>
    private async Task<PlatformOutcome> KeepAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, PlatformRequest request,
        PlatformPlan plan, StageTimings timings, CancellationToken ct)
    {
        var existing = plan.ExistingLabel!;
        var aigc = Sign(existing with { ContentPropagator = _options.Propagator, PropagateID = CheckId(request.PropagateId, name) });
        var context = Context(name, format, aigc, plan, Layers.Metadata, _options.Policy.Wording, timings);
        // Kept: no IPTC claim of our own, the file's own DigitalSourceType (if any) stays as it was.
        byte[] output = await UpdateRecordAsync(input, context, digitalSourceType: null, ct).ConfigureAwait(false);
        var applied = Layers.Metadata;
        if (plan.Has(PlatformEvidence.C2paManifest) && plan.ExistingMark is not null && _provenance?.Handles(format) == true)
        {
            output = timings.Measure("provenance", () => _provenance.Write(output, context with { ManifestPurpose = ManifestPurpose.Publication }));
            applied |= Layers.Provenance;
        }
        string? previous = existing.ContentPropagator.Length > 0 && existing.ContentPropagator != _options.Propagator ? existing.ContentPropagator : null;
        return new PlatformOutcome(PlatformResult.Kept, plan.Evidence, output, format, aigc, plan.ExistingMark, applied, null, _options.ExplicitWaived, timings)
        {
            PreviousPropagator = previous,
        };
    }

    /// <summary>Cases 2 and 3: a platform record with Label "2"/"3" and the matching notice.</summary>
    private async Task<PlatformOutcome> NoticeAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, PlatformRequest request,
        PlatformPlan plan, StageTimings timings, CancellationToken ct)
    {
        bool declared = plan.Result == PlatformResult.Declared;
        var wording = declared ? _options.PossiblyWording : _options.SuspectedWording;
        // The producer is unknown to a platform here (Annex E allows it to leave those fields empty for "2"/"3").
        var aigc = Sign(new AigcLabel(declared ? AigcLabel.PossiblyGenerated : AigcLabel.SuspectedGenerated, "", "",
            contentPropagator: _options.Propagator, propagateId: CheckId(request.PropagateId, name)));
        // No second visible label over one that is already there; none at all when the policy waives it.
        bool notice = !_options.ExplicitWaived && !plan.Has(PlatformEvidence.Explicit);
        var layers = Layers.Metadata | (notice ? Layers.Explicit : Layers.None);
        var context = Context(name, format, aigc, plan, layers, wording, timings);
        // The uploader's own declaration is a claim of AI origin; a mere suspicion is not, so "3" claims no IPTC code.
        string? dst = declared ? XmpNames.TrainedAlgorithmicMedia : null;

        byte[] output;
        var applied = Layers.Metadata;
        if (!notice)
        {
            output = await UpdateRecordAsync(input, context, dst, ct).ConfigureAwait(false);
        }
        else if (format.Kind == MediaKind.Image)
        {
            var explicitOnly = context with { Request = context.Request with { Policy = context.Request.Policy with { Layers = Layers.Explicit } } };
            var (drawn, labeled) = await LabelerFor(format, name).LabelAsync(input, explicitOnly, ct).ConfigureAwait(false);
            applied |= labeled & Layers.Explicit;
            // XMP comes from the input (the encoder drops it), merged: every other property is kept.
            output = timings.Measure("metadata", () =>
                ImageXmp.Write(drawn, format, XmpPacket.Merge(ImageXmp.Read(input, format, name, Limits.Metadata), aigc.ToJson(), dst, Limits.Metadata, name), name));
        }
        else
        {
            var (labeledBytes, labeled) = await LabelerFor(format, name).LabelAsync(input, context, ct).ConfigureAwait(false);
            output = labeledBytes;
            applied |= labeled & Layers.Explicit;
        }
        output = KeepManifest(input.ToArray(), output, format, name);
        return new PlatformOutcome(plan.Result, plan.Evidence, output, format, aigc, plan.ExistingMark, applied,
            (applied & Layers.Explicit) != 0 ? wording : null, _options.ExplicitWaived, timings);
    }

    /// <summary>Writes the AIGC record into the file without touching pixels or samples.</summary>
    private async Task<byte[]> UpdateRecordAsync(ReadOnlyMemory<byte> input, StampContext context, string? digitalSourceType, CancellationToken ct)
    {
        var (format, name) = (context.Format, context.Name);
        string json = context.Aigc.ToJson();
        if (format.Kind == MediaKind.Image)
            return context.Timings.Measure("metadata", () =>
                ImageXmp.Write(input, format, XmpPacket.Merge(ImageXmp.Read(input, format, name, Limits.Metadata), json, digitalSourceType, Limits.Metadata, name), name));
        long edit = System.Diagnostics.Stopwatch.GetTimestamp();
        if (MediaCatalog.ContainerFor(format).WriteAigcInPlace(input, json, name) is { } updated)
        {
            context.Timings.Add("metadata", System.Diagnostics.Stopwatch.GetElapsedTime(edit).TotalMilliseconds);
            return updated;
        }

        // Other audio and video: the media path's tag-only remux (stream copy: samples and frames untouched).
        // ffmpeg does not carry a C2PA store (ID3 GEOB, MP4 uuid box) over, so it is put back.
        var (output, _) = await LabelerFor(format, name).LabelAsync(input, context, ct).ConfigureAwait(false);
        return KeepManifest(input.ToArray(), output, format, name);
    }

    /// <summary>Re-encoding may drop a C2PA store the input had; put it back unchanged (its hard binding
    /// then reports the edit, which is the truth), so provenance is never removed.</summary>
    private static byte[] KeepManifest(byte[] input, byte[] output, MediaFormat format, string name)
    {
        var container = C2paProvenanceWriter.ContainerFor(format);
        if (container is null) return output;
        byte[]? store = container.Extract(input, name);
        if (store is null || container.Extract(output, name) is not null) return output;
        return container.Embed(output, store, name).File;
    }

    private IMediaLabeler LabelerFor(MediaFormat format, string name) => StampSteps.LabelerFor(_labelers, format, name);

    private StampContext Context(string name, MediaFormat format, AigcLabel aigc, PlatformPlan plan, Layers layers, LabelWording wording, StageTimings timings)
    {
        // Restamp: the platform rewrites the record on purpose (kept: its own fields added; "2"/"3": a new record).
        var policy = _options.Policy with { Layers = layers, Wording = wording, ExplicitWaivedByAgreement = true, Restamp = true };
        var request = new StampRequest(aigc.PropagateID, aigc.ContentProducer, policy);
        // The mark ID only reaches C2PA's soft binding (kept case): the one read from the file, never a new one.
        return new StampContext(name, format, request, _key, plan.ExistingMark ?? default, aigc, Limits, timings);
    }

    /// <summary>ReservedCode2: the platform's signature over the record as published (replaces an earlier platform's).</summary>
    private AigcLabel Sign(AigcLabel label) => label with { ReservedCode2 = PropagationSignature.Create(_key, label) };

    private static string CheckId(string propagateId, string name)
    {
        if (string.IsNullOrEmpty(propagateId) || !AigcLabel.IsAllowedValue(propagateId) || propagateId.Length > 256)
            throw new LabelStampException(ErrorCode.InvalidAigcField,
                $"{name}: the platform content ID (PropagateID) must be 1..256 printable ASCII characters without space, '\"' or '\\' (GB 45438 Annex E)");
        return propagateId;
    }
}
