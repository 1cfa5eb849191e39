using LabelStamp.Errors;
using LabelStamp.Media;

namespace LabelStamp.Verification;

/// <summary>Sniffs a file and hands it to the inspector for its kind. Never throws for bad input:
/// errors become a report with a code, so a batch goes on.</summary>
public sealed class Verifier(IEnumerable<IMediaInspector> inspectors)
{
    private readonly IReadOnlyList<IMediaInspector> _inspectors = inspectors.ToList();

    public async Task<VerifyReport> VerifyAsync(ReadOnlyMemory<byte> input, string name, VerifyOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            options.Limits.CheckBytes(input.Length, name);
            var format = MediaSniffer.Sniff(input.Span, name);
            var inspector = _inspectors.FirstOrDefault(i => i.Handles(format))
                            ?? throw new LabelStampException(ErrorCode.UnsupportedFormat, $"{name}: {format.Name.ToUpperInvariant()} is recognised but this build cannot verify it");
            return await inspector.InspectAsync(input, name, format, options, cancellationToken).ConfigureAwait(false);
        }
        catch (LabelStampException e)
        {
            return VerifyReport.Failed(name, e.CodeText, e.Message);
        }
    }
}
