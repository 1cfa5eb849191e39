using LabelStamp.Labels;
using LabelStamp.Marks.Payload;

namespace LabelStamp.Tests.Marks;

public class PayloadCodecTests
{
    private static MarkPayload RandomPayload(Random rng) =>
        new(new MarkId((ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63)), (byte)rng.Next(16), (byte)rng.Next(16));

    private static float[] Soft(sbyte[] coded) => Array.ConvertAll(coded, c => (float)c);

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void Sizes_are_104_payload_bits_and_330_coded_bits()
    {
        Assert.Equal(104, PayloadCodec.PayloadBits);
        Assert.Equal(330, PayloadCodec.CodedBits);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32Probe.Of("123456789"u8));
    }

    [Fact]
    public void Round_trips_clean_payloads()
    {
        var rng = new Random(1);
        for (int i = 0; i < 50; i++)
        {
            MarkPayload p = RandomPayload(rng);
            PayloadDecode? d = PayloadCodec.Decode(Soft(PayloadCodec.Encode(p)));
            Assert.NotNull(d);
            Assert.Equal(p, d.Payload);
            Assert.Equal(0, d.BitErrorsCorrected);
            Assert.True(d.CrcOk);
        }
    }

    [Fact]
    public void Payload_for_a_key_carries_its_key_nibble()
    {
        MarkKey key = MarkKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        MarkPayload p = MarkPayload.For(new MarkId(42), key);
        Assert.Equal(key.KeyIdBytes[0] & 15, p.KeyNibble);
        Assert.Equal(MarkPayload.CurrentVersion, p.Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarkPayload(new MarkId(1), 16, 0));
    }

    [Fact]
    public void Corrects_30_random_hard_errors_in_330_coded_bits()
    {
        // 9 % hard errors at random positions, every trial must decode.
        var rng = new Random(2);
        for (int trial = 0; trial < 100; trial++)
        {
            MarkPayload p = RandomPayload(rng);
            float[] soft = Soft(PayloadCodec.Encode(p));
            foreach (int i in Enumerable.Range(0, soft.Length).OrderBy(_ => rng.Next()).Take(30)) soft[i] = -soft[i];
            PayloadDecode? d = PayloadCodec.Decode(soft);
            Assert.NotNull(d);
            Assert.Equal(p, d.Payload);
            Assert.Equal(30, d.BitErrorsCorrected);
        }
    }

    [Fact]
    public void Decodes_soft_bits_at_minus_1_dB_per_coded_bit()
    {
        // Es/N0 = -1 dB per coded bit (Eb/N0 ≈ 3.9 dB per payload bit) with soft decisions; at this
        // noise about 20 % of the hard decisions are wrong.
        var rng = new Random(3);
        double sigma = Math.Sqrt(1.0 / (2.0 * Math.Pow(10, -0.1)));
        int ok = 0;
        for (int trial = 0; trial < 100; trial++)
        {
            MarkPayload p = RandomPayload(rng);
            float[] soft = Soft(PayloadCodec.Encode(p));
            for (int i = 0; i < soft.Length; i++) soft[i] += (float)(sigma * Gaussian(rng));
            PayloadDecode? d = PayloadCodec.Decode(soft);
            if (d is not null && d.Payload == p) ok++;
        }
        Assert.True(ok >= 99, $"decoded {ok}/100");
    }

    [Fact]
    public void Rejects_pure_noise_by_crc()
    {
        // Also the audio detector's list decoding (256 words): on the first 2,000 noise words an
        // accidental CRC pass has probability 2,000 · 256 · 2⁻³² ≈ 1.2e-4.
        var rng = new Random(4);
        float[] soft = new float[PayloadCodec.CodedBits];
        for (int trial = 0; trial < 5000; trial++)
        {
            for (int i = 0; i < soft.Length; i++) soft[i] = (float)Gaussian(rng);
            Assert.Null(PayloadCodec.Decode(soft));
            if (trial < 2000) Assert.Null(PayloadCodec.DecodeList(soft, LabelStamp.Marks.Audio.AudioMarkDetector.ListSize));
        }
    }

    [Fact]
    public void False_positive_bound_combines_candidates_sync_and_crc()
    {
        Assert.Equal(4 * FalsePositiveBound.CrcPass, FalsePositiveBound.Compute(4));
        Assert.True(FalsePositiveBound.Acceptable(FalsePositiveBound.Compute(4)));
        Assert.False(FalsePositiveBound.Acceptable(FalsePositiveBound.Compute(5)));
        // The image detector also checks the 4-bit key nibble: 8 candidates stay under 1e-9, 300 do not.
        Assert.Equal(8 * FalsePositiveBound.CrcPass / 16, FalsePositiveBound.ComputeWithKeyNibble(8));
        Assert.True(FalsePositiveBound.Acceptable(FalsePositiveBound.ComputeWithKeyNibble(8)));
        Assert.False(FalsePositiveBound.Acceptable(FalsePositiveBound.ComputeWithKeyNibble(70)));
        Assert.True(FalsePositiveBound.Acceptable(FalsePositiveBound.Compute(1000, 1e-3)));
        Assert.Equal(0.5, FalsePositiveBound.GaussianTail(0), 6);
        Assert.Equal(1.3499e-3, FalsePositiveBound.GaussianTail(3), 6);
        Assert.Equal(2.8665e-7, FalsePositiveBound.GaussianTail(5), 9);
    }
}
