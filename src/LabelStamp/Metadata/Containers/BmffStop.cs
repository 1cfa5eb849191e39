namespace LabelStamp.Metadata.Containers;

/// <summary>Why a walk over sibling boxes (<see cref="BmffReader"/>) stopped.</summary>
public enum BmffStop
{
    /// <summary>The last box ended exactly at the end of the range.</summary>
    Complete,
    /// <summary>Fewer than 8 bytes were left: QuickTime ends some lists with a 4-byte zero; at the top level it means a cut file.</summary>
    TrailingBytes,
    /// <summary>A box announced a 64-bit size but the range ends inside its 16-byte header.</summary>
    LargeSizeCut,
    /// <summary>A size smaller than the box's own header.</summary>
    SizeTooSmall,
    /// <summary>A box runs past the end of its parent (or of the file).</summary>
    Overrun,
    /// <summary>More siblings than <see cref="BmffReader.MaxBoxesPerLevel"/>.</summary>
    TooManyBoxes,
    /// <summary>Nested deeper than <see cref="BmffReader.MaxDepth"/>.</summary>
    TooDeep,
}
