using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LabelStamp.Kernels;
using LabelStamp.Kernels.Fft;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;
using LabelStamp.Media.Images;

namespace LabelStamp.Marks.Image;

/// <summary>
/// Finds the keyed periodic tile (docs/watermark.md): luma → high-pass whitening → the untouched geometry (scale 1,
/// no rotation) first, and when it does not decode → autocorrelation by
/// FFT, whose lattice of peaks gives the tile's two period vectors (scale, rotation, even shear) →
/// fold the image modulo the lattice into one 256 × 256 tile (evidence adds up over every tile) →
/// circular cross-correlation with the keyed sync pattern gives the crop offset → soft bits → Viterbi
/// → CRC-32 and the key nibble. At most <see cref="MaxCandidates"/> decodes are tried per image, so the
/// false-positive probability of an ID is at most 17 · 2⁻³⁶ ≈ 2.47e-10 per image under 512 px a side and
/// 13 · 2⁻³⁶ ≈ 1.89e-10 from 512 (<see cref="CandidatesFor"/>; ≤ 1e-9, spec §5),
/// whatever the image. The sync search also gives the zero-bit tier (is this key's mark present at
/// all?): its statistic and bound are <see cref="ImageMarkSync"/>'s, over at most
/// <see cref="MaxOrientedFolds"/> oriented folds × 65,536 offsets (<see cref="OrientedFoldsFor"/>: fewer above
/// 1,100 px, where the rotation sweep never runs) and the <see cref="ChipFoldOffsets"/> offsets of the chip-mean folds.
/// </summary>
public static class ImageMarkDetector
{
    /// <summary>Decodes tried at most per image: the untouched pixel fold at the image origin's offset (<see cref="OriginDecodes"/>),
    /// then two sync peaks of each of six folds (the untouched geometry in pixels, tried first, and in chip means, the lattice
    /// found, the best binned lattice, the best swept rotation, the 2 × 2 level), and under two periods a side two more of the
    /// untouched fold high-passed again and two of its chips limited (<see cref="SmallImageDecodes"/>), whichever are
    /// reached; the ID bound is 17 · 2⁻³⁶ ≈ 2.47e-10.</summary>
    public const int MaxCandidates = 17;
    /// <summary>The decode at the origin's offset (<see cref="DecodeAtOrigin"/>), tried before any sync search.</summary>
    public const int OriginDecodes = 1;
    /// <summary>The decodes only an image under <see cref="FilteredMaxSide"/> may add: the filtered fold's two peaks
    /// and the limited chips' two (<see cref="DecodeFiltered"/>, <see cref="DecodeLimited"/>).</summary>
    public const int SmallImageDecodes = 4;

    /// <summary>Decodes a w × h image may try: <see cref="MaxCandidates"/> under two periods a side, where the
    /// filtered fold's two decodes can run, and 13 otherwise (the origin's decode and the 12 of the search before the
    /// filtered fold), so after the origin's decode the search from 512 px is the one it was, decode for decode.</summary>
    public static int CandidatesFor(int w, int h) =>
        Math.Min(w, h) < FilteredMaxSide ? MaxCandidates : MaxCandidates - SmallImageDecodes;
    public const int MinimumSide = 256;
    /// <summary>Pixel folds examined at most per image (as folded and mirrored): two geometries (the lattice found,
    /// the untouched one) at each of two pyramid levels, the binned lattice candidates at full resolution with the
    /// best one folded again in full, and the rotation sweep's full folds around its best angle. The chip-mean
    /// fold is counted apart (<see cref="ChipFoldOffsets"/>), and so are the sweep's one-orientation checks
    /// (<see cref="RotationChecks"/>).</summary>
    public const int MaxFolds = 5 + BinnedCandidates + RotationRefolds;
    /// <summary>The untouched geometry in chip means (<see cref="ImageMarkChipFold"/>): at most two folds per image
    /// (the pixel peak's chip phase and the origin's), as folded only.</summary>
    public const int MaxChipFolds = 2;
    /// <summary>The chip-mean folds' 64 × 64 chip offsets each, added to the presence bound's count.</summary>
    public const int ChipFoldOffsets = MaxChipFolds * ImageMarkLayout.ChipsPerSide * ImageMarkLayout.ChipsPerSide;
    /// <summary>Each fold is searched as folded and mirrored (a horizontal flip), the rotation sweep's check folds
    /// as folded only: the oriented folds counted in the presence bound, whatever the image.</summary>
    public const int MaxOrientedFolds = 2 * MaxFolds + RotationChecks + 2 * FilteredFolds;
    /// <summary>The untouched pixel fold high-passed again (<see cref="FoldHighPass"/>), as folded and mirrored: one
    /// fold, examined only on images whose short side is under <see cref="FilteredMaxSide"/>.</summary>
    public const int FilteredFolds = 1;
    /// <summary>Short sides under this get the filtered fold: the embedder's small images (two periods,
    /// <see cref="PerceptualMask.SmallImageSide"/>), whose flat areas carry the doubled gain.</summary>
    public const int FilteredMaxSide = PerceptualMask.SmallImageSide;

    /// <summary>The oriented folds a w × h image can be searched with: every one of <see cref="MaxOrientedFolds"/>
    /// when the rotation sweep may run (short side ≤ 1,100 px), without the sweep's checks and refolds otherwise. It
    /// depends on the size alone, never on what the search met, so the presence bound over it holds for any content
    /// (a large image keeps the threshold it had before the sweep: T ≥ 8.36 instead of 8.47).</summary>
    public static int OrientedFoldsFor(int w, int h) =>
        Math.Min(w, h) < FilteredMaxSide ? MaxOrientedFolds
        : Math.Min(w, h) <= RotationSweepMaxSide ? MaxOrientedFolds - 2 * FilteredFolds
        : 2 * (MaxFolds - RotationRefolds);
    /// <summary>Lattice vectors are searched within this angle of the axes (spec §5: rotations up to ±10°).</summary>
    public const double MaxRotationDegrees = 10.5;
    private const int P = ImageMarkLayout.Period;
    /// <summary>Fold at most this many periods across: bounds the time and the drift from a sub-pixel
    /// error in the estimated period (0.05 px per period stays under half a chip over ±4 periods).</summary>
    private const int FoldPeriods = 8;
    /// <summary>Side of the region whose autocorrelation finds the lattice (3 periods: the peaks at one
    /// period keep ≥ 2/3 overlap).</summary>
    private const int MaxAutocorrelationSide = 768;
    /// <summary>Frequencies whose power exceeds this multiple of the mean are removed before the
    /// autocorrelation (<see cref="FftPlan2D.Autocorrelate"/>): a periodic host (scan lines, halftone,
    /// tiled texture) otherwise rings over every lag and hides the tile's lattice. 4 was measured best
    /// of 4, 8 and 16 on a scan-line illustration resized 0.9× (8 and 16 found the host's period).</summary>
    private const float NotchAbove = 4f;
    /// <summary>Side of the central region that is whitened and folded at most (8 periods + borders).</summary>
    private const int AnalysedSide = FoldPeriods * P + 2;

    /// <summary>The ID tier alone: the declared mark, or null.</summary>
    public static ImageMarkDetection? Detect(PixelBuffer image, MarkKey key) => Read(image, key).Detection;

    /// <summary>Both tiers: the decoded mark ID when one is declared, and the zero-bit presence
    /// statistic with its false-positive bound (<see cref="ImageMarkVerdict"/>).</summary>
    public static ImageMarkVerdict Read(PixelBuffer image, MarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(image, ImageMarkKeyMaterial.For(key));
    }

    /// <summary><see cref="Read(PixelBuffer, MarkKey)"/> with the key's layout and spectra made beforehand.</summary>
    internal static ImageMarkVerdict Read(PixelBuffer image, ImageMarkKeyMaterial keyMaterial) => Read(image, keyMaterial, out _);

    /// <summary><see cref="Read(PixelBuffer, ImageMarkKeyMaterial)"/>, also giving the number of autocorrelations the read
    /// computed (lattice searches, full resolution and binned): a read that decides at the untouched geometry computes none.</summary>
    internal static ImageMarkVerdict Read(PixelBuffer image, ImageMarkKeyMaterial keyMaterial, out int autocorrelations)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keyMaterial);
        autocorrelations = 0;
        int w = image.Width, h = image.Height;
        if (Math.Min(w, h) < MinimumSide) return ImageMarkVerdict.Nothing;

        var search = new Search(keyMaterial, CandidatesFor(w, h));
        try
        {
            var verdict = ReadSearched(image, search, w, h);
            autocorrelations = search.Autocorrelations;
            return verdict;
        }
        finally
        {
            search.ReturnPlanes();
        }
    }

    /// <summary>The body of <see cref="Read(PixelBuffer, ImageMarkKeyMaterial)"/>, with the search whose planes it returns.</summary>
    private static ImageMarkVerdict ReadSearched(PixelBuffer image, Search search, int w, int h)
    {
        // Only the central region the search reads is ever converted to luma (AnalysedSide plus a
        // one-pixel border at full size, twice that for the 2 × 2 level), so the detector's memory is
        // bounded whatever the image (with the whitened plane: ≤ 34 MB at level 0, ≤ 85 MB at level 1).
        ImageMarkDetection? found;
        {
            int lw = Math.Min(w, AnalysedSide + 2), lh = Math.Min(h, AnalysedSide + 2);
            int lx0 = (w - lw) / 2, ly0 = (h - lh) / 2;
            float[] luma = ArrayPool<float>.Shared.Rent(lw * lh);
            try
            {
                Luma(image, luma, lx0, ly0, lw, lh);
                // Level 0 handles scales up to ~2× at a 512 window; level 1 (2 × 2 box average) handles
                // upscaled images whose period no longer fits the autocorrelation window.
                found = DetectAt(luma, lw, lh, 1.0, lx0, ly0, search);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(luma);
            }
        }
        if (found is null && Math.Min(w, h) / 2 >= MinimumSide)
        {
            // Even crop origin: the 2 × 2 cells fall where they fall in the whole image.
            int cw = Math.Min(w & ~1, 2 * (AnalysedSide + 2)), ch = Math.Min(h & ~1, 2 * (AnalysedSide + 2));
            int cx0 = (w - cw) / 2 & ~1, cy0 = (h - ch) / 2 & ~1;
            float[] luma = ArrayPool<float>.Shared.Rent(cw * ch);
            try
            {
                Luma(image, luma, cx0, cy0, cw, ch);
                int w2 = cw / 2, h2 = ch / 2;
                Bin2x2(luma, cw, h2, luma, 0.25f);   // in place: each cell is written after it was read
                found = DetectAt(luma, w2, h2, 2.0, cx0 / 2, cy0 / 2, search);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(luma);
            }
        }
        int oriented = OrientedFoldsFor(w, h);
        return new ImageMarkVerdict(found, search.BestStatistic,
            ImageMarkSync.PresenceBound(search.BestStatistic, oriented, ChipFoldOffsets), oriented);
    }

    /// <summary>
    /// The embedder's self-check: does <paramref name="payload"/> read back from freshly marked pixels at
    /// the untouched geometry (scale 1, no rotation, the central region the detector folds)? The detector
    /// always tries that geometry, so a mark that fails here is not read from the file either (text on
    /// white, whose glyph edges drown the flat-area chips, is the measured case). Only the central
    /// region's luma is computed, and no lattice is searched: a fraction of a full read.
    /// </summary>
    public static bool ReadsBack(PixelBuffer image, MarkKey key, MarkPayload payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadsBack(image, ImageMarkKeyMaterial.For(key), payload);
    }

    /// <summary><see cref="ReadsBack(PixelBuffer, MarkKey, MarkPayload)"/> with the key's layout and spectra made beforehand.</summary>
    internal static bool ReadsBack(PixelBuffer image, ImageMarkKeyMaterial keyMaterial, MarkPayload payload) =>
        SelfCheck(image, keyMaterial, payload).Reads;

    /// <summary><see cref="ReadsBack(PixelBuffer, ImageMarkKeyMaterial, MarkPayload)"/> with what its read had to spare: the
    /// same search and the same answer (<see cref="MarkMargin.Reads"/>), plus the decoded peak's sync statistic and the
    /// decode's raw bit errors.</summary>
    internal static MarkMargin SelfCheck(PixelBuffer image, ImageMarkKeyMaterial keyMaterial, MarkPayload payload)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(keyMaterial);
        if (Math.Min(image.Width, image.Height) < MinimumSide) return new MarkMargin(false, 0, null);
        int w = Math.Min(image.Width, AnalysedSide + 2), h = Math.Min(image.Height, AnalysedSide + 2);
        int x0 = (image.Width - w) / 2, y0 = (image.Height - h) / 2;
        // The planes come from this thread's SelfCheckScratch: allocated per call they were most of a small
        // image's stamp allocations and set off gen-2 collections. Not the shared pool: it would keep a large
        // image's planes (rounded up to 2^23 floats, 67 MB together) alive through the encode that follows,
        // where a collection could not give them back (StampMemoryTests); the scratch allocates those per call.
        var scratch = SelfCheckScratch.ForThisThread();
        var search = new Search(keyMaterial, CandidatesFor(image.Width, image.Height), scratch);
        // Only an image with alpha needs the luma plane (SelfCheckFold): a large region's would be 17 MB allocated for nothing.
        float[] luma = image.HasAlpha ? scratch.Luma(w * h) : [];
        // A whitened plane only up to the kept size: above it the fold high-passes each band twice instead (SelfCheckFold).
        float[] white = w * h <= SelfCheckScratch.MaxKeptRegion ? scratch.White(w * h) : [];
        try
        {
            // The fold DecodeUntouched would make (Luma, Whiten, FoldUntouched), made in two passes over the region.
            CountFold(search);
            SelfCheckFold.Fold(image, x0, y0, w, h, luma, white, scratch.Fold);
            // What the read does first on this fold (DecodeUntouched): the origin's offset, where freshly marked pixels
            // hold their tile; only a mark that does not decode there pays for the sync search.
            if (DecodeAtOrigin(scratch.Fold, search) is { } atOrigin)
                return new MarkMargin(atOrigin.Payload == payload, atOrigin.SyncZScore, atOrigin.BitErrorsCorrected);
            var folded = Score(scratch.Fold, 1.0, untouched: true, search, search.Statistic, search.MirroredStatistic, scratch.Mirror,
                1.0, P, 0, partial: false);
            var found = DecodeFolded(folded, search, attempts: 2) ?? DecodeUntouchedAgain(w, h, search);
            return found is null
                ? new MarkMargin(false, search.BestStatistic, null)
                : new MarkMargin(found.Payload == payload, found.SyncZScore, found.BitErrorsCorrected);
        }
        finally
        {
            search.ReturnPlanes();
        }
    }

    /// <summary>What one image's search has spent and seen: decodes tried (the ID bound), folds
    /// examined (the presence bound), the best sync statistic.</summary>
    private sealed class Search
    {
        /// <param name="scratch">The self-check's kept planes, or null for planes of its own (a read: its folds outlive one another).</param>
        public Search(ImageMarkKeyMaterial keyMaterial, int maxCandidates, SelfCheckScratch? scratch = null)
        {
            MaxCandidates = maxCandidates;
            Layout = keyMaterial.Layout;
            KeyNibble = keyMaterial.KeyNibble;
            if (scratch is null)
            {
                var syncPlanes = new float[ImageMarkSync.ScratchPlanes][];
                for (int i = 0; i < syncPlanes.Length; i++) syncPlanes[i] = Plane();
                Sync = keyMaterial.Sync.WithScratch(syncPlanes);
            }
            else Sync = keyMaterial.Sync.WithScratch(scratch.SyncPlanes);
            Statistic = scratch?.Statistic ?? Plane();
            MirroredStatistic = scratch?.MirroredStatistic ?? Plane();
            SelfCheck = scratch is not null;
        }

        /// <summary>Whether this is the self-check's search (it folds the untouched geometry once and never reaches the chip means).</summary>
        public bool SelfCheck { get; }

        /// <summary>The P² planes this search took from the shared pool (<see cref="Plane"/>), returned once when it ends.</summary>
        private readonly List<float[]> _planes = new(16);

        /// <summary>
        /// A P² plane from the shared pool, held until <see cref="ReturnPlanes"/>. It holds whatever its last user left:
        /// every caller writes each sample before reading it (a statistic, a mirror, a high-pass) or clears it first
        /// (<see cref="ZeroPlane"/>). A read took 10-50 fresh 256 KB planes, each a large-object allocation zeroed by
        /// the runtime, and set off gen-2 collections (bench/WATERMARK.md, twelfth step).
        /// </summary>
        public float[] Plane()
        {
            float[] plane = ArrayPool<float>.Shared.Rent(P * P);
            if (plane.Length != P * P)
            {
                // The pool rounds up to a power of two, which P² is; a longer array would break the planes' length checks.
                ArrayPool<float>.Shared.Return(plane);
                plane = new float[P * P];
            }
            else _planes.Add(plane);
            return plane;
        }

        /// <summary><see cref="Plane"/> cleared: a fold adds into it.</summary>
        public float[] ZeroPlane()
        {
            float[] plane = Plane();
            Array.Clear(plane);
            return plane;
        }

        /// <summary>Gives every pooled plane back; nothing of this search may read them afterwards.</summary>
        public void ReturnPlanes()
        {
            foreach (float[] plane in _planes) ArrayPool<float>.Shared.Return(plane);
            _planes.Clear();
            UntouchedFold = UntouchedMirror = null;
        }

        public ImageMarkLayout Layout { get; }
        /// <summary>Decodes this image may try (<see cref="CandidatesFor"/>).</summary>
        public int MaxCandidates { get; }
        public byte KeyNibble { get; }
        public ImageMarkSync Sync { get; }
        /// <summary>Made when the chip path is reached (two 64² transforms of the key's spectra): most reads and
        /// every self-check end before it.</summary>
        public ImageMarkChipFold ChipFold => _chipFold ??= new ImageMarkChipFold(Layout);
        private ImageMarkChipFold? _chipFold;
        /// <summary>The untouched full-resolution fold's strongest sync offset (as folded, dy · P + dx), or −1:
        /// its phase modulo the chip places the chip cells of <see cref="ImageMarkChipFold"/>.</summary>
        public int UntouchedPeak = -1;
        /// <summary>The untouched full-resolution pixel fold and its mirror, kept for <see cref="DecodeFiltered"/> and
        /// <see cref="DecodeLimited"/>, or null.</summary>
        public float[]? UntouchedFold, UntouchedMirror;
        /// <summary>The sync peaks the untouched pixel fold was decoded at (tile offset, orientation).</summary>
        public readonly List<(int Dx, int Dy, bool Mirrored, double Z)> UntouchedPeaks = new(2);
        public int FilteredFolds;
        /// <summary>Autocorrelations computed (<see cref="FindLattice"/>, <see cref="FindBinnedLattices"/>): none when the
        /// untouched geometry decides.</summary>
        public int Autocorrelations;
        public int ChipFolds;
        public int Candidates;
        public int Folds;
        public int RotationChecks;
        public double BestStatistic;
        /// <summary>Statistic planes of the fold as folded and mirrored, reused fold after fold.</summary>
        public float[] Statistic { get; }
        public float[] MirroredStatistic { get; }
    }


    /// <summary>Luma of the w × h region at (x0, y0), row-major into <paramref name="luma"/>.</summary>
    internal static void Luma(PixelBuffer image, float[] luma, int x0, int y0, int w, int h)
    {
        for (int y = 0; y < h; y++) LumaOfRow(image, x0, y0 + y, luma.AsSpan(y * w, w));
        if (image.HasAlpha) FillHidden(image, luma, x0, y0, w, h);
    }

    /// <summary>Luma of image row <paramref name="y"/> from column <paramref name="x0"/>, one sample per element of
    /// <paramref name="luma"/>, before <see cref="FillHidden"/> (which an image with alpha needs after it).</summary>
    internal static void LumaOfRow(PixelBuffer image, int x0, int y, Span<float> luma)
    {
        int bands = image.Bands, r = y * image.Stride + x0 * bands;
        byte[] d = image.Data;
        // In vector lanes, the same products and sums as the scalar formula (LumaRow's tests).
        if (image.ColourBands == 3)
            LumaRow.FromColour(d.AsSpan(r, luma.Length * bands), bands, luma);
        else
            for (int x = 0; x < luma.Length; x++, r += bands) luma[x] = d[r];
    }

    /// <summary>
    /// Replaces the luma of each fully transparent pixel (alpha 0) that has a visible 8-neighbour by the mean
    /// luma of its visible neighbours. Art whose transparency is dithered (alpha 0 and 1 mixed pixel by pixel
    /// over a wallpaper) otherwise turns into salt noise between the hidden colour (often black) and the
    /// visible one, tens of levels at every pixel, which the 3 × 3 high-pass keeps and which drowns the
    /// mark (measured: two corpus crops of one such wallpaper failed even the self-check). The hidden colour
    /// is not evidence anyway: no viewer sees it and lossless WebP rewrites it on save. Larger transparent
    /// areas (no visible neighbour) keep their colour: a flat hidden colour still carries the mark there.
    /// </summary>
    private static void FillHidden(PixelBuffer image, float[] luma, int x0, int y0, int w, int h)
    {
        int bands = image.Bands, stride = image.Stride, alpha = bands - 1;
        byte[] d = image.Data;
        // near[x] ≠ 0 when column x has a visible pixel in rows y − 1 … y + 1: a hidden pixel with no visible
        // column among x − 1 … x + 1 has no visible neighbour and keeps its colour, found with three reads
        // instead of nine (large transparent areas: measured 32 ms of luma on a 4 MP transparent WebP).
        byte[] near = ArrayPool<byte>.Shared.Rent(w);
        try
        {
            for (int y = 0; y < h; y++)
            {
                int row = (y0 + y) * stride + x0 * bands + alpha;
                // Most RGBA rows hide nothing: four pixels' alpha tested at a time, and the row skipped.
                if (bands == 4 && BitConverter.IsLittleEndian && !AnyTransparent(d.AsSpan(row - alpha, w * 4))) continue;
                int up = y > 0 ? row - stride : row, down = y < h - 1 ? row + stride : row;
                for (int x = 0; x < w; x++) near[x] = (byte)(d[up + x * bands] | d[row + x * bands] | d[down + x * bands]);
                for (int x = 0; x < w; x++)
                {
                    if (d[row + x * bands] != 0) continue;
                    if ((near[Math.Max(0, x - 1)] | near[x] | near[Math.Min(w - 1, x + 1)]) == 0) continue;
                    float sum = 0; int count = 0;
                    for (int j = Math.Max(0, y - 1); j <= Math.Min(h - 1, y + 1); j++)
                    {
                        int nrow = (y0 + j) * stride + x0 * bands + alpha;
                        for (int i = Math.Max(0, x - 1); i <= Math.Min(w - 1, x + 1); i++)
                            if (d[nrow + i * bands] != 0) { sum += luma[j * w + i]; count++; }
                    }
                    if (count > 0) luma[y * w + x] = sum / count;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(near);
        }
    }

    /// <summary>Whether any pixel of an RGBA row (little-endian: alpha in each 32-bit pixel's top byte) has alpha 0.</summary>
    private static bool AnyTransparent(ReadOnlySpan<byte> rgba)
    {
        ReadOnlySpan<uint> px = MemoryMarshal.Cast<byte, uint>(rgba);
        var alphaMask = Vector128.Create(0xff000000u);
        int x = 0;
        if (Vector128.IsHardwareAccelerated)
            for (; x + 4 <= px.Length; x += 4)
                if (Vector128.EqualsAny(Vector128.Create(px.Slice(x, 4)) & alphaMask,
                    Vector128<uint>.Zero))
                    return true;
        for (; x < px.Length; x++) if ((px[x] & 0xff000000u) == 0) return true;
        return false;
    }

    /// <param name="originX">Where the plane's column 0 lies in the image (at this level): the fold works in
    /// image coordinates, so the tile phase is the image's whatever part of it the plane holds.</param>
    private static ImageMarkDetection? DetectAt(float[] luma, int w, int h, double levelScale, int originX, int originY, Search search)
    {
        float[] white = ArrayPool<float>.Shared.Rent(w * h);
        try
        {
            // Only the central FoldPeriods × FoldPeriods periods (at scale 1) are ever read: the fold at
            // scale ≤ 1 and the autocorrelation window lie inside, and an upscaled image folds fewer
            // (larger) periods from the same area. Caps the per-pixel work on large photos.
            int ww = Math.Min(w, AnalysedSide), wh = Math.Min(h, AnalysedSide);
            int wx0 = (w - ww) / 2, wy0 = (h - wh) / 2;
            Whiten(luma, w, h, white, wx0, wy0, wx0 + ww, wy0 + wh);
            var region = new Region(white, w, h, wx0, wy0, ww, wh, levelScale, originX, originY);
            if (levelScale == 1.0)
            {
                // The untouched geometry first (scale 1, no rotation: a stamped file re-encoded, stripped of its metadata
                // or cropped, what a verifier meets most), before the autocorrelation: a read that decides there never
                // pays for the lattice, 57-66 % of a marked 512-768 px read (bench/WATERMARK.md, sixteenth step). Every
                // other search follows as before, so a read that does not decide here makes the same folds and decodes
                // (the bounds count them by the image's size, not by their order); a resized copy pays the untouched
                // decodes before its lattice's.
                var untouched = DecodeUntouched(region, search);
                if (untouched is not null) return untouched;
                // A lattice the picture's own structure made (repeating texture, or an image under about two periods a
                // side, which cannot show a lag of one period) would hide the mark from the found geometry, which is why
                // the untouched geometry does not depend on it. No lattice visible (a small image holds too few tiles for
                // the autocorrelation, e.g. a 25 % crop): the searches below within the same candidate budget.
                search.Autocorrelations++;
                var lattice = FindLattice(white, w, h, AutocorrelationSize(w, h), out double lax, out double lay, out double lbx, out double lby)
                    ? Decode(region, lax, lay, lbx, lby, search, attempts: 2)
                    : null;
                // Downscaled and re-encoded (0.7× + JPEG q75): the full-resolution autocorrelation is dominated by the
                // codec's block noise and the host's fine detail, while the resampled mark lives at lower frequencies; on
                // the 2 × 2-binned plane its lattice stands out (measured: 3-5 against 9-10 × the background on a
                // 1344 × 756 copy). The lattice found may also be the host's own (a texture, or a codec's block grid after
                // a downscale) while the binned plane shows the mark's: measured on 0.7× + JPEG q75 copies of 512-768 px
                // images, where the binned search ranked the true lattice first and the full resolution one did not.
                return lattice ?? DecodeChipMeans(luma, w, region, search) ?? BinnedSearch(region, search) ?? RotationSweep(region, search);
            }
            // At the 2 × 2 level the untouched geometry is a mark embedded at twice the chip size (the video mark on a
            // 540p frame, made on its 480 × 270 half-size luma), tried when no lattice shows.
            search.Autocorrelations++;
            if (!FindLattice(white, w, h, AutocorrelationSize(w, h), out double ax, out double ay, out double bx, out double by))
                return Decode(region, P, 0, 0, P, search, attempts: 2);
            // A 2 × 2 region too short to show a lag of one period finds either a small lattice (e.g. a
            // 25 % crop of a photo: period 128 here) or a spurious one where a 2×-chip mark's period (256)
            // does not fit (measured: a 480 × 270 half-size video plane). Try both, one attempt each.
            bool shortRegion = Math.Min(MaxAutocorrelationSide, Math.Min(w, h)) - 64 < P;
            var found = Decode(region, ax, ay, bx, by, search, attempts: shortRegion ? 1 : 2);
            return found is not null || !shortRegion ? found : Decode(region, P, 0, 0, P, search, attempts: 1);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(white);
        }
    }

    /// <summary>The whitened plane of one pyramid level and the part of it that was whitened.</summary>
    private readonly record struct Region(float[] White, int W, int H, int X0, int Y0, int Width, int Height, double LevelScale, int OriginX, int OriginY);

    /// <summary>Folds the whitened plane on the lattice (a, b), scores every tile offset of the fold and of
    /// its mirror image by the normalised sync statistic (<see cref="ImageMarkSync"/>: also the presence
    /// evidence) and decodes up to <paramref name="attempts"/> of the best, counted against the image's budget.</summary>
    private static ImageMarkDetection? Decode(Region r, double ax, double ay, double bx, double by, Search search, int attempts) =>
        FoldAndScore(r, ax, ay, bx, by, search, search.Statistic, search.MirroredStatistic) is { } f
            ? DecodeFolded(f, search, attempts) : null;

    /// <summary>The untouched geometry at full resolution (scale 1, no rotation): the pixel fold, decoded first at the
    /// origin's offset (<see cref="DecodeAtOrigin"/>) and then at its best sync peaks, then on an image under two periods a
    /// side (<see cref="FilteredMaxSide"/>) the same fold high-passed again (<see cref="DecodeFiltered"/>).</summary>
    private static ImageMarkDetection? DecodeUntouched(Region r, Search search)
    {
        // The identity lattice is never degenerate: FoldOnly returns a fold.
        var fold = FoldOnly(r, P, 0, 0, P, search)!;
        return DecodeAtOrigin(fold.Fold, search)
            ?? DecodeFolded(Score(fold, r, search, search.Statistic, search.MirroredStatistic), search, attempts: 2)
            ?? DecodeUntouchedAgain(r.W, r.H, search);
    }

    /// <summary>
    /// The untouched fold decoded at offset (0, 0), before its sync statistic is searched. The fold is indexed by image
    /// coordinates, so a stamped file that was not cropped (or cropped by whole periods) holds its tile at that offset
    /// whatever else happened to it: re-encoded, stripped, relabelled — what a verifier meets most, and what the stamp's
    /// own check always meets. There the three 256² transforms of the statistic (three quarters of a 256 px self-check,
    /// bench/WATERMARK.md, twenty-fifth step) decide nothing the decode does not: the ID's evidence is the CRC-32 and key
    /// nibble, counted as one more candidate (<see cref="OriginDecodes"/>). A decode that fails changes nothing else:
    /// the search that follows makes the same folds and decodes as without it. The statistic reported with a decode here
    /// is T(0) itself (<see cref="SyncStatisticAtOrigin"/>), one of the offsets the presence bound already counts.
    /// </summary>
    private static ImageMarkDetection? DecodeAtOrigin(float[] fold, Search search)
    {
        if (search.Candidates >= search.MaxCandidates) return null;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        SoftBits(fold, search.Layout, 0, 0, soft);
        if (Declare(soft, search) is not (PayloadDecode decoded, double p)) return null;
        double z = SyncStatisticAtOrigin(fold, search.Layout);
        search.BestStatistic = Math.Max(search.BestStatistic, z);
        return new ImageMarkDetection(decoded.Payload, decoded.BitErrorsCorrected, p, z, 1.0, 0.0, 0, 0, search.Candidates);
    }

    /// <summary>
    /// One decode of <paramref name="soft"/>, counted against the image's budget: the payload and its ID bound (the CRC-32
    /// and key nibble over the candidates counted so far) when both pass and the bound is acceptable, else null. Every
    /// candidate of every path goes through here, so the bound counts them all. A bound that is not acceptable declares
    /// nothing, and a later candidate's can only be larger (it cannot happen within <see cref="MaxCandidates"/>).
    /// </summary>
    private static (PayloadDecode Decoded, double P)? Declare(ReadOnlySpan<float> soft, Search search)
    {
        search.Candidates++;
        PayloadDecode? decoded = PayloadCodec.Decode(soft);
        if (decoded is null || decoded.Payload.KeyNibble != search.KeyNibble) return null;
        double p = FalsePositiveBound.ComputeWithKeyNibble(search.Candidates);
        return FalsePositiveBound.Acceptable(p) ? (decoded, p) : null;
    }

    /// <summary>
    /// The sync statistic T(0) = c(0) / √V(0) of <see cref="ImageMarkSync"/> at offset (0, 0) alone, from the sync chips'
    /// box sums, in double: the value the transforms give there up to their rounding. No variance floor: the floor keeps
    /// the transforms' rounding noise out where V is at that noise's level, which sums taken directly do not have, and this
    /// is only taken after a decode that passed its CRC.
    /// </summary>
    internal static double SyncStatisticAtOrigin(float[] fold, ImageMarkLayout layout)
    {
        const int cps = ImageMarkLayout.ChipsPerSide, chip = ImageMarkLayout.Chip;
        double c = 0, v = 0;
        for (int i = 0; i < ImageMarkLayout.Chips; i++)
        {
            if (layout.BitOfChip[i] >= 0) continue;
            int y0 = i / cps * chip, x0 = i % cps * chip;
            double b = 0;
            for (int ky = 0; ky < chip; ky++)
                for (int kx = 0; kx < chip; kx++) b += fold[(y0 + ky) * P + x0 + kx];
            c += layout.Signs[i] * b;
            v += b * b;
        }
        return v > 0 ? c / Math.Sqrt(v) : 0;
    }

    /// <summary>What <see cref="DecodeUntouched"/> tries after the pixel fold's own decodes on a w × h plane.</summary>
    private static ImageMarkDetection? DecodeUntouchedAgain(int w, int h, Search search) =>
        Math.Min(w, h) < FilteredMaxSide ? DecodeFiltered(search) ?? DecodeLimited(search) : null;

    /// <summary>Limit of a chip's sum in <see cref="DecodeLimited"/>, in units of the rms of every chip's sum at that offset.</summary>
    private const float ChipLimitOfRms = 1f;

    /// <summary>
    /// The untouched pixel fold once more at the sync peaks it was decoded at, each chip's sum limited to ±1 × the rms
    /// of all 4,096 chip sums before they are added into soft bits. On a text page after JPEG q75 a few chips that hold a
    /// glyph's edge (and the codec's ringing around it) still stand several times above the rest after the whitening's
    /// per-block scale, and each outweighs the clean chips of its bit: limited, they count as one typical chip. Measured
    /// at the true geometry (`image-layout-oracle`, bench/WATERMARK.md, eleventh step): a 256 px text page after JPEG q75
    /// went from sync statistic 7.1 and 1 of 32 random layouts decoding to 10.5 and 31 of 32; textured images lose a
    /// little (the filtered fold reads those). Same peaks, no new fold: two decodes, nothing added to the presence bound.
    /// </summary>
    private static ImageMarkDetection? DecodeLimited(Search search)
    {
        if (search.UntouchedFold is not { } fold || search.UntouchedMirror is not { } mirror) return null;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        foreach (var (dx, dy, mirrored, z) in search.UntouchedPeaks)
        {
            if (search.Candidates >= search.MaxCandidates) break;
            LimitedSoftBits(mirrored ? mirror : fold, search.Layout, dx, dy, ChipLimitOfRms, soft);
            if (Declare(soft, search) is not (PayloadDecode decoded, double p)) continue;
            return new ImageMarkDetection(decoded.Payload, decoded.BitErrorsCorrected, p, z, 1.0, 0.0, dx, dy, search.Candidates, mirrored);
        }
        return null;
    }

    /// <summary><see cref="SoftBits"/> with every chip's sum (sync chips included in the rms) limited to ±<paramref name="limitOfRms"/> × their rms.</summary>
    internal static void LimitedSoftBits(float[] fold, ImageMarkLayout layout, int dx, int dy, float limitOfRms, Span<float> soft)
    {
        const int cps = ImageMarkLayout.ChipsPerSide, chip = ImageMarkLayout.Chip;
        Span<float> sums = stackalloc float[ImageMarkLayout.Chips];
        double sq = 0;
        for (int c = 0; c < ImageMarkLayout.Chips; c++)
        {
            int cy = c / cps, cx = c % cps;
            float s = 0;
            for (int ky = 0; ky < chip; ky++)
                for (int kx = 0; kx < chip; kx++)
                    s += fold[((cy * chip + ky + dy) & (P - 1)) * P + ((cx * chip + kx + dx) & (P - 1))];
            sums[c] = s;
            sq += (double)s * s;
        }
        float limit = (float)(limitOfRms * Math.Sqrt(sq / ImageMarkLayout.Chips));
        soft.Clear();
        for (int c = 0; c < ImageMarkLayout.Chips; c++)
        {
            int b = layout.BitOfChip[c];
            if (b >= 0) soft[b] += layout.Signs[c] * Math.Clamp(sums[c], -limit, limit);
        }
    }

    /// <summary>
    /// The untouched pixel fold minus its cyclic 3 × 3 mean (<see cref="FoldHighPass"/>), scored as folded and mirrored
    /// and decoded at its best two sync peaks. Such an image holds one or two tiles, so each coded bit rests on its
    /// 9-10 chips seen once or twice, and where the host is textured everywhere (canvas, dense photo detail, a noisy
    /// dark image) what the whitening left of it is close to white: there the chip's own high-passed shape is the
    /// better correlator than its box (measured on the corpus's 70 images of 256-384 px: bench/WATERMARK.md, eleventh
    /// step). On text and flat art the plain fold is better, so this only follows it. One fold in the presence bound
    /// (<see cref="FilteredFolds"/>, counted for every image under two periods whether or not it runs) and two decodes.
    /// </summary>
    private static ImageMarkDetection? DecodeFiltered(Search search)
    {
        if (search.UntouchedFold is not { } fold) return null;
        if (search.FilteredFolds >= FilteredFolds) throw new InvalidOperationException("the detector examined more filtered folds than its presence bound counts");
        search.FilteredFolds++;
        float[] filtered = search.Plane();
        FoldHighPass.Apply(fold, search.Plane(), filtered);
        float[] mirror = ImageMarkSync.Mirror(filtered, search.Plane());
        float[] t = search.Statistic, tm = search.MirroredStatistic;
        search.Sync.Statistics(filtered, t, tm);
        // The largest of finite values in float lanes, as in Score: the value the scalar double loop gave.
        double best = Math.Max(0.0, Math.Max(SpanMax.Of(t), SpanMax.Of(tm)));
        search.BestStatistic = Math.Max(search.BestStatistic, best);
        return DecodeFolded(new Folded(filtered, mirror, t, tm, best, 1.0, P, 0, false), search, attempts: 2);
    }

    /// <summary>One fold and its two statistic planes (as folded and mirrored), with the geometry it was folded at.</summary>
    private sealed record Folded(float[] Fold, float[] Mirror, float[] T, float[] Tm, double Best, double Scale, double Ax, double Ay, bool Partial);

    /// <summary>Folds the whitened plane on the lattice (a, b) and scores every tile offset of the fold and
    /// of its mirror image into <paramref name="t"/> and <paramref name="tm"/>; counted as one fold of the presence bound.</summary>
    /// <param name="maxSpan">Side of the central square folded at most (a candidate's check folds less than a decode).</param>
    private static Folded? FoldAndScore(Region r, double ax, double ay, double bx, double by, Search search, float[] t, float[] tm, int maxSpan = int.MaxValue) =>
        FoldOnly(r, ax, ay, bx, by, search, maxSpan) is { } fold ? Score(fold, r, search, t, tm) : null;

    /// <summary>A fold of the whitened plane on the lattice (a, b), before it is scored, with what scoring it needs.</summary>
    private sealed record RawFold(float[] Fold, bool Untouched, double Scale, double Ax, double Ay, bool Partial);

    /// <summary>The folding half of <see cref="FoldAndScore"/>, counted as one fold of the presence bound; null for a
    /// degenerate lattice.</summary>
    private static RawFold? FoldOnly(Region r, double ax, double ay, double bx, double by, Search search, int maxSpan = int.MaxValue)
    {
        // Canonical tile coordinates (u, v) of image pixel (x, y): [u v]ᵀ = P · [a b]⁻¹ [x y]ᵀ.
        double det = ax * by - bx * ay;
        if (Math.Abs(det) < 1e-6) return null;
        CountFold(search);
        double m00 = P * by / det, m01 = -P * bx / det, m10 = -P * ay / det, m11 = P * ax / det;
        double scale = Math.Sqrt(Math.Abs(det)) / P;
        int w = r.W, h = r.H;
        float[] white = r.White;

        float[] fold = search.ZeroPlane();
        double fullSpan = Math.Min(int.MaxValue, FoldPeriods * P * scale);
        int span = (int)Math.Min(fullSpan, maxSpan);
        bool partial = span < fullSpan && span < Math.Max(r.Width, r.Height);
        var (fx0, fx1, fy0, fy1) = FoldWindow(r, span);
        bool untouched = m00 == 1 && m01 == 0 && m10 == 0 && m11 == 1;
        if (untouched)
            FoldUntouched(white, w, fx0, fx1, fy0, fy1, r.OriginX, r.OriginY, fold);
        else
            FoldAnyGeometry(white, w, fx0, fx1, fy0, fy1, r.OriginX, r.OriginY, m00, m01, m10, m11, fold);
        return new RawFold(fold, untouched, scale, ax, ay, partial);
    }

    /// <summary>The scoring half of <see cref="FoldAndScore"/> for a fold of region <paramref name="r"/>.</summary>
    private static Folded Score(RawFold f, Region r, Search search, float[] t, float[] tm) =>
        Score(f.Fold, r.LevelScale, f.Untouched, search, t, tm, null, f.Scale, f.Ax, f.Ay, f.Partial);

    /// <summary>The part of region <paramref name="r"/> a fold of <paramref name="span"/> samples a side reads: the
    /// central span × span square within the whitened part, less its one-sample frame.</summary>
    private static (int X0, int X1, int Y0, int Y1) FoldWindow(Region r, int span)
    {
        int w = r.W, h = r.H;
        int fx0 = Math.Max(r.X0 + 1, (w - span) / 2), fx1 = Math.Min(Math.Min(w, r.X0 + r.Width) - 1, Math.Max(1, (w - span) / 2) + span);
        int fy0 = Math.Max(r.Y0 + 1, (h - span) / 2), fy1 = Math.Min(Math.Min(h, r.Y0 + r.Height) - 1, Math.Max(1, (h - span) / 2) + span);
        return (fx0, fx1, fy0, fy1);
    }

    /// <summary>What <see cref="FoldAndScore"/> folds of a w × h plane whitened whole at the untouched geometry (the
    /// self-check's fold, <see cref="SelfCheckFold"/>).</summary>
    internal static (int X0, int X1, int Y0, int Y1) UntouchedFoldWindow(int w, int h) =>
        FoldWindow(new Region(Array.Empty<float>(), w, h, 0, 0, w, h, 1.0, 0, 0), FoldPeriods * P);

    /// <summary>The scoring half of <see cref="FoldAndScore"/>: the fold's mirror, both statistic planes, the presence
    /// evidence and, for the untouched geometry at full resolution, what the later untouched decodes need. The mirror goes
    /// into <paramref name="mirrorPlane"/> (the self-check's kept plane) or a new plane of the search.</summary>
    private static Folded Score(float[] fold, double levelScale, bool untouched, Search search, float[] t, float[] tm, float[]? mirrorPlane,
        double scale, double ax, double ay, bool partial)
    {
        float[] mirror = ImageMarkSync.Mirror(fold, mirrorPlane ?? search.Plane());
        search.Sync.Statistics(fold, t, tm);
        // The presence evidence of this fold: its largest statistic, whatever the decode budget.
        // Taken in float lanes: the largest of finite values is the same in any order, and a float widens to a
        // double exactly, so this is the value a scalar double loop from 0 gave.
        double best = Math.Max(0.0, Math.Max(SpanMax.Of(t), SpanMax.Of(tm)));
        search.BestStatistic = Math.Max(search.BestStatistic, best);
        if (levelScale == 1.0 && untouched)
        {
            // The strongest offset places the chip-mean folds, which a self-check never reaches: a 65,536-sample scan spared.
            if (!search.SelfCheck) search.UntouchedPeak = SpanMax.FirstIndexOfMax(t);
            search.UntouchedFold = fold;
            search.UntouchedMirror = mirror;
        }
        return new Folded(fold, mirror, t, tm, best, scale * levelScale, ax, ay, partial);
    }

    /// <summary>Counts one more fold against the presence bound (<see cref="MaxFolds"/>).</summary>
    private static void CountFold(Search search)
    {
        if (search.Folds >= MaxFolds) throw new InvalidOperationException("the detector examined more folds than its presence bound counts");
        search.Folds++;
    }

    /// <summary>Decodes up to <paramref name="attempts"/> of the fold's best sync peaks, counted against the image's budget.</summary>
    private static ImageMarkDetection? DecodeFolded(Folded f, Search search, int attempts)
    {
        float[] t = f.T, tm = f.Tm, fold = f.Fold, mirror = f.Mirror;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        for (int attempt = 0; attempt < attempts && search.Candidates < search.MaxCandidates; attempt++)
        {
            // The first index of each surface's maximum in vector lanes: the scalar scan's index (SpanMax.FirstIndexOfMax).
            int best = SpanMax.FirstIndexOfMax(t), bestMirrored = SpanMax.FirstIndexOfMax(tm);
            bool mirrored = tm[bestMirrored] > t[best];
            float[] surface = mirrored ? tm : t;
            int peak = mirrored ? bestMirrored : best;
            double z = surface[peak];
            int dx = peak % P, dy = peak / P;
            for (int ky = -2; ky <= 2; ky++)          // suppress this peak (chips are 4 px wide)
                for (int kx = -2; kx <= 2; kx++) surface[((dy + ky) & (P - 1)) * P + ((dx + kx) & (P - 1))] = float.MinValue;

            SoftBits(mirrored ? mirror : fold, search.Layout, dx, dy, soft);
            if (ReferenceEquals(fold, search.UntouchedFold)) search.UntouchedPeaks.Add((dx, dy, mirrored, z));
            if (Declare(soft, search) is not (PayloadDecode decoded, double p)) continue;
            return new ImageMarkDetection(decoded.Payload, decoded.BitErrorsCorrected, p, z,
                f.Scale, Math.Atan2(f.Ay, f.Ax) * 180 / Math.PI, dx, dy, search.Candidates, mirrored);
        }
        return null;
    }

    /// <summary>
    /// The untouched geometry once more, in 4 × 4 chip means (<see cref="ImageMarkChipFold"/>): a stamped file
    /// saved again as lossy WebP keeps the chip means (its transform blocks' DC) while the pixel whitening keeps
    /// the codec's ringing. The chip cells are placed at the chip phase of the untouched pixel fold's strongest
    /// sync offset and, when that phase is not the image origin's, at the origin's too (a stamped file that was
    /// re-encoded keeps its chips on the origin's grid, while the pixel peak of a weak mark can sit a pixel off:
    /// measured on a 384 px render after JPEG q75, the peak at (1, 1) folded chip cells that straddle the chips
    /// and did not decode, the origin's decoded at 16.7 % raw errors). At most <see cref="MaxChipFolds"/> folds
    /// (their offsets counted in <see cref="ChipFoldOffsets"/>) and two decodes: the best two chip offsets over both.
    /// </summary>
    private static ImageMarkDetection? DecodeChipMeans(float[] luma, int w, Region r, Search search)
    {
        if (search.UntouchedPeak < 0) return null;
        int px = search.UntouchedPeak % P & (ImageMarkLayout.Chip - 1), py = search.UntouchedPeak / P & (ImageMarkLayout.Chip - 1);
        // Phases relative to the image origin: the region's origin is where the analysed luma starts.
        var phases = (px | py) == 0 ? new[] { (px, py) } : new[] { (px, py), (0, 0) };
        const int cps = ImageMarkLayout.ChipsPerSide;
        var folds = new List<(float[] Fold, float[] T, int Px, int Py)>(phases.Length);
        foreach (var (phx, phy) in phases)
        {
            float[]? fold = ImageMarkChipFold.Fold(luma, w, r.X0 + 1, r.Y0 + 1, r.X0 + r.Width - 1, r.Y0 + r.Height - 1,
                r.OriginX, r.OriginY, phx, phy);
            if (fold is null) continue;
            if (search.ChipFolds >= MaxChipFolds) throw new InvalidOperationException("the detector examined more chip-mean folds than its presence bound counts");
            search.ChipFolds++;
            float[] t = new float[cps * cps];
            search.ChipFold.Statistic(fold, t);
            for (int i = 0; i < t.Length; i++) search.BestStatistic = Math.Max(search.BestStatistic, t[i]);
            folds.Add((fold, t, phx, phy));
        }
        if (folds.Count == 0) return null;
        Span<float> soft = stackalloc float[PayloadCodec.CodedBits];
        for (int attempt = 0; attempt < 2 && search.Candidates < search.MaxCandidates; attempt++)
        {
            int which = 0, peak = 0;
            for (int f = 0; f < folds.Count; f++)
            {
                float[] tf = folds[f].T;
                for (int i = 0; i < tf.Length; i++) if (tf[i] > folds[which].T[peak]) { which = f; peak = i; }
            }
            var (fold, t, phx, phy) = folds[which];
            double z = t[peak];
            int dx = peak % cps, dy = peak / cps;
            for (int ky = -1; ky <= 1; ky++)          // suppress this peak: neighbouring cells share its chips' evidence
                for (int kx = -1; kx <= 1; kx++) t[((dy + ky) & (cps - 1)) * cps + ((dx + kx) & (cps - 1))] = float.MinValue;
            ImageMarkChipFold.SoftBits(fold, search.Layout, dx, dy, soft);
            if (Declare(soft, search) is not (PayloadDecode decoded, double p)) continue;
            return new ImageMarkDetection(decoded.Payload, decoded.BitErrorsCorrected, p, z, 1.0, 0.0,
                dx * ImageMarkLayout.Chip + phx, dy * ImageMarkLayout.Chip + phy, search.Candidates);
        }
        return null;
    }

    /// <summary>Adds whitened sample (x, y) of the region [x0, x1) × [y0, y1) to fold cell (⌊v⌋, ⌊u⌋) mod P, where
    /// [u v]ᵀ = M [x + originX, y + originY]ᵀ + ½ maps image pixels to canonical tile coordinates.</summary>
    /// <remarks>The cells of <see cref="FoldCells.Rows"/> rows at a time come from <see cref="FoldCells"/> (each row's u and v the
    /// running sums this loop kept, in double lanes side by side: one row's sums were a chain of dependent adds that
    /// held the loop at their latency), then each row adds its samples in order: every cell receives the same samples
    /// in the same order as <see cref="FoldAnyGeometryScalarReference"/>, so the fold is its bits.</remarks>
    internal static void FoldAnyGeometry(float[] white, int w, int x0, int x1, int y0, int y1, int originX, int originY,
        double m00, double m01, double m10, double m11, float[] fold, VectorWidth width = VectorWidth.Auto)
    {
        int count = x1 - x0;
        if (count <= 0 || y1 <= y0) return;
        const int rows = FoldCells.Rows;
        int[] cells = ArrayPool<int>.Shared.Rent(count * rows);
        try
        {
            Span<double> u0 = stackalloc double[rows], v0 = stackalloc double[rows];
            ref float f = ref MemoryMarshal.GetArrayDataReference(fold);
            if (fold.Length < P * P) throw new ArgumentException("the fold holds P² cells", nameof(fold));
            for (int yb = y0; yb < y1; yb += rows)
            {
                int inBlock = Math.Min(rows, y1 - yb);
                u0.Clear(); v0.Clear();
                for (int r = 0; r < inBlock; r++)
                {
                    int y = yb + r;
                    u0[r] = m00 * (x0 + originX) + m01 * (y + originY) + 0.5;
                    v0[r] = m10 * (x0 + originX) + m11 * (y + originY) + 0.5;
                }
                FoldCells.Indices(u0, v0, m00, m10, count, P, cells, width);
                for (int r = 0; r < inBlock; r++)
                    ScatterRow(ref f, ref cells[r], ref MemoryMarshal.GetReference(white.AsSpan((yb + r) * w + x0, count)), count);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(cells);
        }
    }

    /// <summary>
    /// fold[cell[i · Rows]] += sample[i] for i in [0, count): one row of <see cref="FoldAnyGeometry"/>'s block, the cells
    /// read at the block's row stride. Four samples per step without bounds checks (the cells come from
    /// <see cref="FoldCells.Indices"/>, each below P², which the caller has checked the fold holds); every add still
    /// happens in sample order, so two samples that land in one cell are summed as the plain loop sums them.
    /// </summary>
    private static void ScatterRow(ref float fold, ref int cells, ref float samples, int count)
    {
        const int rows = FoldCells.Rows;
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            Unsafe.Add(ref fold, Unsafe.Add(ref cells, i * rows)) += Unsafe.Add(ref samples, i);
            Unsafe.Add(ref fold, Unsafe.Add(ref cells, (i + 1) * rows)) += Unsafe.Add(ref samples, i + 1);
            Unsafe.Add(ref fold, Unsafe.Add(ref cells, (i + 2) * rows)) += Unsafe.Add(ref samples, i + 2);
            Unsafe.Add(ref fold, Unsafe.Add(ref cells, (i + 3) * rows)) += Unsafe.Add(ref samples, i + 3);
        }
        for (; i < count; i++)
            Unsafe.Add(ref fold, Unsafe.Add(ref cells, i * rows)) += Unsafe.Add(ref samples, i);
    }

    /// <summary>The fold loop <see cref="FoldAnyGeometry"/> replaced, for the tests.</summary>
    internal static void FoldAnyGeometryScalarReference(float[] white, int w, int x0, int x1, int y0, int y1, int originX, int originY,
        double m00, double m01, double m10, double m11, float[] fold)
    {
        for (int y = y0; y < y1; y++)
        {
            double u = m00 * (x0 + originX) + m01 * (y + originY) + 0.5, v = m10 * (x0 + originX) + m11 * (y + originY) + 0.5;
            int o = y * w;
            for (int x = x0; x < x1; x++, u += m00, v += m10)
                fold[(((int)Math.Floor(v)) & (P - 1)) * P + (((int)Math.Floor(u)) & (P - 1))] += white[o + x];
        }
    }

    /// <summary>
    /// The fold at the untouched geometry (a = (P, 0), b = (0, P): the embedder's self-check and the first
    /// geometry every read tries), where the general loop's two floors per sample reduce to x and y: each
    /// row adds runs of up to P samples onto one fold row, in vector lanes. Every fold cell still receives
    /// the same samples in the same order (rows downwards, then left to right), so the sums are identical to
    /// <see cref="FoldAnyGeometry"/>'s to the bit; only the per-sample index arithmetic is gone.
    /// </summary>
    internal static void FoldUntouched(float[] white, int w, int x0, int x1, int y0, int y1, int originX, int originY, float[] fold,
        VectorWidth width = VectorWidth.Auto)
    {
        Span<float> ones = stackalloc float[P];
        ones.Fill(1f);
        for (int y = y0; y < y1; y++)
        {
            Span<float> row = fold.AsSpan(((y + originY) & (P - 1)) * P, P);
            for (int x = x0, cell = (x0 + originX) & (P - 1); x < x1; cell = 0)
            {
                int n = Math.Min(P - cell, x1 - x);
                Span<float> cells = row.Slice(cell, n);
                // white · 1 + cell: the product is exact, so this is FoldAnyGeometry's cell += white.
                SpanDriver.Apply<float, MultiplyAddOperator>(white.AsSpan(y * w + x, n), ones[..n], cells, cells, width);
                x += n;
            }
        }
    }

    internal static void SoftBits(float[] fold, ImageMarkLayout layout, int dx, int dy, Span<float> soft)
    {
        soft.Clear();
        const int cps = ImageMarkLayout.ChipsPerSide, chip = ImageMarkLayout.Chip;
        for (int c = 0; c < ImageMarkLayout.Chips; c++)
        {
            int b = layout.BitOfChip[c];
            if (b < 0) continue;
            int cy = c / cps, cx = c % cps;
            float s = 0;
            for (int ky = 0; ky < chip; ky++)
                for (int kx = 0; kx < chip; kx++)
                    s += fold[((cy * chip + ky + dy) & (P - 1)) * P + ((cx * chip + kx + dx) & (P - 1))];
            soft[b] += layout.Signs[c] * s;
        }
    }

    /// <summary>Side of the blocks whose mean |residual| sets the local gain (two chips).</summary>
    internal const int NormBlock = 8;
    /// <summary>Floor of the local scale, relative to the plane's mean |residual| plus an absolute 0.3
    /// level: keeps a block that is flat after JPEG from amplifying its rounding noise without bound.</summary>
    private const float NormFloorOfMean = 0.1f, NormFloorLevels = 0.3f;
    /// <summary>Limit of a normalised sample (in units of its block's mean |residual|).</summary>
    private const float NormLimit = 2.5f;

    /// <summary>
    /// Host suppression: luma minus its 3 × 3 mean (the chips are 4 px, the host mostly smoother), then
    /// each 8 × 8 block divided by its own mean |residual| (plus a floor) and limited to ±2.5. The
    /// host's residual varies by orders of magnitude (glyph edges on a flat page, texture beside sky)
    /// while the mark's is a few levels everywhere; dividing by the local scale weighs every block by
    /// how clean its evidence is, a locally optimum detector for a Laplacian-like host, where a single
    /// global limit let edges drown flat areas (measured: text pages, docs/watermark.md).
    /// </summary>
    internal static void Whiten(float[] luma, int w, int h, float[] white, int x0, int y0, int x1, int y1)
    {
        x0 = Math.Max(1, x0); y0 = Math.Max(1, y0); x1 = Math.Min(w - 1, x1); y1 = Math.Min(h - 1, y1);
        int len = x1 - x0;
        if (len <= 0 || y1 <= y0) { Array.Clear(white, 0, w * h); return; }
        // Only the one-pixel frame around the written region is ever read besides it (the
        // autocorrelation window may reach the image border): zero that frame, not the whole plane.
        int fl = Math.Max(0, x0 - 1), fr = Math.Min(w, x1 + 1);
        white.AsSpan((y0 - 1) * w + fl, fr - fl).Clear();
        if (y1 < h) white.AsSpan(y1 * w + fl, fr - fl).Clear();
        float[] scratch = ArrayPool<float>.Shared.Rent(WhiteningScratch(len));
        try
        {
            double absSum = 0;
            for (int y = y0; y < y1; y++)
            {
                int o = y * w;
                absSum += HighPassRow(luma.AsSpan(o - w + x0 - 1, len + 2), luma.AsSpan(o + x0 - 1, len + 2),
                    luma.AsSpan(o + w + x0 - 1, len + 2), white, o, x0, x1, w, scratch);
            }
            float floor = WhiteningFloor(absSum, len, y1 - y0);
            PrepareNormalise(scratch, len);
            for (int yb = y0; yb < y1; yb += NormBlock) NormaliseBlock(white, w, x0, len, yb, Math.Min(y1, yb + NormBlock), floor, scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Floats of scratch <see cref="HighPassRow"/> and <see cref="NormaliseBlock"/> work in for rows of
    /// <paramref name="len"/> whitened samples.</summary>
    internal static int WhiteningScratch(int len) => 5 * (len + 2);

    /// <summary>The whitening's first pass over one row: white[o + x0 .. o + x1) = the 3 × 3 high-pass of the luma rows
    /// <paramref name="up"/>, <paramref name="mid"/>, <paramref name="down"/> (each from column x0 − 1, x1 − x0 + 2 long), the
    /// frame columns x0 − 1 and x1 zeroed; returns the row's Σ |residual| (the floor's evidence).</summary>
    internal static float HighPassRow(ReadOnlySpan<float> up, ReadOnlySpan<float> mid, ReadOnlySpan<float> down,
        float[] white, int o, int x0, int x1, int w, float[] scratch)
    {
        int len = x1 - x0;
        white[o + x0 - 1] = 0;
        if (x1 < w) white[o + x1] = 0;
        Span<float> row = white.AsSpan(o + x0, len);
        BoxHighPass.Row(up, mid, down, row, scratch.AsSpan(0, len + 2));
        return MagnitudeSum.Of(row);
    }

    /// <summary>The local scale's floor from the first pass's Σ |residual| over <paramref name="len"/> × <paramref name="rows"/> samples.</summary>
    internal static float WhiteningFloor(double absSum, int len, int rows) =>
        (float)(NormFloorOfMean * absSum / ((long)len * rows)) + NormFloorLevels;

    /// <summary>Fills the constant rows of the second pass (ones and the limit) in <paramref name="scratch"/>.</summary>
    internal static void PrepareNormalise(float[] scratch, int len)
    {
        scratch.AsSpan(len + 2, len).Fill(1f);
        scratch.AsSpan(4 * (len + 2), len).Fill(NormLimit);
    }

    /// <summary>The whitening's second pass over rows [yb, ye) (one band of <see cref="NormBlock"/> rows at most): each
    /// 8 × 8 block divided by its mean |residual| plus the floor and limited to ±<see cref="NormLimit"/>, in place.</summary>
    internal static void NormaliseBlock(float[] white, int w, int x0, int len, int yb, int ye, float floor, float[] scratch)
    {
        Span<float> ones = scratch.AsSpan(len + 2, len), acc = scratch.AsSpan(2 * (len + 2), len);
        Span<float> gain = scratch.AsSpan(3 * (len + 2), len), limit = scratch.AsSpan(4 * (len + 2), len);
        acc.Clear();
        for (int y = yb; y < ye; y++) BoxHighPass.AccumulateMagnitude(white.AsSpan(y * w + x0, len), ones, acc);
        for (int xb = 0; xb < len; xb += NormBlock)
        {
            int xe = Math.Min(len, xb + NormBlock);
            float s = 0;
            for (int x = xb; x < xe; x++) s += acc[x];
            gain[xb..xe].Fill(1f / (s / ((ye - yb) * (xe - xb)) + floor));
        }
        for (int y = yb; y < ye; y++) BoxHighPass.ScaleClamp(white.AsSpan(y * w + x0, len), gain, limit);
    }

    /// <summary>Side of the central square a binned candidate's check folds (≈ 3 periods at 0.7×, the whole of a
    /// 512-768 px image): bounds the checks' cost to 6 × 0.64 MP whatever the image.</summary>
    private const int CandidateFoldSpan = 800;
    /// <summary>A partial check fold is folded again in full only from this sync statistic up: the null's best of
    /// 2 × 65,536 offsets is about 4.9 and exceeds 6 with probability ≈ 2e-3 (Hoeffding, as the presence
    /// bound); on the 10 corpus images whose reads go through this path the gate changed no outcome.</summary>
    private const double CheckStatisticToRefold = 6.0;
    /// <summary>Binned lattice candidates folded and scored by the sync statistic at most.</summary>
    public const int BinnedCandidates = 6;
    /// <summary>A verified binned candidate's pair must reach this multiple of the autocorrelation's background
    /// (the single-candidate test asks 4): measured, a 0.7× + JPEG q75 copy's true lattice stood at 3.4 ×,
    /// sixth of the candidates, behind the host's own peaks at 3.7-3.8 ×.</summary>
    private const double CandidateMinRatio = 3.0;

    /// <summary>
    /// The binned lattice search at full resolution: the strongest few distinct lattice candidates of the
    /// binned autocorrelation are each folded over the central 800 px and scored by the sync statistic (the
    /// keyed evidence: a true geometry gives T of 10-25, a wrong one the null's 4-5), and only the best is
    /// decoded, folded in full when the check covered part of the plane.
    /// Every fold counts in <see cref="MaxFolds"/>, the decodes in <see cref="MaxCandidates"/>.
    /// </summary>
    private static ImageMarkDetection? BinnedSearch(Region region, Search search)
    {
        search.Autocorrelations++;
        var candidates = FindBinnedLattices(region.White, region.W, region.H, BinnedCandidates, CandidateMinRatio);
        if (candidates.Count == 0) return null;
        if (candidates.Count == 1) return Decode(region, candidates[0].Ax, candidates[0].Ay, candidates[0].Bx, candidates[0].By, search, attempts: 2);
        Folded? best = null;
        LatticeVectors bestVectors = default;
        foreach (var c in candidates)
        {
            var f = FoldAndScore(region, c.Ax, c.Ay, c.Bx, c.By, search, search.Plane(), search.Plane(), CandidateFoldSpan);
            if (f is not null && (best is null || f.Best > best.Best)) { best = f; bestVectors = c; }
        }
        if (best is null) return null;
        if (!best.Partial) return DecodeFolded(best, search, attempts: 2);
        // The check folded the central part only: decode from the whole fold (one more fold, counted), but
        // only when the check already stands out of the null (an unmarked image would otherwise pay a full
        // fold and two decodes every time).
        return best.Best < CheckStatisticToRefold
            ? null
            : Decode(region, bestVectors.Ax, bestVectors.Ay, bestVectors.Bx, bestVectors.By, search, attempts: 2);
    }

    /// <summary>
    /// For the bench's diagnosis only: up to <paramref name="count"/> lattice candidates of a whitened plane as the
    /// search ranks them (full resolution or binned 2 × 2, strongest first, no threshold), each with its score over
    /// the autocorrelation's background, so a miss can be placed (the true lattice's rank and strength).
    /// </summary>
    internal static List<(double Ax, double Ay, double Bx, double By)> RankedLattices(float[] white, int w, int h, bool binned, int count)
    {
        List<LatticeVectors> found;
        if (binned) found = FindBinnedLattices(white, w, h, count, 0.0);
        else
        {
            found = new List<LatticeVectors>(count);
            int n = AutocorrelationSize(w, h);
            using var ac = Autocorrelation(white, w, h, n);
            LatticeCandidates(ac, ac.M, (int)(MinimumPeriodShare * P), count, 0.0, found);
        }
        return found.Select(c => (c.Ax, c.Ay, c.Bx, c.By)).ToList();
    }

    /// <summary>Rotation sweep step (degrees) and its extent (±0.75° … ±10.5°, 0° being the untouched geometry).</summary>
    private const double RotationStep = 0.75;
    /// <summary>Check folds of the rotation sweep: every step but 0° in ±<see cref="MaxRotationDegrees"/>.</summary>
    public const int RotationChecks = 2 * 14;
    /// <summary>Full folds around the sweep's best angle (it and ± a third of a step).</summary>
    public const int RotationRefolds = 3;
    /// <summary>Side of the central square a rotation check folds: at a half-step angle error (0.375°) its corners
    /// move by 1.8 px, under half a chip.</summary>
    private const int RotationCheckSpan = 384;
    /// <summary>The sweep only runs on planes whose short side is at most this: above it the autocorrelation finds a
    /// rotated lattice (measured: every +10° copy from 769 px up read through it), and the sweep's fixed cost would buy nothing.</summary>
    private const int RotationSweepMaxSide = 1100;

    /// <summary>
    /// The last geometry search at full resolution: a rotation about any centre at scale 1 (a photo straightened in an
    /// editor, spec §5's ±10°), found by the keyed sync statistic rather than the autocorrelation. Measured on the
    /// corpus: +10° copies of a 512 px canvas painting and of a 768 px dithered-transparency crop fold to T = 15 and
    /// 8.5 at the true angle while their lattice is not among the autocorrelation's first 60 candidates (the host's
    /// texture and the rotated frame's black corners dominate it). Each angle in steps of 0.75° is folded over the
    /// central 384 px and scored as folded (no mirror: <see cref="RotationChecks"/> oriented folds in the presence
    /// bound); when the best check stands out of the null (T ≥ 6), that angle and ± 0.25° are folded in full and the
    /// best decoded (2 decodes).
    /// </summary>
    private static ImageMarkDetection? RotationSweep(Region region, Search search)
    {
        // The region is the central ≤ 2,050 px of the image, so this is OrientedFoldsFor's size test.
        if (Math.Min(region.Width, region.Height) > RotationSweepMaxSide) return null;
        // One fold plane for all the checks, cleared before each: 28 fresh 256 KB planes on the large-object heap
        // per unmarked read brought gen-2 collections.
        float[] t = search.Plane(), fold = search.Plane();
        double bestT = 0, bestAngle = 0;
        for (int k = 1; k <= RotationChecks / 2; k++)
            foreach (double angle in new[] { k * RotationStep, -k * RotationStep })
            {
                double c = P * Math.Cos(angle * Math.PI / 180), sn = P * Math.Sin(angle * Math.PI / 180);
                double best = CheckFold(region, c, sn, -sn, c, search, fold, t);
                if (best > bestT) { bestT = best; bestAngle = angle; }
            }
        if (bestT < CheckStatisticToRefold) return null;
        Folded? top = null;
        foreach (double angle in new[] { bestAngle, bestAngle - RotationStep / 3, bestAngle + RotationStep / 3 })
        {
            double c = P * Math.Cos(angle * Math.PI / 180), sn = P * Math.Sin(angle * Math.PI / 180);
            var f = FoldAndScore(region, c, sn, -sn, c, search, search.Plane(), search.Plane());
            if (f is not null && (top is null || f.Best > top.Best)) top = f;
        }
        return top is null ? null : DecodeFolded(top, search, attempts: 2);
    }

    /// <summary>One check fold of the rotation sweep over the central <see cref="RotationCheckSpan"/> square, scored as
    /// folded only; its best statistic (also presence evidence), counted in <see cref="RotationChecks"/>.</summary>
    private static double CheckFold(Region r, double ax, double ay, double bx, double by, Search search, float[] fold, float[] t)
    {
        if (search.RotationChecks >= RotationChecks) throw new InvalidOperationException("the detector examined more rotation checks than its presence bound counts");
        search.RotationChecks++;
        double det = ax * by - bx * ay;
        double m00 = P * by / det, m01 = -P * bx / det, m10 = -P * ay / det, m11 = P * ax / det;
        int w = r.W, h = r.H, span = RotationCheckSpan;
        int fx0 = Math.Max(r.X0 + 1, (w - span) / 2), fx1 = Math.Min(Math.Min(w, r.X0 + r.Width) - 1, Math.Max(1, (w - span) / 2) + span);
        int fy0 = Math.Max(r.Y0 + 1, (h - span) / 2), fy1 = Math.Min(Math.Min(h, r.Y0 + r.Height) - 1, Math.Max(1, (h - span) / 2) + span);
        Array.Clear(fold);
        FoldAnyGeometry(r.White, w, fx0, fx1, fy0, fy1, r.OriginX, r.OriginY, m00, m01, m10, m11, fold);
        search.Sync.Statistic(fold, t);
        double best = Math.Max(0.0, SpanMax.Of(t));
        search.BestStatistic = Math.Max(search.BestStatistic, best);
        return best;
    }

    /// <summary>A lattice candidate: the two period vectors in the plane's pixels.</summary>
    private readonly record struct LatticeVectors(double Ax, double Ay, double Bx, double By);

    /// <summary>
    /// Up to <paramref name="count"/> distinct lattice candidates of the whitened plane binned 2 × 2,
    /// strongest first, each at least <paramref name="minRatio"/> × the autocorrelation's background,
    /// returned in the plane's own pixels: a low-pass view in which a downscaled mark's period shows where the
    /// full resolution does not. Periods of 0.45-2 × the original are searched as at level 0.
    /// </summary>
    private static List<LatticeVectors> FindBinnedLattices(float[] white, int w, int h, int count, double minRatio)
    {
        var result = new List<LatticeVectors>(count);
        int w2 = w / 2, h2 = h / 2;
        if (Math.Min(w2, h2) < P / 2) return result;
        float[] binned = ArrayPool<float>.Shared.Rent(w2 * h2);
        int n = AutocorrelationSize(w2, h2);
        try
        {
            Bin2x2(white, w, h2, binned, 1f);
            using var ac = Autocorrelation(binned, w2, h2, n);
            LatticeCandidates(ac, ac.M, (int)(MinimumPeriodShare * P / 2), count, minRatio, result);
            for (int i = 0; i < result.Count; i++)
                result[i] = new LatticeVectors(2 * result[i].Ax, 2 * result[i].Ay, 2 * result[i].Bx, 2 * result[i].By);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(binned);
        }
    }

    /// <summary>The autocorrelation's three sizes, planned once (a plan is immutable and shared by threads).</summary>
    private static readonly FftPlan2D Plan512 = new(512), Plan768 = new(768), Plan1024 = new(1024);

    /// <summary>The smallest of 512, 768 (3 · 256, one radix-3 stage) and 1024 that holds the window m = min(768, w, h)
    /// padded by a period, so the autocorrelation is linear up to a lag of one period (see <see cref="Autocorrelation"/>).
    /// A 385-512 px window paid the whole 1024² transform before 768 was planned (1.8 × the points).</summary>
    internal static int AutocorrelationSize(int w, int h)
    {
        int padded = Math.Min(MaxAutocorrelationSide, Math.Min(w, h)) + P;
        return padded <= 512 ? 512 : padded <= 768 ? 768 : 1024;
    }

    /// <summary>The autocorrelation of the central m × m window of the plane, m = min(768, w, h) (real input: half the
    /// work of Forward, |F|², Inverse; rows finished as the search reads them). Zero-padded to n ≥ m + 256 so it is
    /// linear up to the lags searched: with a circular one, lags near n/2 alias with their mirror image and a
    /// +2° lattice became indistinguishable from a −2° one (measured on rotated 1.2 MP photos).</summary>
    private static AutocorrelationSurface Autocorrelation(float[] plane, int w, int h, int n) =>
        new(plane, w, h, n switch { 512 => Plan512, 768 => Plan768, 1024 => Plan1024, _ => new FftPlan2D(n) }, MaxAutocorrelationSide, NotchAbove);

    /// <summary>
    /// The strongest distinct square pairs of the autocorrelation (as <see cref="SquarePeak"/> scores them:
    /// the weaker of a and a turned by 90°), local maxima along a only, at least 3 px apart, each taken to
    /// its fundamental and refined like the single best pair.
    /// </summary>
    private static void LatticeCandidates(AutocorrelationSurface ac, int m, int rMin, int count, double minRatio, List<LatticeVectors> into)
    {
        int n = ac.N;
        int rMax = Math.Min(n / 2 - 2, m - 64);
        if (rMax <= rMin) return;
        double tan = Math.Tan(MaxRotationDegrees * Math.PI / 180);
        double rms = BackgroundRms(ac, rMin, rMax);
        var pairs = new List<(float Score, int Ax, int Ay, float Va, int Bx, int By, float Vb)>();
        for (int r = rMin; r <= rMax; r++)
        {
            int spread = (int)(r * tan) + 1;
            for (int t = -spread; t <= spread; t++)
            {
                float v = ac.At(r, t);
                if (v < minRatio * rms) continue;
                if (v < ac.At(r - 1, t) || v < ac.At(r + 1, t) || v < ac.At(r, t - 1) || v < ac.At(r, t + 1)) continue;
                float u = LocalMax(ac, -t, r, out int ux, out int uy);
                float score = Math.Min(v, u);
                if (score >= minRatio * rms) pairs.Add((score, r, t, v, ux, uy, u));
            }
        }
        pairs.Sort((a, b) => b.Score.CompareTo(a.Score));
        var kept = new List<(int X, int Y)>();
        foreach (var c in pairs)
        {
            if (into.Count >= count) break;
            int ax = c.Ax, ay = c.Ay, bx = c.Bx, by = c.By; float va = c.Va, vb = c.Vb;
            Fundamental(ac, rMin, c.Score, ref ax, ref ay, ref va, ref bx, ref by, ref vb);
            if (kept.Any(k => Math.Abs(k.X - ax) <= 3 && Math.Abs(k.Y - ay) <= 3)) continue;
            kept.Add((ax, ay));
            Refine(ac, ax, ay, out double rax, out double ray);
            Refine(ac, bx, by, out double rbx, out double rby);
            LeastSquaresLattice(ac, Math.Min(va, vb), ref rax, ref ray, ref rbx, ref rby);
            into.Add(new LatticeVectors(rax, ray, rbx, rby));
        }
    }

    /// <summary>target[y · (width / 2) + x] = scale × the sum of the 2 × 2 cell at (2x, 2y), for h2 rows of
    /// cells; target may be source itself (a cell's sum is written after its samples were read).</summary>
    private static void Bin2x2(float[] source, int width, int h2, float[] target, float scale)
    {
        int w2 = width / 2;
        for (int y = 0; y < h2; y++)
        {
            int o = 2 * y * width;
            for (int x = 0; x < w2; x++, o += 2)
                target[y * w2 + x] = scale * (source[o] + source[o + 1] + source[o + width] + source[o + width + 1]);
        }
    }

    /// <summary>The shortest period searched, as a share of the original (downscales to 0.45×).</summary>
    private const double MinimumPeriodShare = 0.45;

    /// <summary>
    /// Autocorrelation of the central n × n whitened window; the tile lattice shows as peaks at its
    /// period vectors a (near the x axis) and b (near the y axis), ±10.5° and 0.45-2× the original period.
    /// The vectors are refined by a least-squares fit over every lattice peak inside the window.
    /// </summary>
    internal static bool FindLattice(float[] white, int w, int h, int n, out double ax, out double ay, out double bx, out double by,
        int rMin = (int)(MinimumPeriodShare * P))
    {
        using var ac = Autocorrelation(white, w, h, n);
        return LatticeFromAutocorrelation(ac, ac.M, rMin, out ax, out ay, out bx, out by);
    }

    private static bool LatticeFromAutocorrelation(AutocorrelationSurface ac, int m, int rMin, out double ax, out double ay, out double bx, out double by)
    {
        int n = ac.N;
        ax = ay = bx = by = 0;
        // Lags must keep ≥ 64 px of overlap inside the region; larger scales are found at the 2×
        // downsampled level.
        int rMax = Math.Min(n / 2 - 2, m - 64);
        double tan = Math.Tan(MaxRotationDegrees * Math.PI / 180);
        double rms = BackgroundRms(ac, rMin, rMax);

        if (!SquarePeak(ac, rMin, rMax, tan, out int pax, out int pay, out float va, out int pbx, out int pby, out float vb)) return false;
        if (va < 4 * rms || vb < 4 * rms) return false;  // no lattice: an unmarked image stops here, cheaply

        Refine(ac, pax, pay, out ax, out ay);
        Refine(ac, pbx, pby, out bx, out by);
        LeastSquaresLattice(ac, Math.Min(va, vb), ref ax, ref ay, ref bx, ref by);
        return true;
    }

    /// <summary>Background spread of the autocorrelation away from the origin (every third lag of the searched
    /// square), against which a lattice peak is judged.</summary>
    private static double BackgroundRms(AutocorrelationSurface ac, int rMin, int rMax)
    {
        double sq = 0; long cnt = 0;
        for (int y = rMin; y < rMax; y += 3) for (int x = rMin; x < rMax; x += 3) { double v = ac.At(x, y); sq += v * v; cnt++; }
        return Math.Sqrt(sq / Math.Max(1, cnt)) + 1e-12;
    }

    /// <summary>Best 3 × 3 local maximum of the autocorrelation around (x, y).</summary>
    private static float LocalMax(AutocorrelationSurface ac, int x, int y, out int mx, out int my)
    {
        float best = float.MinValue; mx = x; my = y;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                float v = ac.At(x + dx, y + dy);
                if (v > best) { best = v; mx = x + dx; my = y + dy; }
            }
        return best;
    }

    /// <summary>
    /// The lattice's two period vectors from the autocorrelation: a within the angle limit of the x axis
    /// and b = a turned by 90° (±1 px), scored together by the weaker of the two peaks. The tile is
    /// square, and resizing, rotation, flips and crops keep it square; scoring the pair rejects a host's
    /// own periodicity along one axis, which an axis-by-axis search picked up (measured: scan lines).
    /// Anisotropic resizes beyond the ±1 px tolerance (about 0.4 %) are not searched.
    /// </summary>
    private static bool SquarePeak(AutocorrelationSurface ac, int rMin, int rMax, double tan, out int ax, out int ay, out float va, out int bx, out int by, out float vb)
    {
        ax = ay = bx = by = 0; va = vb = float.MinValue;
        float best = float.MinValue;
        for (int r = rMin; r <= rMax; r++)
        {
            int spread = (int)(r * tan) + 1;
            for (int t = -spread; t <= spread; t++)
            {
                float v = ac.At(r, t);
                // The pair's score is at most v, and only a score above the best so far is kept: a v no higher than the best
                // cannot win, so its partner's 3 × 3 maximum is not looked up (the same pair wins; 9 reads of 10 saved).
                if (v <= 0 || v <= best) continue;
                float u = LocalMax(ac, -t, r, out int ux, out int uy);
                float score = Math.Min(v, u);
                if (score > best) { best = score; ax = r; ay = t; va = v; bx = ux; by = uy; vb = u; }
            }
        }
        Fundamental(ac, rMin, best, ref ax, ref ay, ref va, ref bx, ref by, ref vb);
        return best > 0;
    }

    /// <summary>Prefer the fundamental: when (a/k, b/k) is nearly as strong as the pair's score, the pair found was a harmonic.</summary>
    private static void Fundamental(AutocorrelationSurface ac, int rMin, float score, ref int ax, ref int ay, ref float va, ref int bx, ref int by, ref float vb)
    {
        for (int k = 4; k >= 2; k--)
        {
            int qx = (int)Math.Round((double)ax / k), qy = (int)Math.Round((double)ay / k);
            if (Math.Sqrt(qx * qx + qy * qy) < rMin) continue;
            float la = LocalMax(ac, qx, qy, out int lax, out int lay);
            float lb = LocalMax(ac, -lay, lax, out int lbx, out int lby);
            if (Math.Min(la, lb) >= 0.8f * score) { ax = lax; ay = lay; va = la; bx = lbx; by = lby; vb = lb; return; }
        }
    }

    private static void Refine(AutocorrelationSurface ac, int x, int y, out double rx, out double ry)
    {
        float c = ac.At(x, y);
        rx = x + Parabola(ac.At(x - 1, y), c, ac.At(x + 1, y));
        ry = y + Parabola(ac.At(x, y - 1), c, ac.At(x, y + 1));
    }

    private static double Parabola(float l, float c, float r)
    {
        double den = l - 2.0 * c + r;
        return den >= 0 ? 0 : Math.Clamp(0.5 * (l - r) / den, -0.5, 0.5);
    }

    private static void LeastSquaresLattice(AutocorrelationSurface ac, float peak, ref double ax, ref double ay, ref double bx, ref double by)
    {
        int n = ac.N;
        double s11 = 0, s12 = 0, s22 = 0, t1x = 0, t2x = 0, t1y = 0, t2y = 0;
        double limit = n / 2.0 - 1.5;
        for (int n1 = -3; n1 <= 3; n1++)
            for (int n2 = -3; n2 <= 3; n2++)
            {
                if (n1 < 0 || (n1 == 0 && n2 <= 0)) continue;
                double qx = n1 * ax + n2 * bx, qy = n1 * ay + n2 * by;
                if (qx * qx + qy * qy > limit * limit) continue;
                int ix = (int)Math.Round(qx), iy = (int)Math.Round(qy);
                float local = float.MinValue; int lx = ix, ly = iy;
                for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++)
                    { float v = ac.At(ix + dx, iy + dy); if (v > local) { local = v; lx = ix + dx; ly = iy + dy; } }
                if (local < 0.3f * peak) continue;
                Refine(ac, lx, ly, out double rx, out double ry);
                s11 += n1 * n1; s12 += n1 * n2; s22 += n2 * n2;
                t1x += n1 * rx; t2x += n2 * rx; t1y += n1 * ry; t2y += n2 * ry;
            }
        double det = s11 * s22 - s12 * s12;
        if (det < 1e-9) return;
        ax = (s22 * t1x - s12 * t2x) / det; bx = (s11 * t2x - s12 * t1x) / det;
        ay = (s22 * t1y - s12 * t2y) / det; by = (s11 * t2y - s12 * t1y) / det;
    }
}
