using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using LabelStamp.Errors;
using ErrorCode = LabelStamp.Errors.ErrorCode;
using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Platform;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Contract;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Store;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Processing;

/// <summary>
/// Turns one consumed message into its output or its dead letter (spec §7). It never throws for bad
/// input: every failure becomes a dead letter carrying the original message, so nothing is lost and the
/// worker goes on. Only cancellation (shutdown) escapes, leaving the offset unstored for a replay.
/// </summary>
public sealed class MessageLabeler
{
    private readonly Stamper _stamper;
    private readonly LabelPolicy _policy;
    private readonly WorkerOptions _options;
    private readonly ReferenceResolver _references;
    private readonly IClaimCheckStore? _store;
    private readonly WorkerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Propagator? _propagator;

    /// <param name="propagator">Required when <see cref="WorkerOptions.Mode"/> is Platform (spec §8).</param>
    public MessageLabeler(Stamper stamper, LabelPolicy policy, WorkerOptions options, ReferenceResolver references,
        IClaimCheckStore? store, WorkerMetrics metrics, ILogger logger, Propagator? propagator = null)
    {
        if (options.Mode == WorkerMode.Platform && propagator is null)
            throw new LabelStampException(ErrorCode.InvalidArgument, "worker configuration: Mode Platform but no propagator was composed");
        _propagator = options.Mode == WorkerMode.Platform ? propagator : null;
        _stamper = stamper;
        // Worker:Restamp: an input already labeled (AIGC Label 1) is relabeled instead of dead-lettered with LS211.
        _policy = policy with { Restamp = options.Restamp };
        _options = options;
        _references = references;
        _store = store;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<LabelingOutcome> LabelAsync(ConsumeResult<byte[]?, byte[]?> input, CancellationToken cancellationToken)
    {
        var message = input.Message;
        string contentId = "(unknown)";
        try
        {
            contentId = ReadContentId(message);
            return await LabelCoreAsync(input, contentId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (LabelStampException ex)
        {
            _logger.LogWarning("dead-lettered {ContentId} from {Topic}/{Partition}@{Offset}: {ErrorCode} {Error}",
                contentId, input.Topic, input.Partition.Value, input.Offset.Value, ex.CodeText, ex.Message);
            return DeadLetter(input, contentId, ex.CodeText, ex.Message);
        }
        catch (Exception ex)
        {
            // An unexpected failure is still the input's problem as far as the stream goes: park it with
            // its type name only (the message may carry user data) and keep going.
            _logger.LogError(ex, "internal error labeling {ContentId}", contentId);
            return DeadLetter(input, contentId, LabelStampException.Format(ErrorCode.Internal), $"internal error ({ex.GetType().Name}); see the worker log");
        }
    }

    private async Task<LabelingOutcome> LabelCoreAsync(ConsumeResult<byte[]?, byte[]?> input, string contentId, CancellationToken cancellationToken)
    {
        var message = input.Message;
        string? type = Header(message, KafkaHeaders.Type);
        if (type is not null && type != KafkaHeaders.GeneratedType)
            throw new LabelStampException(ErrorCode.ContractViolation, $"{contentId}: ce_type must be {KafkaHeaders.GeneratedType}");
        string? specVersion = Header(message, KafkaHeaders.SpecVersion);
        if (specVersion is not null && specVersion != KafkaHeaders.CloudEventsVersion)
            throw new LabelStampException(ErrorCode.ContractViolation, $"{contentId}: ce_specversion must be {KafkaHeaders.CloudEventsVersion}");

        string producer = Header(message, KafkaHeaders.Producer) ?? _options.DefaultProducer;
        var policy = _policy;
        if (Header(message, KafkaHeaders.Policy) is { } layers)
            policy = _policy with { Layers = LayersText.Parse(layers) };

        long fetchStart = Stopwatch.GetTimestamp();
        ReadOnlyMemory<byte> media;
        if (Header(message, KafkaHeaders.Reference) is { } reference)
        {
            if (message.Value is { Length: > 0 })
                throw new LabelStampException(ErrorCode.ContractViolation, $"{contentId}: a message with ls-ref must have an empty value");
            media = await _references.ReadAsync(reference, _stamper.Limits.MaxBytes, cancellationToken).ConfigureAwait(false);
            _metrics.ObserveStage("fetch", Stopwatch.GetElapsedTime(fetchStart).TotalSeconds);
        }
        else
        {
            media = message.Value ?? [];
        }
        _metrics.BytesIn.Inc(media.Length);
        if (_propagator is not null)
            return await PropagateAsync(message, contentId, media, cancellationToken).ConfigureAwait(false);

        var request = new StampRequest(contentId, producer, policy) { DeclaredContentType = Header(message, KafkaHeaders.ContentType) };
        var result = await _stamper.StampAsync(media, contentId, request, cancellationToken).ConfigureAwait(false);
        foreach (var (stage, ms) in result.Timings.Stages)
            _metrics.ObserveStage(stage, ms / 1000.0);

        string sha256 = Convert.ToHexStringLower(SHA256.HashData(result.Output));
        var headers = new Headers
        {
            { KafkaHeaders.SpecVersion, Utf8(KafkaHeaders.CloudEventsVersion) },
            { KafkaHeaders.Id, Utf8(contentId) },
            { KafkaHeaders.Source, Utf8(Header(message, KafkaHeaders.Source) ?? producer) },
            { KafkaHeaders.Type, Utf8(KafkaHeaders.LabeledType) },
            { KafkaHeaders.ContentType, Utf8(result.Format.ContentType) },
            { KafkaHeaders.Producer, Utf8(producer) },
            { KafkaHeaders.Aigc, Utf8(result.Aigc.ToJson()) },
            { KafkaHeaders.MarkId, Utf8(result.MarkId.ToString()) },
            { KafkaHeaders.KeyId, Utf8(result.KeyId) },
            { KafkaHeaders.Layers, Utf8(LayersText.Format(result.Applied)) },
            { KafkaHeaders.Sha256, Utf8(sha256) },
            { KafkaHeaders.Timings, Utf8(result.Timings.ToString()) },
            { KafkaHeaders.ExplicitWaived, Utf8((policy.Layers & Layers.Explicit) == 0 ? "true" : "false") },
        };
        // Layers asked for but not carried (e.g. an image below the watermark's minimum side): one header
        // per layer, so a consumer never has to infer it from ls-layers alone.
        foreach (var notice in result.Notices) headers.Add(KafkaHeaders.NotApplied, Utf8(notice.ToString()));
        return await PublishAsync(contentId, result.Output, result.Format.Extension, headers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Platform mode (spec §8): the propagator decides; the event says which case and why.</summary>
    private async Task<LabelingOutcome> PropagateAsync(Message<byte[]?, byte[]?> message, string contentId, ReadOnlyMemory<byte> media,
        CancellationToken cancellationToken)
    {
        // A platform's notices follow its own policy, not an uploader's header.
        if (Header(message, KafkaHeaders.Policy) is not null)
            throw new LabelStampException(ErrorCode.ContractViolation, $"{contentId}: ls-policy is not accepted by a platform-mode worker");
        bool declared = Header(message, KafkaHeaders.DeclaredAi) switch
        {
            null or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw new LabelStampException(ErrorCode.ContractViolation, $"{contentId}: {KafkaHeaders.DeclaredAi} must be true or false"),
        };
        var request = new PlatformRequest(contentId, declared) { DeclaredContentType = Header(message, KafkaHeaders.ContentType) };
        var result = await _propagator!.PropagateAsync(media, contentId, request, cancellationToken).ConfigureAwait(false);
        foreach (var (stage, ms) in result.Timings.Stages)
            _metrics.ObserveStage(stage, ms / 1000.0);

        string source = Header(message, KafkaHeaders.Source) ?? _propagator.Options.Propagator;
        var headers = new Headers
        {
            { KafkaHeaders.SpecVersion, Utf8(KafkaHeaders.CloudEventsVersion) },
            { KafkaHeaders.Id, Utf8(contentId) },
            { KafkaHeaders.Source, Utf8(source) },
            { KafkaHeaders.Type, Utf8(KafkaHeaders.LabeledType) },
            { KafkaHeaders.ContentType, Utf8(result.Format.ContentType) },
            { KafkaHeaders.Mode, Utf8("platform") },
            { KafkaHeaders.PlatformResult, Utf8(PlatformText.Format(result.Result)) },
            { KafkaHeaders.PlatformEvidence, Utf8(PlatformText.Format(result.Evidence)) },
            { KafkaHeaders.Layers, Utf8(LayersText.Format(result.Applied)) },
            { KafkaHeaders.ExplicitWaived, Utf8(result.ExplicitWaived ? "true" : "false") },
            { KafkaHeaders.KeyId, Utf8(_stamper.KeyId) },
            { KafkaHeaders.Sha256, Utf8(Convert.ToHexStringLower(SHA256.HashData(result.Output))) },
            { KafkaHeaders.Timings, Utf8(result.Timings.ToString()) },
        };
        if (result.Aigc is { } aigc)
        {
            headers.Add(KafkaHeaders.Aigc, Utf8(aigc.ToJson()));
            headers.Add(KafkaHeaders.PlatformNotice, Utf8(aigc.Label switch
            {
                AigcLabel.Generated => "generated",
                AigcLabel.PossiblyGenerated => "possibly",
                _ => "suspected",
            }));
        }
        if (result.MarkId is { } mark) headers.Add(KafkaHeaders.MarkId, Utf8(mark.ToString()));
        if (result.PreviousPropagator is { } previous) headers.Add(KafkaHeaders.PreviousPropagator, Utf8(previous));
        return await PublishAsync(contentId, result.Output, result.Format.Extension, headers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The output message: the bytes inline, or in the store with ls-ref when over the inline limit.</summary>
    private async Task<LabelingOutcome> PublishAsync(string contentId, byte[] bytes, string extension, Headers headers, CancellationToken cancellationToken)
    {
        byte[]? value = bytes;
        if (bytes.Length > _options.InlineLimitBytes)
        {
            if (_store is null)
                throw new LabelStampException(ErrorCode.StoreFailed, $"{contentId}: output of {bytes.Length} bytes exceeds InlineLimitBytes and no Store is configured");
            long storeStart = Stopwatch.GetTimestamp();
            var uri = await _store.WriteAsync(contentId, bytes, extension, cancellationToken).ConfigureAwait(false);
            _metrics.ObserveStage("store", Stopwatch.GetElapsedTime(storeStart).TotalSeconds);
            headers.Add(KafkaHeaders.Reference, Utf8(uri.AbsoluteUri));
            value = [];
        }
        _metrics.BytesOut.Inc(bytes.Length);
        _logger.LogDebug("labeled {ContentId}, {Bytes} bytes", contentId, bytes.Length);

        var output = new Message<byte[]?, byte[]?> { Key = Utf8(contentId), Value = value, Headers = headers };
        return new LabelingOutcome(_options.OutputTopic, output, IsDeadLetter: false, contentId, ErrorCode: null, bytes.Length);
    }

    /// <summary>The original key, value and headers, unchanged, plus why and where it came from.</summary>
    private LabelingOutcome DeadLetter(ConsumeResult<byte[]?, byte[]?> input, string contentId, string code, string error)
    {
        var headers = new Headers();
        if (input.Message.Headers is { } original)
            foreach (var h in original) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(KafkaHeaders.ErrorCode, Utf8(code));
        headers.Add(KafkaHeaders.Error, Utf8(error));
        headers.Add(KafkaHeaders.SourceTopic, Utf8(input.Topic));
        headers.Add(KafkaHeaders.SourcePartition, Utf8(input.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(KafkaHeaders.SourceOffset, Utf8(input.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(KafkaHeaders.Worker, Utf8(_options.WorkerId));
        var letter = new Message<byte[]?, byte[]?> { Key = input.Message.Key, Value = input.Message.Value, Headers = headers };
        return new LabelingOutcome(_options.DeadLetterTopic, letter, IsDeadLetter: true, contentId, code, 0);
    }

    private static string ReadContentId(Message<byte[]?, byte[]?> message)
    {
        string? id = message.Key is { Length: > 0 } key ? DecodeUtf8(key) : Header(message, KafkaHeaders.Id);
        if (id is null || !ContentIds.IsValid(id))
            throw new LabelStampException(ErrorCode.ContractViolation, "message has no usable content ID: set the key (or ce_id) to 1..200 printable characters");
        return id;
    }

    public static string? Header(Message<byte[]?, byte[]?> message, string name)
    {
        if (message.Headers is null) return null;
        for (int i = message.Headers.Count - 1; i >= 0; i--)
            if (message.Headers[i].Key == name)
                return DecodeUtf8(message.Headers[i].GetValueBytes());
        return null;
    }

    private static string? DecodeUtf8(byte[]? bytes)
    {
        if (bytes is null) return null;
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
