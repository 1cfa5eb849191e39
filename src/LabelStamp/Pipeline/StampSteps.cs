using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>
/// The steps every way of labeling an item takes before its own work, in one order: the item's deadline
/// (LS112), the byte limit, sniffing (the bytes decide the format, an empty file is EmptyInput), the
/// declared content type checked against it, and the labeler for the format. The provider's
/// <see cref="Stamper"/> and the platform's <see cref="Platform.Propagator"/> both take them from here, so the
/// two modes cannot drift apart on what they accept.
/// </summary>
public static class StampSteps
{
    /// <summary>Runs <paramref name="work"/> within the item's deadline (<see cref="ItemDeadline"/>).</summary>
    public static async Task<T> WithinDeadlineAsync<T>(MediaLimits limits, ReadOnlyMemory<byte> input, string name,
        Func<ItemDeadline, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var deadline = ItemDeadline.Start(limits, input.Length, cancellationToken);
        return await deadline.RunAsync(token => work(deadline, token), name).ConfigureAwait(false);
    }

    /// <summary>Byte limit, format from the bytes, declared content type checked against it.</summary>
    public static MediaFormat Admit(ReadOnlyMemory<byte> input, string name, string? declaredContentType, MediaLimits limits)
    {
        limits.CheckBytes(input.Length, name);
        var format = MediaSniffer.Sniff(input.Span, name);
        ContentTypes.CheckDeclared(declaredContentType, format, name);
        return format;
    }

    /// <summary>The first labeler that handles the format (the catalog's order).</summary>
    public static IMediaLabeler LabelerFor(IReadOnlyList<IMediaLabeler> labelers, MediaFormat format, string name) =>
        labelers.FirstOrDefault(l => l.Handles(format))
        ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name.ToUpperInvariant()} is recognised but this build has no labeler for it");
}
