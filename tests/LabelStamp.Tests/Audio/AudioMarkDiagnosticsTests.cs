using LabelStamp.Labels;
using LabelStamp.Marks.Audio;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Tests.Audio;

/// <summary>The bench's views into the mark: the per-band weight bound and the informed-embedding variants
/// must measure the product's mark, or the figures built on them compare the wrong things.</summary>
public class AudioMarkDiagnosticsTests
{
    private static readonly MarkKey Key = MarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray());
    private static readonly MarkId Id = new(0x0f1e2d3c4b5a6978UL);

    [Fact]
    public void Weights_of_one_region_give_the_oracle_d_prime()
    {
        // One region weights every band alike, and d′ does not depend on the soft bits' scale.
        var pcm = SyntheticAudio.Music(44_100, 2, 8, seed: 3);
        var marked = (float[])pcm.Clone();
        new AudioMarkEmbedder(new AudioMarkLayout(Key), MarkPayload.For(Id, Key), 44_100, 2).ProcessAll(marked);
        var coded = PayloadCodec.Encode(new MarkPayload(Id, AudioMarkLayout.FormatVersion, MarkPayload.KeyNibbleOf(Key)));
        var detector = new AudioMarkDetector(Key, 44_100, 2);
        detector.Add(marked);
        var (oracle, lane) = detector.OracleAt(coded);
        Assert.True(lane >= 0 && oracle.DPrime > 1, $"d′ {oracle.DPrime}");
        Assert.Equal(oracle.DPrime, detector.GenieWeightedDPrime(coded, lane, oracle.Cell, 1), 4);
        // Weights from the true bits never make the right bits less separable than a bad guess would:
        // 80 regions (one per band) on a clean file stay within the range of a real gain.
        double perBand = detector.GenieWeightedDPrime(coded, lane, oracle.Cell, 80);
        Assert.InRange(perBand, 0.9 * oracle.DPrime, 2 * oracle.DPrime);
    }

    [Fact]
    public void The_informed_constructor_at_the_default_lambda_is_the_product_embedder()
    {
        var pcm = SyntheticAudio.Music(22_050, 1, 6, seed: 11);
        var product = (float[])pcm.Clone();
        var variant = (float[])pcm.Clone();
        var other = (float[])pcm.Clone();
        var layout = new AudioMarkLayout(Key);
        new AudioMarkEmbedder(layout, MarkPayload.For(Id, Key), 22_050, 1).ProcessAll(product);
        new AudioMarkEmbedder(layout, MarkPayload.For(Id, Key), 22_050, 1, AudioMarkEmbedder.DefaultStrength, AudioMarkEmbedder.InformedLambda).ProcessAll(variant);
        new AudioMarkEmbedder(layout, MarkPayload.For(Id, Key), 22_050, 1, AudioMarkEmbedder.DefaultStrength, 2f).ProcessAll(other);
        Assert.Equal(product, variant);
        Assert.NotEqual(product, other);
    }
}
