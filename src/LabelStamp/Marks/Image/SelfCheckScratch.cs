namespace LabelStamp.Marks.Image;

/// <summary>
/// The planes one self-check (<see cref="ImageMarkDetector.ReadsBack(LabelStamp.Media.Images.PixelBuffer, ImageMarkKeyMaterial, LabelStamp.Marks.Payload.MarkPayload)"/>)
/// works in, kept per thread and reused stamp after stamp. Allocated per call they were 3.3 MB of the
/// large-object heap per small image (eleven P² planes of 256 KB, and the region's luma and whitened planes),
/// which set off a gen-2 collection about every other stamp: 16 in 30 stamps of a 256 px JPEG, 1.3 ms of pause
/// per stamp against a plain re-encode of 2-5 ms (bench/WATERMARK.md, tenth step). Every plane is written in
/// full before it is read (the fold is cleared first), so a reused plane gives the values a fresh one would.
/// </summary>
internal sealed class SelfCheckScratch
{
    private const int P = ImageMarkLayout.Period;

    /// <summary>Region planes up to this many samples (512², 1 MB each) are kept: the images whose stamp the
    /// allocation weighed on. A larger region needs no whitened plane (<see cref="SelfCheckFold"/> high-passes each
    /// band twice there instead) and its luma plane, which only an image with alpha needs, is allocated per call; so a
    /// thread keeps at most 2.75 MB of P² planes and 2 MB of region planes, and a large image's 17 MB plane is not
    /// held through the encode that follows (StampMemoryTests).</summary>
    public const int MaxKeptRegion = 512 * 512;

    [ThreadStatic] private static SelfCheckScratch? t_scratch;

    private float[]? _luma, _white;

    /// <summary>This thread's planes. A self-check runs to its end on the thread that began it (no await), so
    /// two never share them.</summary>
    public static SelfCheckScratch ForThisThread() => t_scratch ??= new SelfCheckScratch();

    /// <summary>The sync statistic's scratch (<see cref="ImageMarkSync.WithScratch"/>).</summary>
    public float[][] SyncPlanes { get; } = ImageMarkSync.NewScratch();

    public float[] Fold { get; } = new float[P * P];
    public float[] Mirror { get; } = new float[P * P];
    public float[] Statistic { get; } = new float[P * P];
    public float[] MirroredStatistic { get; } = new float[P * P];

    /// <summary>A luma plane of at least <paramref name="samples"/>: the kept one up to <see cref="MaxKeptRegion"/>.</summary>
    public float[] Luma(int samples) => Region(ref _luma, samples);

    /// <summary>The kept whitened plane, distinct from <see cref="Luma"/>'s, for a region of at most <see cref="MaxKeptRegion"/>.</summary>
    public float[] White(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples, MaxKeptRegion);
        return _white ??= GC.AllocateUninitializedArray<float>(MaxKeptRegion);
    }

    private static float[] Region(ref float[]? kept, int samples) =>
        samples > MaxKeptRegion ? GC.AllocateUninitializedArray<float>(samples)
            : kept ??= GC.AllocateUninitializedArray<float>(MaxKeptRegion);
}
