using System.Runtime.InteropServices;
using LabelStamp.Media.Images;
using NetVips;

namespace LabelStamp.Formats.Png;

/// <summary>
/// The PNG row filter for a marked frame, when the settings leave it open (<see cref="ImageEncodeOptions.PngFilter"/>
/// null). With no filter, deflate codes a flat page cheaply because its rows repeat; the mark breaks those repeats with
/// its ±1-2 levels, and deflate then finds few matches (a marked 1080p text page encoded 4.6× slower than the page for
/// 2.6× the bytes). The mark's chips are four rows tall, so three of every four marked rows still repeat the row above,
/// which the Up filter turns into zeros. On a busy frame Up costs deflate more than it saves, and on an unmarked flat page
/// it costs CPU and bytes (its runs are already cheap), so Up is chosen only where the frame still repeats most of its
/// rows and the mark took away a good share of the repeats: measured over the development corpus's 106 PNGs
/// (bench/WATERMARK.md, twenty-fifth step).
/// </summary>
public static class PngFilterChoice
{
    /// <summary>Share of repeated bytes (<see cref="RepeatedShare"/>) the marked frame must keep for Up.</summary>
    public const double UpFromMarkedShare = 0.7;

    /// <summary>Share of repeated bytes the mark must have taken away (unmarked minus marked) for Up.</summary>
    public const double UpFromShareTaken = 0.08;

    /// <summary>Up for a marked frame that kept <paramref name="marked"/> of its repeated bytes after
    /// <paramref name="unmarked"/> before the mark (<see cref="RepeatedShare"/> of each), when both thresholds are met;
    /// none otherwise.</summary>
    public static Enums.ForeignPngFilter ForMarked(double unmarked, double marked) =>
        marked >= UpFromMarkedShare && unmarked - marked >= UpFromShareTaken ? Enums.ForeignPngFilter.Up : Enums.ForeignPngFilter.None;

    /// <summary>
    /// The share of 8-byte words of the frame's rows that equal the word directly above them, over every third row from
    /// the second (a third of the frame's rows, every phase of the mark's four-row chips equally often); a last part-word of
    /// a row counts as one word. 0 for a frame of one row.
    /// </summary>
    public static double RepeatedShare(PixelBuffer pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        int stride = pixels.Stride, words = stride / sizeof(ulong), tail = stride % sizeof(ulong);
        long equal = 0, total = 0;
        for (int y = 1; y < pixels.Height; y += 3)
        {
            ReadOnlySpan<byte> above = pixels.Row(y - 1), row = pixels.Row(y);
            ReadOnlySpan<ulong> a = MemoryMarshal.Cast<byte, ulong>(above[..(words * sizeof(ulong))]);
            ReadOnlySpan<ulong> b = MemoryMarshal.Cast<byte, ulong>(row[..(words * sizeof(ulong))]);
            for (int i = 0; i < a.Length; i++)
                if (a[i] == b[i]) equal++;
            total += words;
            if (tail > 0)
            {
                if (above[^tail..].SequenceEqual(row[^tail..])) equal++;
                total++;
            }
        }
        return total == 0 ? 0 : (double)equal / total;
    }
}
