namespace LabelStamp.Media.Images;

/// <summary>A display-space rectangle to read from an image, shrunk by an integer factor (1: as is).</summary>
public readonly record struct ImageArea(PixelRect Rectangle, int Shrink);
