using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LabelStamp.Kernels;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// What the embedder's squared error will be for a choice of gains, before it embeds: per mask bin, the
/// share of colour samples at each headroom below white (255 − value, 0…15, or more): every pixel of an
/// image up to 1 MP (<see cref="CountEveryPixelUpTo"/>), above that four pixels of one row in every 8 × 8
/// block (a sixteenth of the pixels, and enough blocks to average over), both counted by the
/// <see cref="HeadroomClasses"/> kernel.
/// <para>
/// The kernel keeps the whole ±d chip near white by first lowering the sample to 255 − |d|
/// (<see cref="Kernels.MarkAdd"/>), so a sample with headroom h &lt; |d| moves by +h on a positive chip and
/// by −(2|d| − h) on a negative one: up to twice the squared error of a sample in the open. On a page of
/// text on white that doubled the error the gains were chosen for (measured 39.9 dB against a 40.3 dB
/// floor); counting the headroom makes the PSNR floor hold there too. Near black the clamp only
/// removes error, so it is left out (the estimate stays an upper bound there).
/// </para>
/// <para>
/// The count is the part that reads pixels, so it can wait (<see cref="PixelsOnly"/>): the pixels per bin alone bound
/// the counted error from both sides (<see cref="OpenMeanSquaredDelta"/>), and the embedder counts only when the
/// bounds leave a decision open, and only as many classes as its decisions can reach (<see cref="Depth"/>).
/// </para>
/// </summary>
internal sealed class HeadroomSamples
{
    private const int Classes = 17;   // headroom 0…15, and 16 or more (never clipped: |d| ≤ 16)
    private readonly long[] _counts = new long[256 * Classes];
    private readonly long[] _pixels = new long[256];
    private readonly double _area;
    private readonly long[] _classified = new long[256];
    private readonly bool _whole;
    private readonly int _bw, _block, _blocks;

    // The last amplitude asked of each bin and its squared delta: the PSNR bisection asks all 256 bins at
    // every step, and most bins' amplitudes do not change between steps (those below the ceiling never do).
    private readonly int[] _lastAmplitude = new int[256];
    private readonly double[] _lastSquaredDelta = new double[256];

    /// <summary>Images up to this many pixels are counted whole: the sparse sample misjudged small text
    /// pages (measured 39.84 dB on a 256 px page against the 40.3 dB floor), and there the whole count costs
    /// less than the embed's self-check.</summary>
    public const int CountEveryPixelUpTo = 1 << 20;

    public HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, VectorWidth width = VectorWidth.Auto)
        : this(image, bins, bw, block, perSample: false, width)
    {
    }

    /// <param name="perSample">Whether every counted sample is classified one by one (the reference the kernel
    /// count is tested against) instead of by <see cref="HeadroomClasses"/>.</param>
    /// <param name="depth">The headroom classes counted one by one (<see cref="CountClasses"/>).</param>
    internal HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool perSample, VectorWidth width = VectorWidth.Auto,
        int depth = FullDepth)
        : this(image, bins, bw, block)
    {
        if (!perSample) CountClasses(image, bins, width, depth);
        else
        {
            Depth = DepthOf(depth);
            CountPerSample(image, bins, bw, block, _whole, Depth);
            Counted = true;
        }
    }

    /// <summary>Every headroom class below 16 counted one by one: any delta's squared error is exact.</summary>
    public const int FullDepth = HeadroomClasses.Classes;

    /// <summary>The whole count of headroom 0-7 alone (<see cref="HeadroomClasses.HalfClasses"/>: half the kernel's class
    /// tests); exact for deltas up to 8 levels, since a sample at headroom k ≥ d moves by ±d wherever k lies.</summary>
    public const int HalfDepth = HeadroomClasses.HalfClasses;

    /// <summary>The classes counted one by one: under <see cref="FullDepth"/>, the largest delta (in levels) <see cref="Share"/>
    /// answers for (the full count answers every delta, as it always has: samples 16 or more below white as at 16). The
    /// sparse count above 1 MP always counts all sixteen (its kernel packs them by nibbles, at no extra cost).</summary>
    public int Depth { get; private set; } = FullDepth;

    private int DepthOf(int depth)
    {
        if (depth is not (HalfDepth or FullDepth)) throw new ArgumentOutOfRangeException(nameof(depth), $"{HalfDepth} or {FullDepth} classes");
        return _whole ? depth : FullDepth;
    }

    /// <summary>The pixels per bin alone (<see cref="PixelsIn"/>, <see cref="Holds"/>,
    /// <see cref="OpenMeanSquaredDelta"/>); the headroom classes wait for <see cref="CountClasses"/>.</summary>
    private HeadroomSamples(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block)
    {
        int w = image.Width, h = image.Height;
        _area = (double)w * h;
        _whole = _area <= CountEveryPixelUpTo;
        _bw = bw;
        _block = block;
        _blocks = bins.Length;
        if (block * image.Bands % HeadroomClasses.Group != 0)
            throw new ArgumentOutOfRangeException(nameof(block), "a block's samples must fill whole kernel groups");
        CountPixels(bins, bw, block, w, h, _whole, _classified);
    }

    /// <summary>The pixels of each bin, without the headroom count: enough for <see cref="OpenMeanSquaredDelta"/>, which
    /// bounds the counted error from both sides, and <see cref="CountClasses"/> adds the count when the bounds do not decide.</summary>
    public static HeadroomSamples PixelsOnly(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block) => new(image, bins, bw, block);

    /// <summary>Whether the headroom classes are counted (every method but the pixel counts and the open error needs them).</summary>
    public bool Counted { get; private set; }

    /// <summary>The headroom count over the same image and bins this instance was made from (the kernel's), to
    /// <paramref name="depth"/> classes (<see cref="HalfDepth"/> or <see cref="FullDepth"/>); a count already made to at
    /// least that depth stands.</summary>
    public void CountClasses(PixelBuffer image, ReadOnlySpan<byte> bins, VectorWidth width = VectorWidth.Auto, int depth = FullDepth)
    {
        depth = DepthOf(depth);
        if (Counted && Depth >= depth) return;
        if (bins.Length != _blocks) throw new ArgumentException("the bins differ from those the pixels were counted from", nameof(bins));
        if (Counted)
        {
            Array.Clear(_counts);
            Array.Clear(_lastAmplitude);
        }
        Depth = depth;
        CountByKernel(image, bins, _bw, _block, _whole, width, depth);
        // The kernel count adds only near samples; the rest of each bin's counted samples are open.
        int colour = image.ColourBands;
        for (int bin = 0; bin < 256; bin++)
        {
            long near = 0;
            for (int k = 0; k < Classes - 1; k++) near += _counts[bin * Classes + k];
            _counts[bin * Classes + Classes - 1] = _classified[bin] * colour - near;
        }
        Counted = true;
    }

    /// <summary>Pixels per bin, and per bin the pixels whose colour samples the count classifies
    /// (<paramref name="classified"/>): all of them in the whole count; in the sparse one ⌊width / 2⌋ of one row per block
    /// (<see cref="CountedRows"/>). Every block but those of the last column and row is whole (block² pixels), so those are
    /// counted per bin first and multiplied once instead of a width and a height per block; the edge blocks add their
    /// own. Integer counts: the same totals in any order.</summary>
    private void CountPixels(ReadOnlySpan<byte> bins, int bw, int block, int w, int h, bool whole, Span<long> classified)
    {
        int bh = bins.Length / bw;
        int wholeColumns = w / block, wholeRows = h / block;
        Span<int> wholeBlocks = stackalloc int[256];
        wholeBlocks.Clear();
        for (int by = 0; by < wholeRows; by++)
        {
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, wholeColumns);
            for (int bx = 0; bx < rowBins.Length; bx++) wholeBlocks[rowBins[bx]]++;
        }
        for (int bin = 0; bin < 256; bin++)
        {
            _pixels[bin] = (long)wholeBlocks[bin] * block * block;
            classified[bin] = (long)wholeBlocks[bin] * (block / 2);
        }
        for (int by = 0; by < bh; by++)
        {
            int rows = Math.Min(h, by * block + block) - by * block;
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
            for (int bx = by < wholeRows ? wholeColumns : 0; bx < bw; bx++)
            {
                int columns = Math.Min(w, bx * block + block) - bx * block;
                _pixels[rowBins[bx]] += columns * rows;
                classified[rowBins[bx]] += columns / 2;
            }
        }
        if (whole) _pixels.CopyTo(classified);
    }

    /// <summary>The rows counted for block row by: all of them up to 1 MP, above that its fourth row.</summary>
    private static (int First, int End) CountedRows(int by, int block, int h, bool whole)
    {
        int y0 = by * block, y1 = Math.Min(h, y0 + block);
        int first = whole ? y0 : Math.Min(h - 1, y0 + block / 2 - 1);
        return (first, whole ? y1 : first + 1);
    }

    /// <summary>One <see cref="HeadroomClasses"/> call per row of blocks over its counted rows (every colour sample
    /// up to 1 MP; above, every other pixel of one row, from each block's second pixel on), then per block holding a group
    /// the kernel flagged near white the sum of its groups' class counts. The open class (16 or more below white) is not
    /// counted here but taken as the rest of each bin's counted samples at the end, so the blocks with nothing at 240 or
    /// above, most of a photo, cost a vector scan of the flags (<see cref="NextNearBlock"/>) and a row without any
    /// nothing (measured: a 512² photo's whole count 0.066 → 0.055 ms, a 1080p photo's sparse one 0.45 → 0.35).</summary>
    private void CountByKernel(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool whole, VectorWidth width, int depth)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, stride = image.Stride;
        int groups = (stride + HeadroomClasses.Group - 1) / HeadroomClasses.Group, bh = bins.Length / bw;
        int perBlock = block * bands / HeadroomClasses.Group;
        byte[] counted = ArrayPool<byte>.Shared.Rent(stride);
        ulong[] low = ArrayPool<ulong>.Shared.Rent(groups), high = ArrayPool<ulong>.Shared.Rent(groups);
        byte[] near = ArrayPool<byte>.Shared.Rent(groups);
        Span<ulong> lanes = stackalloc ulong[4 * 256];
        lanes.Clear();
        Span<int> room = stackalloc int[256];
        room.Fill(ushort.MaxValue);
        try
        {
            for (int x = 0; x < w; x++)
                for (int c = 0; c < bands; c++)
                    counted[x * bands + c] = c < colour && (whole || x % 2 == 1) ? (byte)0xFF : (byte)0;
            ReadOnlySpan<byte> flags = near.AsSpan(0, groups);
            for (int by = 0; by < bh; by++)
            {
                var (first, end) = CountedRows(by, block, h, whole);
                ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
                if (!whole)
                {
                    if (HeadroomClasses.CountRow(image.Row(first), stride, counted.AsSpan(0, stride), low.AsSpan(0, groups),
                            near.AsSpan(0, groups), width))
                        AddSparseRow(rowBins, low, flags, perBlock, lanes, room);
                    continue;
                }
                if (!HeadroomClasses.Count(image.Data.AsSpan(first * stride), stride, end - first, stride, counted.AsSpan(0, stride),
                        low.AsSpan(0, groups), high.AsSpan(0, groups), near.AsSpan(0, groups), width, depth))
                    continue;
                for (int bx = NextNearBlock(flags, 0, perBlock); bx >= 0; bx = NextNearBlock(flags, bx + 1, perBlock))
                {
                    int bin = rowBins[bx], g0 = bx * perBlock, g1 = Math.Min(groups, g0 + perBlock);
                    // The block's classes, bytewise: the sum of its near groups' packed counts (no byte carries).
                    ulong l = 0, u = 0;
                    for (int g = g0; g < g1; g++)
                        if (near[g] != 0) { l += low[g]; u += high[g]; }
                    if (u == 0 && l <= 0xFF)
                    {
                        // Near samples all at 255 (a white background): class 0 alone.
                        _counts[bin * Classes] += (long)l;
                        continue;
                    }
                    // All sixteen classes' bytes summed at once (≤ 192 near samples per block: no carry out of the top byte).
                    int nearCount = (int)((l + u) * 0x0101010101010101UL >> 56);
                    // Added per bin in 16-bit lanes, two classes' bytes apart, instead of sixteen unpacked adds per block
                    // (measured: that unpacking was a third to a half of an 8 MP near-white count); a bin's lanes go into the
                    // counts before they could pass 65,535.
                    if (room[bin] < nearCount) Flush(lanes, room, bin, whole);
                    room[bin] -= nearCount;
                    ref ulong acc = ref lanes[4 * bin];
                    acc += l & EvenBytes;
                    Unsafe.Add(ref acc, 1) += (l >> 8) & EvenBytes;
                    Unsafe.Add(ref acc, 2) += u & EvenBytes;
                    Unsafe.Add(ref acc, 3) += (u >> 8) & EvenBytes;
                }
            }
            for (int bin = 0; bin < 256; bin++) Flush(lanes, room, bin, whole);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counted);
            ArrayPool<ulong>.Shared.Return(low);
            ArrayPool<ulong>.Shared.Return(high);
            ArrayPool<byte>.Shared.Return(near);
        }
    }

    /// <summary>The first block from <paramref name="bx"/> on with a group flagged near (a block's groups are
    /// <paramref name="perBlock"/> whole ones, the last block's possibly fewer), or −1. The next eight flags are read as
    /// one word first: on a bright picture most blocks are near, and a search call per block cost more than the loop
    /// it skips.</summary>
    private static int NextNearBlock(ReadOnlySpan<byte> near, int bx, int perBlock)
    {
        int from = bx * perBlock;
        if (BitConverter.IsLittleEndian && from + sizeof(ulong) <= near.Length)
        {
            ulong eight = MemoryMarshal.Read<ulong>(near[from..]);
            if (eight != 0) return (from + BitOperations.TrailingZeroCount(eight) / 8) / perBlock;
            from += sizeof(ulong);
        }
        if (from >= near.Length) return -1;
        int g = near[from..].IndexOfAnyExcept((byte)0);
        return g < 0 ? -1 : (from + g) / perBlock;
    }

    /// <summary>Even bytes of a ulong: four 16-bit lanes holding one byte each.</summary>
    private const ulong EvenBytes = 0x00FF00FF00FF00FFUL;

    /// <summary>Nibbles 4j + r of a ulong for word r: four 16-bit lanes holding one nibble each.</summary>
    private const ulong FourthNibbles = 0x000F000F000F000FUL;

    /// <summary>The sparse count's blocks of one row of blocks that hold a near group (<see cref="HeadroomClasses.CountRow"/>:
    /// a group's word holds the count of value 240 + t in nibble t), added per bin as in the whole count: a block's near
    /// groups summed (≤ 12 counted samples, so no nibble carries), class 0 alone for white, else the nibbles in 16-bit lanes.</summary>
    private void AddSparseRow(ReadOnlySpan<byte> rowBins, ulong[] nibbles, ReadOnlySpan<byte> near, int perBlock, Span<ulong> lanes, Span<int> room)
    {
        for (int bx = NextNearBlock(near, 0, perBlock); bx >= 0; bx = NextNearBlock(near, bx + 1, perBlock))
        {
            int bin = rowBins[bx], g0 = bx * perBlock, g1 = Math.Min(near.Length, g0 + perBlock);
            ulong word = 0;
            for (int g = g0; g < g1; g++)
                if (near[g] != 0) word += nibbles[g];
            if ((word & 0x0FFF_FFFF_FFFF_FFFFUL) == 0)
            {
                // Value 255 alone (a white background): class 0 alone.
                _counts[bin * Classes] += (long)(word >> 60);
                continue;
            }
            int nearCount = (int)((((word & 0x0F0F0F0F0F0F0F0FUL) + ((word >> 4) & 0x0F0F0F0F0F0F0F0FUL)) * 0x0101010101010101UL) >> 56);
            if (room[bin] < nearCount) Flush(lanes, room, bin, whole: false);
            room[bin] -= nearCount;
            ref ulong acc = ref lanes[4 * bin];
            acc += word & FourthNibbles;
            Unsafe.Add(ref acc, 1) += (word >> 4) & FourthNibbles;
            Unsafe.Add(ref acc, 2) += (word >> 8) & FourthNibbles;
            Unsafe.Add(ref acc, 3) += (word >> 12) & FourthNibbles;
        }
    }

    /// <summary>A bin's four words of 16-bit lanes into its counts. Whole count: word r, lane j holds class
    /// 2j + (r &amp; 1) + 8 (r &gt;&gt; 1) (even and odd bytes of the low and high words); sparse count: nibble 4j + r, value
    /// 240 + 4j + r, class 15 − 4j − r.</summary>
    private void Flush(Span<ulong> lanes, Span<int> room, int bin, bool whole)
    {
        room[bin] = ushort.MaxValue;
        for (int word = 0; word < 4; word++)
        {
            ulong v = lanes[4 * bin + word];
            if (v == 0) continue;
            lanes[4 * bin + word] = 0;
            for (int j = 0; j < 4; j++)
            {
                int k = whole ? 2 * j + (word & 1) + 8 * (word >> 1) : Classes - 2 - 4 * j - word;
                _counts[bin * Classes + k] += (long)((v >> (16 * j)) & 0xFFFF);
            }
        }
    }

    private void CountPerSample(PixelBuffer image, ReadOnlySpan<byte> bins, int bw, int block, bool whole, int depth)
    {
        int w = image.Width, h = image.Height, bands = image.Bands, colour = image.ColourBands, bh = bins.Length / bw;
        for (int by = 0; by < bh; by++)
        {
            var (first, end) = CountedRows(by, block, h, whole);
            ReadOnlySpan<byte> rowBins = bins.Slice(by * bw, bw);
            for (int y = first; y < end; y++)
            {
                ReadOnlySpan<byte> row = image.Row(y);
                for (int bx = 0; bx < bw; bx++)
                {
                    int x0 = bx * block, x1 = Math.Min(w, x0 + block);
                    Span<long> binCounts = _counts.AsSpan(rowBins[bx] * Classes, Classes);
                    for (int x = whole ? x0 : x0 + 1; x < x1; x += whole ? 1 : 2)
                        for (int c = 0; c < colour; c++)
                        {
                            int k = 255 - row[x * bands + c];
                            binCounts[k < depth ? k : Classes - 1]++;
                        }
                }
            }
        }
    }

    /// <summary>The pixels of the blocks in mask bin b.</summary>
    internal long PixelsIn(int bin) => _pixels[bin];

    /// <summary>The per-bin, per-headroom-class sample counts (256 × 17, bin-major).</summary>
    internal ReadOnlySpan<long> Counts => _counts;

    /// <summary>The expected mean squared delta per colour sample when bin b gets gain
    /// <paramref name="gainOfBin"/>(b), the kernel's delta being d = round(±127 · gain / 256).</summary>
    public double MeanSquaredDelta(Func<int, byte> gainOfBin)
    {
        double sq = 0;
        for (int bin = 0; bin < 256; bin++) sq += SquaredDelta(bin, gainOfBin(bin));
        return sq / _area;
    }

    /// <summary><see cref="MeanSquaredDelta(Func{int, byte})"/> for the embedder's gains under a ceiling
    /// (<see cref="ImageMarkEmbedder.GainOf(double, double)"/> of each bin's own amplitude), summed over the bins that
    /// hold pixels (<paramref name="occupied"/>, ascending): the others add exactly 0, so the sum is the same double.</summary>
    public double MeanSquaredDelta(double ceiling, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied)
    {
        double sq = 0;
        foreach (byte bin in occupied) sq += SquaredDelta(bin, ImageMarkEmbedder.GainOf(ceiling, own[bin]));
        return sq / _area;
    }

    /// <summary>
    /// The mean squared delta with every sample in the open (each bin's pixels × d²), from the pixel counts alone: a
    /// sample moves by ±d in the open and, at headroom k &lt; d, by +k or −(2d − k), an expected d² + (d − k)², between d²
    /// and 2d²; so the counted <see cref="MeanSquaredDelta(double, ReadOnlySpan{double}, ReadOnlySpan{byte})"/> lies
    /// between this and twice this. In floating point too: the same sum over the same bins in the same order, every
    /// counted term an exact integer or half divided and multiplied once, so no counted term is below its open one nor
    /// above twice it, and doubling is exact.
    /// </summary>
    public double OpenMeanSquaredDelta(double ceiling, ReadOnlySpan<double> own, ReadOnlySpan<byte> occupied)
    {
        Span<byte> ownGain = stackalloc byte[256];
        ImageMarkEmbedder.OwnGains(own, occupied, ownGain);
        return OpenMeanSquaredDeltaAtCap(ImageMarkEmbedder.GainOf(ceiling, double.PositiveInfinity), ownGain, occupied);
    }

    /// <summary><see cref="OpenMeanSquaredDelta"/> for the gains under one rounded ceiling, <paramref name="cap"/> =
    /// <see cref="ImageMarkEmbedder.GainOf(double, double)"/>(ceiling, ∞), with <paramref name="ownGain"/>[b] =
    /// GainOf(∞, own[b]) made once: a bin's gain under a ceiling is the smaller of the two (rounding is monotone), so the
    /// same terms in the same order, the same double.</summary>
    public double OpenMeanSquaredDeltaAtCap(int cap, ReadOnlySpan<byte> ownGain, ReadOnlySpan<byte> occupied)
    {
        double sq = 0;
        foreach (byte bin in occupied)
        {
            int d = (127 * Math.Min(cap, ownGain[bin]) + 128) >> 8;
            sq += (double)d * d * _pixels[bin];
        }
        return sq / _area;
    }

    /// <summary>Whether any pixel of the image is in mask bin b.</summary>
    public bool Holds(int bin) => _pixels[bin] != 0;

    /// <summary>The expected sum of squared deltas over one bin's pixels at gain <paramref name="gain"/>,
    /// divided by the image area (the bin's share of the mean squared delta).</summary>
    public double Share(int bin, byte gain) => SquaredDelta(bin, gain) / _area;

    private double SquaredDelta(int bin, byte gain)
    {
        if (_pixels[bin] == 0) return 0;
        int d = (127 * gain + 128) >> 8;
        if (d == 0) return 0;
        if (!Counted) throw new InvalidOperationException("the headroom classes are not counted yet (CountClasses)");
        if (Depth < FullDepth && d > Depth)
            throw new InvalidOperationException($"a delta of {d} levels needs the headroom classes below {d}; {Depth} are counted");
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
