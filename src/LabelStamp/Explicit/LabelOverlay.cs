using System.Collections.Concurrent;

namespace LabelStamp.Explicit;

/// <summary>
/// A rendered label: the plate with its text, as one grey colour byte and one straight-alpha byte per
/// pixel (the label is white on black, so grey suffices). <see cref="TextHeight"/> is the measured ink
/// height of the text — the quantity GB 45438 §5 puts a floor under.
/// </summary>
public sealed class LabelOverlay
{
    private readonly ConcurrentDictionary<int, (byte[] Colour, byte[] Alpha)> _expanded = new();

    public LabelOverlay(int width, int height, byte[] grey, byte[] alpha, byte[] textMask, int textHeight, int textTop, int textLeft)
    {
        Width = width;
        Height = height;
        Grey = grey;
        Alpha = alpha;
        TextMask = textMask;
        TextHeight = textHeight;
        TextTop = textTop;
        TextLeft = textLeft;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Grey { get; }
    public byte[] Alpha { get; }
    /// <summary>The text's own coverage (0–255) per overlay pixel: the template verify matches against.</summary>
    public byte[] TextMask { get; }
    public int TextHeight { get; }
    public int TextTop { get; }
    public int TextLeft { get; }

    /// <summary>
    /// Colour and alpha laid out like a destination row of <paramref name="bands"/> interleaved bands, so
    /// the blend kernel runs over plain byte spans. An alpha band gets colour 255, which makes the same
    /// formula compute alpha-over (a + a_d·(1 − a)). Built once per band count and cached.
    /// </summary>
    public (byte[] Colour, byte[] Alpha) Expanded(int bands) => _expanded.GetOrAdd(bands, b =>
    {
        var colour = new byte[Width * Height * b];
        var alpha = new byte[colour.Length];
        bool hasAlpha = b is 2 or 4;
        for (int i = 0, o = 0; i < Grey.Length; i++)
            for (int k = 0; k < b; k++, o++)
            {
                colour[o] = hasAlpha && k == b - 1 ? (byte)255 : Grey[i];
                alpha[o] = Alpha[i];
            }
        return (colour, alpha);
    });
}
