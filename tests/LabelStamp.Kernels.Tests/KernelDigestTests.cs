using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LabelStamp.Kernels.Audio;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Kernels.Tests;

/// <summary>
/// Outputs of the kernels that moved to width-generic bodies, pinned to SHA-256 digests recorded from
/// the per-width implementations they replaced (main at 1c5dd70), on every width: a width-generic body
/// that changed one bit of one output at one length, offset or width fails here even where it would
/// still agree with its own scalar reference. Inputs: fixed seed 1905 per kernel, lengths 0…70 plus
/// 1023 and 4099, slice offsets 0…3 (misaligned loads and ragged tails).
/// </summary>
public class KernelDigestTests
{
    public static TheoryData<VectorWidth> Widths => [VectorWidth.Scalar, VectorWidth.V128, VectorWidth.V256, VectorWidth.V512];

    private static readonly int[] Lengths = [.. Enumerable.Range(0, 71), 1023, 4099];

    private static float[] Floats(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 200 - 100);
        return a;
    }

    private static void Add<T>(IncrementalHash hash, ReadOnlySpan<T> values) where T : unmanaged =>
        hash.AppendData(MemoryMarshal.AsBytes(values));

    private static string Done(IncrementalHash hash) => Convert.ToHexString(hash.GetHashAndReset())[..32];

    [Theory]
    [MemberData(nameof(Widths))]
    public void MagnitudeSum_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = Floats(rng, n + offset);
                float s = MagnitudeSum.Of(x.AsSpan(offset), width);
                Add(hash, new ReadOnlySpan<float>(in s));
            }
        Assert.Equal("52E23C0A9902B715B424B5B2DC6F1E57", Done(hash));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CrossPower_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] ar = Floats(rng, n + offset), ai = Floats(rng, n + offset), br = Floats(rng, n + offset), bi = Floats(rng, n + offset);
                float[] or = new float[n + offset], oi = new float[n + offset];
                CrossPower.Apply(ar.AsSpan(offset), ai.AsSpan(offset), br.AsSpan(offset), bi.AsSpan(offset), or.AsSpan(offset), oi.AsSpan(offset), width);
                Add<float>(hash, or); Add<float>(hash, oi);
                // In place, as the power spectrum is computed.
                CrossPower.Apply(ar.AsSpan(offset), ai.AsSpan(offset), ar.AsSpan(offset), ai.AsSpan(offset), ar.AsSpan(offset), ai.AsSpan(offset), width);
                Add<float>(hash, ar); Add<float>(hash, ai);
            }
        Assert.Equal("BA1D5FF3F540CADAED749CD33F795F1F", Done(hash));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FftPlan_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int n = 2; n <= 4096; n <<= 1)
        {
            var plan = new FftPlan(n);
            float[] re = Floats(rng, n), im = Floats(rng, n);
            plan.Forward(re, im, width);
            Add<float>(hash, re); Add<float>(hash, im);
            plan.Inverse(re, im, width);
            Add<float>(hash, re); Add<float>(hash, im);
        }
        Assert.Equal("5B602689A0CE18A12EA59B3F330985D5", Done(hash));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FftPlan2D_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (int n in new[] { 4, 8, 16, 32, 128 })
        {
            var plan = new FftPlan2D(n);
            float[] re = Floats(rng, n * n), im = Floats(rng, n * n);
            plan.Forward(re, im, width: width);
            Add<float>(hash, re); Add<float>(hash, im);
            plan.Inverse(re, im, width);
            Add<float>(hash, re); Add<float>(hash, im);
            float[] real = Floats(rng, n * n), scratch = new float[n * n];
            // An odd row count (partner row zero) and the notch: every branch of the real-input path.
            plan.Autocorrelate(real, scratch, nonZeroRows: n - 1, width: width, notchAbove: 4);
            Add<float>(hash, real);
        }
        Assert.Equal("9DF5670AD236460E95BA8CD8276779A5", Done(hash));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ColumnMoments_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
                foreach (bool two in new[] { false, true })
                {
                    byte[] first = new byte[n + offset], second = new byte[n + offset];
                    rng.NextBytes(first); rng.NextBytes(second);
                    ushort[] sums = new ushort[n + offset];
                    uint[] squares = new uint[n + offset];
                    ColumnMoments.Store(first.AsSpan(offset), two ? second.AsSpan(offset) : default, sums.AsSpan(offset), squares.AsSpan(offset), width);
                    Add<ushort>(hash, sums); Add<uint>(hash, squares);
                    foreach (int shift in new[] { 1, 2, 3, 4 })
                        ColumnMoments.AddShifted(sums.AsSpan(offset), squares.AsSpan(offset), shift, width);
                    Add<ushort>(hash, sums); Add<uint>(hash, squares);
                }
        Assert.Equal("F18102055CBC0AD5B53FD1AD8700F172", Done(hash));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DotProduct_matches_the_recorded_digest(VectorWidth width)
    {
        var rng = new Random(1905);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (int n in Lengths)
            for (int offset = 0; offset <= 3; offset++)
            {
                float[] x = Floats(rng, n + offset), h = Floats(rng, n + 3);
                float s = DotProduct.Of(x.AsSpan(offset), h.AsSpan(3), width);
                Add(hash, new ReadOnlySpan<float>(in s));
            }
        Assert.Equal("ECC90E1061F9550F7CD9960A97082452", Done(hash));
    }
}
