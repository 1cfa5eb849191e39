using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>Adds a signed provenance manifest (C2PA) to finished bytes. Runs last: it hashes the final file.</summary>
public interface IProvenanceWriter
{
    bool Handles(MediaFormat format);

    byte[] Write(byte[] labeled, StampContext context);
}
