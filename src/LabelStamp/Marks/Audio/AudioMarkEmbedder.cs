using LabelStamp.Kernels.Audio;
using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Marks.Audio;

/// <summary>
/// Embeds the audio mark into a stream of interleaved float PCM, frame by frame, in place.
/// For every frame: mono mix → Hann window → FFT → each marked band's bins are scaled by (1 ± α) as a
/// delta spectrum → inverse FFT → Hann again (so the delta fades to zero at frame edges, no clicks) →
/// the same delta is added to every channel.
/// α is energy-adaptive: α = <see cref="Strength"/> · √(frame energy / 0.5–8 kHz energy), capped at
/// <see cref="MaxAlpha"/>; the delta's energy is then about Strength² of the frame's, i.e. a constant
/// SNR per frame (≈ 30 dB at the default), and bass-heavy or quiet frames still carry a full-depth
/// relative mark in the bands the detector reads.
/// </summary>
public sealed class AudioMarkEmbedder
{
    /// <summary>Default strength; gives SNR ≥ 30 dB (measured, bench/AUDIO.md).</summary>
    public const float DefaultStrength = 0.05f;
    public const float MaxAlpha = 0.3f;

    private const int N = AudioMarkLayout.FrameSize;
    private readonly AudioMarkLayout _layout;
    private readonly sbyte[] _coded;
    private readonly int _channels;
    private readonly FrameAnalyzer _frame;
    private readonly float[] _mono = new float[N];
    private readonly float[] _gain = new float[N];
    private readonly float[] _zero = new float[N];
    private long _frameIndex;

    public AudioMarkEmbedder(AudioMarkLayout layout, MarkPayload payload, int sampleRate, int channels, float strength = DefaultStrength)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels));
        if (sampleRate < 16_000) throw new ArgumentOutOfRangeException(nameof(sampleRate), "the mark needs ≥ 16 kHz (bands reach 8 kHz)");
        _layout = layout;
        _coded = PayloadCodec.Encode(payload);
        _channels = channels;
        _frame = new FrameAnalyzer(sampleRate);
        Strength = strength;
    }

    public float Strength { get; }

    /// <summary>Samples per channel that make one frame; feed whole frames except at the very end.</summary>
    public static int FrameSamples => N;

    /// <summary>Marks the whole frames in <paramref name="interleaved"/>; a trailing partial frame (only
    /// allowed on the last call) is left as it is.</summary>
    public void Process(Span<float> interleaved)
    {
        int frames = interleaved.Length / (_channels * N);
        for (int f = 0; f < frames; f++)
            ProcessFrame(interleaved.Slice(f * N * _channels, N * _channels));
    }

    private void ProcessFrame(Span<float> x)
    {
        int q = (int)(_frameIndex++ % AudioMarkLayout.BlockFrames);
        float inv = 1f / _channels;
        for (int i = 0; i < N; i++)
        {
            float s = 0;
            for (int c = 0; c < _channels; c++) s += x[i * _channels + c];
            _mono[i] = s * inv;
        }
        _frame.Analyze(_mono);
        var power = _frame.Power;
        double total = 0, band = 0;
        for (int k = 1; k < N / 2; k++) total += power[k];
        int first = _frame.FirstBin;
        for (int k = first; k < first + AudioMarkLayout.Bands * AudioMarkLayout.BinsPerBand; k++) band += power[k];
        if (band < 1e-10) return; // digital silence: nothing to hide a mark in
        float alpha = (float)Math.Min(MaxAlpha, Strength * Math.Sqrt(total / band));

        Array.Clear(_gain);
        int sign = _layout.SyncSign(q);
        foreach (int b in _layout.SyncUp) SetBand(b, sign * alpha);
        foreach (int b in _layout.SyncDown) SetBand(b, -sign * alpha);
        for (int s = 0; s < AudioMarkLayout.SlotsPerFrame; s++)
        {
            float v = _coded[_layout.SlotBit(q, s)] * alpha;
            foreach (int b in _layout.SlotUp(q, s)) SetBand(b, v);
            foreach (int b in _layout.SlotDown(q, s)) SetBand(b, -v);
        }
        // Delta spectrum D = X · gain (gain is Hermitian-symmetric, so the inverse is real).
        BandOps.MultiplyAdd(_frame.Re, _gain, _zero, _frame.Re);
        BandOps.MultiplyAdd(_frame.Im, _gain, _zero, _frame.Im);
        FrameAnalyzer.Fft.Inverse(_frame.Re, _frame.Im);
        for (int i = 0; i < N; i++)
        {
            float d = _frame.Re[i];
            for (int c = 0; c < _channels; c++) x[i * _channels + c] += d;
        }
    }

    private void SetBand(int band, float g)
    {
        int k = _frame.FirstBin + band * AudioMarkLayout.BinsPerBand;
        for (int j = 0; j < AudioMarkLayout.BinsPerBand; j++)
        {
            _gain[k + j] = g;
            _gain[N - (k + j)] = g;
        }
    }
}
