using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Where the audio mark's bits live, derived from the key (spec §5, after audiowmark's patchwork).
/// Frames of <see cref="FrameSize"/> samples at the file's own rate; in each frame the 0.5–8 kHz range
/// is cut into <see cref="Bands"/> bands of two FFT bins. A block of <see cref="BlockFrames"/> frames
/// (≈ 2.5 s at 44.1 kHz, 2.3 s at 48 kHz) carries the whole coded payload once, so any 5 s excerpt
/// holds at least one full block and parts of others, all soft-combined:
/// <list type="bullet">
/// <item>sync: the same 8 "up" and 8 "down" bands in every frame, pushed apart with a keyed ±1 sign per
/// frame of the block; the detector finds the block phase by correlating with that sign sequence;</item>
/// <item>data: the other 64 bands, re-permuted per frame, form 4 slots of 8 up + 8 down bands; the
/// block's 432 slots carry the 330 coded bits in keyed order (102 bits twice).</item>
/// </list>
/// A different key gives unrelated bands, signs and order, which is why a wrong key detects nothing.
/// </summary>
public sealed class AudioMarkLayout
{
    public const int FrameSize = 1024;
    public const int BinsPerBand = 2;
    public const int Bands = 80;
    public const int SyncBandsPerSide = 8;
    public const int SlotsPerFrame = 4;
    public const int BandsPerSlotSide = 8;
    public const int BlockFrames = 108;
    public const double LowestHz = 500;
    public const int SlotsPerBlock = BlockFrames * SlotsPerFrame;

    private readonly int[] _syncUp = new int[SyncBandsPerSide];
    private readonly int[] _syncDown = new int[SyncBandsPerSide];
    private readonly int[][] _dataBands = new int[BlockFrames][];
    private readonly sbyte[] _syncSign = new sbyte[BlockFrames];
    private readonly int[] _slotBit = new int[SlotsPerBlock];

    public AudioMarkLayout(MarkKey key)
    {
        var rng = new KeyedStream(key.Derive("audio-mark/layout"));
        Span<int> bands = stackalloc int[Bands];
        for (int i = 0; i < Bands; i++) bands[i] = i;
        rng.Shuffle(bands);
        bands[..SyncBandsPerSide].CopyTo(_syncUp);
        bands[SyncBandsPerSide..(2 * SyncBandsPerSide)].CopyTo(_syncDown);
        int[] data = bands[(2 * SyncBandsPerSide)..].ToArray();
        for (int q = 0; q < BlockFrames; q++)
        {
            _dataBands[q] = (int[])data.Clone();
            rng.Shuffle(_dataBands[q]);
        }
        // Balanced sign sequence: half +1, half −1, so a constant host bias between the sync bands cancels.
        Span<int> signs = stackalloc int[BlockFrames];
        for (int q = 0; q < BlockFrames; q++) signs[q] = q < BlockFrames / 2 ? 1 : -1;
        rng.Shuffle(signs);
        for (int q = 0; q < BlockFrames; q++) _syncSign[q] = (sbyte)signs[q];
        Span<int> order = stackalloc int[SlotsPerBlock];
        for (int i = 0; i < SlotsPerBlock; i++) order[i] = i;
        rng.Shuffle(order);
        for (int i = 0; i < SlotsPerBlock; i++) _slotBit[i] = order[i] % PayloadCodec.CodedBits;
    }

    public ReadOnlySpan<int> SyncUp => _syncUp;
    public ReadOnlySpan<int> SyncDown => _syncDown;

    /// <summary>The keyed sync sign (+1/−1) of frame q of the block.</summary>
    public int SyncSign(int q) => _syncSign[q];

    /// <summary>Up bands of slot s in frame q of the block.</summary>
    public ReadOnlySpan<int> SlotUp(int q, int s) => _dataBands[q].AsSpan(s * 2 * BandsPerSlotSide, BandsPerSlotSide);

    /// <summary>Down bands of slot s in frame q of the block.</summary>
    public ReadOnlySpan<int> SlotDown(int q, int s) => _dataBands[q].AsSpan(s * 2 * BandsPerSlotSide + BandsPerSlotSide, BandsPerSlotSide);

    /// <summary>Which coded bit slot s of frame q carries.</summary>
    public int SlotBit(int q, int s) => _slotBit[q * SlotsPerFrame + s];

    /// <summary>The first FFT bin of band 0 at this sample rate (0.5 kHz).</summary>
    public static int FirstBin(int sampleRate) => (int)Math.Round(LowestHz * FrameSize / sampleRate);
}
