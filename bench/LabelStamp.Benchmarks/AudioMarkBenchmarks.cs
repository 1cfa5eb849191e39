using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Benchmarks;

/// <summary>
/// Audio mark embed and detect on 10 s of 44.1 kHz stereo music-like noise (seed 5). Divide 10 s by
/// the mean to get × realtime (one core: the codec is single-threaded per file). MemoryDiagnoser gives
/// detect's allocation (its accumulators are fixed-size, independent of length).
/// </summary>
[MemoryDiagnoser]
public class AudioMarkBenchmarks
{
    private const int Rate = 44_100, Channels = 2;
    private readonly MarkKey _key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private AudioMarkLayout _layout = null!;
    private float[] _pcm = null!, _work = null!, _marked = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _pcm = new float[Rate * Channels * 10];
        double lp = 0;
        for (int i = 0; i < _pcm.Length; i++) { lp = 0.95 * lp + 0.05 * (rng.NextDouble() - 0.5); _pcm[i] = (float)(lp + 0.01 * (rng.NextDouble() - 0.5)); }
        _layout = new AudioMarkLayout(_key);
        _work = new float[_pcm.Length];
        _marked = (float[])_pcm.Clone();
        new AudioMarkEmbedder(_layout, MarkPayload.For(new MarkId(42), _key), Rate, Channels).ProcessAll(_marked);
    }

    [Benchmark]
    public void Embed10s()
    {
        _pcm.CopyTo(_work, 0);
        new AudioMarkEmbedder(_layout, MarkPayload.For(new MarkId(42), _key), Rate, Channels).ProcessAll(_work);
    }

    [Benchmark]
    public AudioMarkDetection? Detect10s()
    {
        var d = new AudioMarkDetector(_layout, Rate, Channels);
        for (int i = 0; i < _marked.Length; i += 65_536 * Channels)
            d.Add(_marked.AsSpan(i, Math.Min(65_536 * Channels, _marked.Length - i)));
        return d.Finish();
    }
}
