using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What the embedder's squared error will be for a choice of gains, before it embeds: per mask bin, the
/// share of colour samples at each headroom below white (255 − value, 0…15, or more): every pixel of an
/// image up to 1 MP (<see cref="CountEveryPixelUpTo"/>), above that four pixels of one row in every 8 × 8
/// block (a sixteenth of the pixels, scalar but cheap, and enough blocks to average over).
/// <para>
/// The kernel keeps the whole ±d chip near white by first lowering the sample to 255 − |d|
/// (<see cref="Kernels.MarkAdd"/>), so a sample with headroom h &lt; |d| moves by +h on a positive chip and
/// by −(2|d| − h) on a negative one: up to twice the squared error of a sample in the open. On a page of
/// text on white that doubled the error the gains were chosen for (measured 39.9 dB against a 40.3 dB
/// floor); counting the headroom makes the PSNR floor hold there too. Near black the clamp only
/// removes error, so it is left out (the estimate stays an upper bound there).
/// </para>
/// </summary>
internal sealed class HeadroomSamples
{
    private const int Classes = 17;   // headroom 0…15, and 16 or more (never clipped: |d| ≤ 16)
    private readonly long[] _counts = new long[256 * Classes];
    private readonly long[] _pixels = new long[256];
    private readonly double _area;

    // The last amplitude asked of each bin and its squared delta: the PSNR bisection asks all 256 bins at
    // every step, and most bins' amplitudes do not change between steps (those below the ceiling never do).
    private readonly int[] _lastAmplitude = new int[256];
    private readonly double[] _lastSquaredDelta = new double[256];

    /// <summary>Images up to this many pixels are counted whole: the sparse sample misjudged small text
    /// pages (measured 39.84 dB on a 256 px page against the 40.3 dB floor), and there the whole count costs
    /// less than the embed's self-check.</summary>
    public const int CountEveryPixelUpTo = 1 << 20;

    public HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block)
        : this(image, bins, bw, block, skipOpenSegments: true)
    {
    }

    /// <param name="skipOpenSegments">Whether a block row's segment with no colour sample at 240 or above is
    /// counted in one add (every sample of it in the open class); off, every sample is classified one by one
    /// (the reference the fast count is tested against).</param>
    internal HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool skipOpenSegments)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands;
        _area = (double)w * h;
        bool whole = _area <= CountEveryPixelUpTo;
        // Most samples sit 16 or more levels below white, where the class is the same whatever the value, and
        // most of the rest are a white background at 255: one 8-byte test per run of samples finds both
        // (measured: the per-sample loop was most of a 1 MP embed). The segment's tail bytes are tested one by one.
        ulong colourBytes = ColourByteMask(bands, colour);
        bool skip = skipOpenSegments && colourBytes != 0;
        int bh = bins.Length / bw;
        // Row by row within each row of blocks (one row span, no divisions per block); the counts are sums,
        // so the order they are taken in does not matter.
        for (int by = 0; by < bh; by++)
        {
            int y0 = by * block, y1 = Math.Min(h, y0 + block);
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
            for (int bx = 0; bx < bw; bx++)
                _pixels[rowBins[bx]] += (Math.Min(w, bx * block + block) - bx * block) * (y1 - y0);
            int firstRow = whole ? y0 : Math.Min(h - 1, y0 + block / 2 - 1), lastRow = whole ? y1 : firstRow + 1;
            for (int y = firstRow; y < lastRow; y++)
            {
                ReadOnlySpan<byte> row = image.Row(y);
                for (int bx = 0; bx < bw; bx++)
                {
                    int x0 = bx * block, x1 = Math.Min(w, x0 + block);
                    Span<long> binCounts = _counts.AsSpan(rowBins[bx] * Classes, Classes);
                    if (skip)
                    {
                        // Samples counted per row: every pixel of the segment, or every other one from x0 + 1.
                        int only = Classify(row.Slice(x0 * bands, (x1 - x0) * bands), colourBytes, bands, colour);
                        if (only >= 0)
                        {
                            binCounts[only] += (long)(whole ? x1 - x0 : (x1 - x0) / 2) * colour;
                            continue;
                        }
                    }
                    for (int x = whole ? x0 : x0 + 1; x < x1; x += whole ? 1 : 2)
                        for (int c = 0; c < colour; c++)
                            binCounts[Math.Min(Classes - 1, 255 - row[x * bands + c])]++;
                }
            }
        }
    }

    /// <summary>The per-bin, per-headroom-class sample counts (256 × 17, bin-major).</summary>
    internal ReadOnlySpan<long> Counts => _counts;

    /// <summary>Per byte of an 8-byte run starting at a pixel boundary: 0x80 where the byte is a colour sample.
    /// Defined for band counts dividing 8 (1, 2, 4) and for all-colour pixels; 0 otherwise (no fast path).</summary>
    private static ulong ColourByteMask(int bands, int colour)
    {
        if (colour == bands) return 0x8080808080808080UL;
        if (8 % bands != 0) return 0;
        ulong m = 0;
        for (int k = 0; k < 8; k++) if (k % bands < colour) m |= 0x80UL << (8 * k);
        return m;
    }

    /// <summary>The one headroom class every colour sample of the segment (which starts at a pixel and a multiple
    /// of 8 bytes from the row's start) falls in, when there is one the test sees: the open class (none is 240 or
    /// more) or class 0 (all are 255, a white background); −1 otherwise. A byte is ≥ 240 when its top four bits
    /// are set: bit 7 of x ∧ (x ≪ 1) ∧ (x ≪ 2) ∧ (x ≪ 3) is that byte's bits 7-4 (the shifts carry bits across
    /// bytes only into bit positions below 4, which the mask drops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Classify(ReadOnlySpan<byte> segment, ulong colourBytes, int bands, int colour)
    {
        // Every bit of each colour byte, for the all-white test.
        ulong colourWhole = (colourBytes >> 7) * 0xFF;
        bool anyNear = false, allWhite = true;
        int i = 0;
        for (; i + 8 <= segment.Length; i += 8)
        {
            ulong x = BinaryPrimitives.ReadUInt64LittleEndian(segment[i..]);
            anyNear |= (x & (x << 1) & (x << 2) & (x << 3) & colourBytes) != 0;
            allWhite &= (x & colourWhole) == colourWhole;
        }
        for (; i < segment.Length; i++)
        {
            if (i % bands >= colour) continue;
            anyNear |= 255 - segment[i] < Classes - 1;
            allWhite &= segment[i] == 255;
        }
        return !anyNear ? Classes - 1 : allWhite ? 0 : -1;
    }

    /// <summary>The expected mean squared delta per colour sample when bin b gets gain
    /// <paramref name="gainOfBin"/>(b), the kernel's delta being d = round(±127 · gain / 256).</summary>
    public double MeanSquaredDelta(Func<int, byte> gainOfBin)
    {
        double sq = 0;
        for (int bin = 0; bin < 256; bin++) sq += SquaredDelta(bin, gainOfBin(bin));
        return sq / _area;
    }

    /// <summary>The expected sum of squared deltas over one bin's pixels at gain <paramref name="gain"/>,
    /// divided by the image area (the bin's share of the mean squared delta).</summary>
    public double Share(int bin, byte gain) => SquaredDelta(bin, gain) / _area;

    private double SquaredDelta(int bin, byte gain)
    {
        if (_pixels[bin] == 0) return 0;
        int d = (127 * gain + 128) >> 8;
        if (d == 0) return 0;
        if (_lastAmplitude[bin] == d) return _lastSquaredDelta[bin];
        long n = 0;
        double e = 0;
        for (int k = 0; k < Classes; k++)
        {
            long c = _counts[bin * Classes + k];
            if (c == 0) continue;
            n += c;
            // Open samples move by ±d; near white by +k or −(2d − k), each half the time.
            e += c * (k >= d ? (double)d * d : 0.5 * ((double)k * k + (2.0 * d - k) * (2.0 * d - k)));
        }
        double squared = n == 0 ? (double)d * d * _pixels[bin] : e / n * _pixels[bin];
        _lastAmplitude[bin] = d;
        _lastSquaredDelta[bin] = squared;
        return squared;
    }
}
