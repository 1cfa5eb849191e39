using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Verification;

/// <summary>Sniffs a file and hands it to the inspector for its kind. Never throws for bad input:
/// errors become a report with a code, so a batch goes on.</summary>
public sealed class Verifier(IEnumerable<IMediaInspector> inspectors)
{
    private readonly IReadOnlyList<IMediaInspector> _inspectors = inspectors.ToList();

    /// <summary>Reports every layer of one file within its deadline (<see cref="ItemDeadline"/>: an LS112 report when it passes).</summary>
    public async Task<VerifyReport> VerifyAsync(ReadOnlyMemory<byte> input, string name, VerifyOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            options.Limits.CheckBytes(input.Length, name);
            var format = MediaSniffer.Sniff(input.Span, name);
            var inspector = _inspectors.FirstOrDefault(i => i.Handles(format))
                            ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name.ToUpperInvariant()} is recognised but this build cannot verify it");
            using var deadline = ItemDeadline.Start(options.Limits, input.Length, cancellationToken);
            var scoped = options with { Deadline = deadline };
            return await deadline.RunAsync(token => inspector.InspectAsync(input, name, format, scoped, token), name).ConfigureAwait(false);
        }
        catch (LabelStampException e)
        {
            return VerifyReport.Failed(name, e.CodeText, e.Message);
        }
    }
}
