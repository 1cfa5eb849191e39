using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Where the audio mark's bits live, derived from the key (spec §5, after audiowmark's patchwork).
/// The mark is defined at one canonical rate, <see cref="CanonicalRate"/> (22.05 kHz), whatever the
/// file's rate: both sides resample the file's mono mix to it, the embedder computes the mark there and
/// resamples the mark (not the file) back. So a frame is always <see cref="FrameSize"/> / 22 050 s
/// (23.2 ms) and a band always the same Hz: a file read at another rate than it was stamped at, or
/// after a resampling codec (Opus is always 48 kHz), still lines up. In each frame 0.52–7.4 kHz is cut
/// into <see cref="Bands"/> bands of two FFT bins (86 Hz); that range exists at every source rate from
/// 16 kHz up and is what Opus and AAC keep at 32–64 kbit/s. A block of <see cref="BlockFrames"/>
/// frames (5.02 s) carries the whole coded payload once, and the frames go in pairs: the second frame of
/// a pair carries every sign of the first inverted, so the detector reads each pair as the difference of
/// its two frames, in which the host's level and envelope cancel (format 2, <see cref="FormatVersion"/>).
/// Any 5 s excerpt holds every position of the block about once, so it is read whatever its offset:
/// <list type="bullet">
/// <item>sync: the same 8 "up" and 8 "down" bands in every frame, pushed apart with a keyed ±1 sign per
/// pair of the block; the detector finds the block phase by correlating with that sign sequence;</item>
/// <item>data: the other 64 bands, re-permuted per pair, form 4 slots of 8 up + 8 down bands; the
/// block's 432 slots carry the 330 coded bits in keyed order (102 bits twice).</item>
/// </list>
/// A different key gives unrelated bands, signs and order, which is why a wrong key detects nothing.
/// </summary>
public sealed class AudioMarkLayout
{
    /// <summary>The rate the mark is defined at. 22.05 kHz: 0.5–7.4 kHz fits below its Nyquist with room
    /// for a short anti-alias filter, and a 512-sample frame keeps the 23 ms frames the mark was tuned with.</summary>
    public const int CanonicalRate = 22_050;
    /// <summary>The payload version the audio mark writes (<see cref="MarkPayload.Version"/>): 2 = frame pairs
    /// with inverted signs in 5.0 s blocks (read by the pair difference); 1 = independent frames in 2.5 s
    /// blocks (read by a 3-frame high-pass), which this detector does not read.</summary>
    public const byte FormatVersion = 2;
    /// <summary>Lowest source rate the mark is embedded at: below 16 kHz the upper bands do not exist.</summary>
    public const int MinimumEmbedRate = 16_000;
    /// <summary>Lowest rate the detector reads (the bands below 4 kHz still carry evidence).</summary>
    public const int MinimumDetectRate = 8_000;
    public const int FrameSize = 512;
    public const int BinsPerBand = 2;
    public const int Bands = 80;
    public const int SyncBandsPerSide = 8;
    public const int SlotsPerFrame = 4;
    public const int BandsPerSlotSide = 8;
    public const int BlockFrames = 216;
    public const int PairsPerBlock = BlockFrames / 2;
    public const int SlotsPerBlock = PairsPerBlock * SlotsPerFrame;

    private readonly int[] _syncUp = new int[SyncBandsPerSide];
    private readonly int[] _syncDown = new int[SyncBandsPerSide];
    private readonly int[][] _dataBands = new int[PairsPerBlock][];
    private readonly sbyte[] _syncSign = new sbyte[PairsPerBlock];
    private readonly int[] _slotBit = new int[SlotsPerBlock];

    public AudioMarkLayout(MarkKey key)
    {
        KeyNibble = MarkPayload.KeyNibbleOf(key);
        var rng = new KeyedStream(key.Derive("audio-mark/layout"));
        Span<int> bands = stackalloc int[Bands];
        for (int i = 0; i < Bands; i++) bands[i] = i;
        rng.Shuffle(bands);
        bands[..SyncBandsPerSide].CopyTo(_syncUp);
        bands[SyncBandsPerSide..(2 * SyncBandsPerSide)].CopyTo(_syncDown);
        int[] data = bands[(2 * SyncBandsPerSide)..].ToArray();
        for (int k = 0; k < PairsPerBlock; k++)
        {
            _dataBands[k] = (int[])data.Clone();
            rng.Shuffle(_dataBands[k]);
        }
        // Balanced sign sequence: half +1, half −1, so a constant host bias between the sync bands cancels.
        Span<int> signs = stackalloc int[PairsPerBlock];
        for (int k = 0; k < PairsPerBlock; k++) signs[k] = k < PairsPerBlock / 2 ? 1 : -1;
        rng.Shuffle(signs);
        for (int k = 0; k < PairsPerBlock; k++) _syncSign[k] = (sbyte)signs[k];
        Span<int> order = stackalloc int[SlotsPerBlock];
        for (int i = 0; i < SlotsPerBlock; i++) order[i] = i;
        rng.Shuffle(order);
        for (int i = 0; i < SlotsPerBlock; i++) _slotBit[i] = order[i] % PayloadCodec.CodedBits;
    }

    public ReadOnlySpan<int> SyncUp => _syncUp;
    public ReadOnlySpan<int> SyncDown => _syncDown;

    /// <summary>+1 for the first frame of a pair, −1 for the second: every sign of the pair's second frame
    /// is the first frame's, inverted.</summary>
    public static int FrameSign(int q) => (q & 1) == 0 ? 1 : -1;

    /// <summary>The keyed sync sign (+1/−1) of frame q of the block (its pair's sign times <see cref="FrameSign"/>).</summary>
    public int SyncSign(int q) => _syncSign[q >> 1] * FrameSign(q);

    /// <summary>Up bands of slot s in frame q of the block (the same for both frames of a pair).</summary>
    public ReadOnlySpan<int> SlotUp(int q, int s) => _dataBands[q >> 1].AsSpan(s * 2 * BandsPerSlotSide, BandsPerSlotSide);

    /// <summary>Down bands of slot s in frame q of the block.</summary>
    public ReadOnlySpan<int> SlotDown(int q, int s) => _dataBands[q >> 1].AsSpan(s * 2 * BandsPerSlotSide + BandsPerSlotSide, BandsPerSlotSide);

    /// <summary>Which coded bit slot s of frame q carries (the same for both frames of a pair).</summary>
    public int SlotBit(int q, int s) => _slotBit[(q >> 1) * SlotsPerFrame + s];

    /// <summary>The first FFT bin of band 0 at the canonical rate (12 · 43.07 Hz = 517 Hz).</summary>
    public const int FirstBin = 12;

    /// <summary>Highest frequency a band reaches (the top of bin 171, 7.41 kHz).</summary>
    public const double HighestHz = (FirstBin + Bands * BinsPerBand) * (double)CanonicalRate / FrameSize;

    /// <summary>The 4 key-ID bits the payload must carry under this key (checked before a mark is declared).</summary>
    public byte KeyNibble { get; }
}
