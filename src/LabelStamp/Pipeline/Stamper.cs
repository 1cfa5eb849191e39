using LabelStamp.Errors;
using LabelStamp.Labels;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>
/// Labels one item in one pass: sniff the bytes, check limits, derive the mark ID and the signed AIGC
/// record, hand the pixels or samples to the adapter for the kind, then sign provenance over the
/// result. Thread-safe: one instance serves every worker thread.
/// </summary>
public sealed class Stamper
{
    private readonly MarkKey _key;
    private readonly IReadOnlyList<IMediaLabeler> _labelers;
    private readonly IProvenanceWriter? _provenance;

    public Stamper(MarkKey key, IEnumerable<IMediaLabeler> labelers, IProvenanceWriter? provenance = null, MediaLimits? limits = null)
    {
        _key = key;
        _labelers = labelers.ToList();
        _provenance = provenance;
        Limits = limits ?? new MediaLimits();
    }

    public MediaLimits Limits { get; }

    public string KeyId => _key.KeyId;

    /// <summary>The AIGC record a provider writes for this item, with our signature in ReservedCode1.</summary>
    public AigcLabel CreateAigcLabel(string producer, string contentId, out MarkId markId)
    {
        if (string.IsNullOrEmpty(producer))
            throw new LabelStampException(ErrorCode.MissingProducer, "no ContentProducer code: pass --producer or set it in configuration");
        var label = new AigcLabel(AigcLabel.Generated, producer, contentId);
        markId = MarkId.Compute(_key, producer, contentId);
        return label with { ReservedCode1 = AigcSignature.Create(_key, label, markId) };
    }

    /// <summary>Labels one item within its deadline (<see cref="ItemDeadline"/>: LS112 when it passes).</summary>
    public Task<StampResult> StampAsync(ReadOnlyMemory<byte> input, string name, StampRequest request, CancellationToken cancellationToken = default) =>
        StampSteps.WithinDeadlineAsync(Limits, input, name, (deadline, token) => StampCoreAsync(input, name, request, deadline, token), cancellationToken);

    private async Task<StampResult> StampCoreAsync(ReadOnlyMemory<byte> input, string name, StampRequest request, ItemDeadline deadline, CancellationToken cancellationToken)
    {
        request.Policy.Validate();
        var format = StampSteps.Admit(input, name, request.DeclaredContentType, Limits);
        var labeler = StampSteps.LabelerFor(_labelers, format, name);

        var aigc = CreateAigcLabel(request.Producer, request.ContentId, out var markId);
        var timings = new StageTimings();
        var context = new StampContext(name, format, request, _key, markId, aigc, Limits, timings) { Deadline = deadline };
        bool provenance = (request.Policy.Layers & Layers.Provenance) != 0 && _provenance?.Handles(format) == true;
        // A manifest the input already carries (the generator's, a camera's) is read now: the labelers
        // re-encode, and an encoder drops the JUMBF. The writer keeps it as our manifest's parent.
        if (provenance)
            context = context with { PriorManifest = timings.Measure("provenance-read", () => _provenance!.ReadPrior(input, context)) };
        var (output, applied) = await labeler.LabelAsync(input, context, cancellationToken).ConfigureAwait(false);

        if (provenance)
        {
            var signed = context with { WatermarkApplied = (applied & Layers.Watermark) != 0 };
            output = timings.Measure("provenance", () => _provenance!.Write(output, signed));
            applied |= Layers.Provenance;
        }
        return new StampResult(output, format, aigc, markId, _key.KeyId, applied, timings) { Notices = [.. context.Notices] };
    }
}
