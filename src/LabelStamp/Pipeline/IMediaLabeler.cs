using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>
/// One adapter per media kind (images via NetVips, audio and video via ffmpeg). It applies the
/// explicit label, the watermark and the metadata for the formats it handles and returns the new
/// bytes; provenance (C2PA) is applied afterwards by the <see cref="Stamper"/> over the final bytes.
/// </summary>
public interface IMediaLabeler
{
    bool Handles(MediaFormat format);

    /// <summary>Returns the labeled bytes (same format) and the layers it applied.</summary>
    Task<(byte[] Output, Labels.Layers Applied)> LabelAsync(ReadOnlyMemory<byte> input, StampContext context, CancellationToken cancellationToken);
}
