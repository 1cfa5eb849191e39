namespace LabelStamp.Media.Video;

/// <summary>When the stamp decodes its own output to read the frames' mark again (<see cref="EncodedMarkCheck"/>).</summary>
internal enum EncodedFileCheck
{
    /// <summary>When the marked frames read with a thin margin (<see cref="EncodedMarkCheck.Needed"/>): the product.</summary>
    WhenThin,

    /// <summary>Whenever the marked frames read (measurements of the margin rule).</summary>
    Always,

    /// <summary>Never (the frames' check alone).</summary>
    Never,
}
