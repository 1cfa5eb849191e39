using LabelStamp.Media;

namespace LabelStamp.Pipeline;

/// <summary>Adds a signed provenance manifest (C2PA) to finished bytes. Runs last: it hashes the final file.</summary>
public interface IProvenanceWriter
{
    bool Handles(MediaFormat format);

    byte[] Write(byte[] labeled, StampContext context);

    /// <summary>The manifest store already in the input, read (and validated against the input) before any
    /// labeler re-encodes it; null when there is none. <see cref="Write"/> keeps it as an ingredient.</summary>
    Provenance.PriorManifest? ReadPrior(ReadOnlyMemory<byte> input, StampContext context);
}
