using LabelStamp.Kernels.Audio;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// One canonical-rate frame's Hann-windowed spectrum and the per-band log magnitudes the mark is read from.
/// Holds its buffers so the per-frame work allocates nothing; one instance per thread.
/// </summary>
internal sealed class FrameAnalyzer
{
    private const int N = AudioMarkLayout.FrameSize;
    private static readonly FftPlan Plan = new(N);
    private static readonly float[] HannWindow = MakeHann();

    public readonly float[] Re = new float[N];
    public readonly float[] Im = new float[N];
    public readonly float[] Power = new float[N];
    public readonly float[] BandLog = new float[AudioMarkLayout.Bands];

    public int FirstBin => AudioMarkLayout.FirstBin;

    public static ReadOnlySpan<float> Hann => HannWindow;

    public static FftPlan Fft => Plan;

    /// <summary>Windows the mono frame and transforms it; fills <see cref="Power"/>.</summary>
    public void Analyze(ReadOnlySpan<float> mono)
    {
        for (int i = 0; i < N; i++) Re[i] = mono[i] * HannWindow[i];
        Array.Clear(Im);
        Plan.Forward(Re, Im);
        BandOps.Power(Re, Im, Power);
    }

    /// <summary>
    /// Two real frames in one complex FFT: z = a + i·b, Z = FFT(z), then
    /// A[k] = (Z[k] + conj Z[N−k]) / 2 and B[k] = (Z[k] − conj Z[N−k]) / 2i (both Hann-windowed).
    /// </summary>
    public void AnalyzePair(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> reA, Span<float> imA, Span<float> reB, Span<float> imB)
    {
        for (int i = 0; i < N; i++) { Re[i] = a[i] * HannWindow[i]; Im[i] = b[i] * HannWindow[i]; }
        Plan.Forward(Re, Im);
        for (int k = 0; k < N; k++)
        {
            int nk = (N - k) & (N - 1);
            float zr = Re[k], zi = Im[k], wr = Re[nk], wi = Im[nk];
            reA[k] = 0.5f * (zr + wr);
            imA[k] = 0.5f * (zi - wi);
            reB[k] = 0.5f * (zi + wi);
            imB[k] = 0.5f * (wr - zr);
        }
    }

    /// <summary>
    /// The detector's path: two real frames in one complex FFT (as <see cref="AnalyzePair"/>), and the
    /// split into the two spectra done only for the bins the bands use, straight into band log
    /// magnitudes: |A[k]|² = ((zr + wr)² + (zi − wi)²) / 4, |B[k]|² = ((zi + wi)² + (wr − zr)²) / 4.
    /// </summary>
    public void BandLogPair(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> logA, Span<float> logB)
    {
        for (int i = 0; i < N; i++) { Re[i] = a[i] * HannWindow[i]; Im[i] = b[i] * HannWindow[i]; }
        Plan.Forward(Re, Im);
        int first = AudioMarkLayout.FirstBin;
        for (int band = 0; band < AudioMarkLayout.Bands; band++)
        {
            float pa = 0, pb = 0;
            for (int j = 0; j < AudioMarkLayout.BinsPerBand; j++)
            {
                int k = first + band * AudioMarkLayout.BinsPerBand + j, nk = N - k;
                float zr = Re[k], zi = Im[k], wr = Re[nk], wi = Im[nk];
                float ar = zr + wr, ai = zi - wi, br = zi + wi, bi = wr - zr;
                pa += ar * ar + ai * ai;
                pb += br * br + bi * bi;
            }
            logA[band] = 0.5f * MathF.Log(0.25f * pa + 1e-12f);
            logB[band] = 0.5f * MathF.Log(0.25f * pb + 1e-12f);
        }
    }

    /// <summary>The summed power of band <paramref name="band"/>'s bins.</summary>
    public static float BandPower(ReadOnlySpan<float> power, int band)
    {
        int k = AudioMarkLayout.FirstBin + band * AudioMarkLayout.BinsPerBand;
        float p = 0;
        for (int j = 0; j < AudioMarkLayout.BinsPerBand; j++) p += power[k + j];
        return p;
    }

    /// <summary>ln of each band's magnitude from a given power spectrum (see <see cref="ComputeBandLog()"/>).</summary>
    public void ComputeBandLog(ReadOnlySpan<float> power, Span<float> bandLog)
    {
        for (int b = 0; b < AudioMarkLayout.Bands; b++)
        {
            bandLog[b] = 0.5f * MathF.Log(BandPower(power, b) + 1e-12f);
        }
    }

    /// <summary>ln of each band's magnitude (√ of the summed power); the log makes the statistic
    /// independent of loudness, so volume changes do not move it.</summary>
    public void ComputeBandLog()
    {
        for (int b = 0; b < AudioMarkLayout.Bands; b++)
        {
            BandLog[b] = 0.5f * MathF.Log(BandPower(Power, b) + 1e-12f);
        }
    }

    /// <summary>
    /// The host-removing statistic both sides read (format 2): a frame's band log magnitudes minus those of
    /// the other frame of its pair (the mark's signs are inverted between the two, so the difference holds
    /// twice the mark while the host's level and spectral envelope cancel), then minus
    /// <see cref="SpectralWeight"/> of each neighbouring band's difference (onsets and formant moves that
    /// tilt the spectrum between the two frames). Format 1 read every frame against the mean of both
    /// its neighbours with independent signs, which multiplies noise that is fresh in every frame — a
    /// codec's quantisation of the band shape, noise-like hosts — by 1.5 in variance for the same mark;
    /// the pair difference multiplies it by 1 per frame of mark (measured: bench/AUDIO.md).
    /// </summary>
    public static void PairDifference(ReadOnlySpan<float> frame, ReadOnlySpan<float> partner, Span<float> dest)
    {
        int n = dest.Length;
        Span<float> t = stackalloc float[AudioMarkLayout.Bands];
        for (int b = 0; b < n; b++) t[b] = frame[b] - partner[b];
        dest[0] = t[0] - 2 * SpectralWeight * t[1];
        for (int b = 1; b < n - 1; b++) dest[b] = t[b] - SpectralWeight * (t[b - 1] + t[b + 1]);
        dest[n - 1] = t[n - 1] - 2 * SpectralWeight * t[n - 2];
    }

    /// <summary>Weight of each neighbouring band in the spectral high-pass (0 = temporal only).</summary>
    public const float SpectralWeight = 0.25f;

    private static float[] MakeHann()
    {
        var w = new float[N];
        for (int i = 0; i < N; i++) w[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / N));
        return w;
    }
}
