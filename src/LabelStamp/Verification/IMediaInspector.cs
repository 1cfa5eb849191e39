using LabelStamp.Media;

namespace LabelStamp.Verification;

/// <summary>The read side of one media kind: finds each layer in a file of the formats it handles.</summary>
public interface IMediaInspector
{
    bool Handles(MediaFormat format);

    Task<VerifyReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, VerifyOptions options, CancellationToken cancellationToken);
}
