namespace LabelStamp.Marks.Payload;

/// <summary>
/// The false-positive arithmetic of spec §5. Under the null hypothesis (no mark, or another key) the
/// Viterbi output is an arbitrary 104-bit word, so its CRC-32 matches with probability 2⁻³² per decode.
/// A detector that decodes only candidates whose synchronisation statistic passed a threshold with
/// null tail probability p_sync, and tried C candidates, has a union bound
/// P(false detection) ≤ C · min(1, p_sync) · 2⁻³². A mark is declared only when that bound ≤ 1e-9.
/// </summary>
public static class FalsePositiveBound
{
    /// <summary>The largest false-positive probability per file at which a mark may be declared.</summary>
    public const double DeclareThreshold = 1e-9;

    /// <summary>2⁻³²: the chance a random word passes CRC-32.</summary>
    public const double CrcPass = 1.0 / 4294967296.0;

    /// <summary>2⁻³⁶: the chance a random word passes CRC-32 and carries the verifying key's 4-bit key
    /// nibble, both checked before a mark is declared.</summary>
    public const double CrcAndKeyNibblePass = CrcPass / 16;

    /// <summary>C · 2⁻³⁶: the bound for a detector that declares a mark only when the CRC passes and the
    /// decoded key nibble equals the verifying key's (the image detector): under the null hypothesis the
    /// decoded word is arbitrary, so the two independent checks pass together with probability 2⁻³⁶.</summary>
    public static double ComputeWithKeyNibble(int candidates) => Compute(candidates) / 16;

    /// <summary>C · min(1, p_sync) · 2⁻³².</summary>
    public static double Compute(int candidates, double syncPValue = 1.0)
    {
        if (candidates < 1) throw new ArgumentOutOfRangeException(nameof(candidates), "at least one candidate");
        if (!(syncPValue >= 0)) throw new ArgumentOutOfRangeException(nameof(syncPValue), "a probability");
        return candidates * Math.Min(1.0, syncPValue) * CrcPass;
    }

    public static bool Acceptable(double probability) => probability <= DeclareThreshold;

    /// <summary>The p-value of the maximum of <paramref name="cells"/> standard-normal statistics
    /// exceeding z (union bound: cells · Q(z)), for a sync search over a correlation surface.</summary>
    public static double MaxOfGaussians(double z, int cells) => Math.Min(1.0, cells * GaussianTail(z));

    /// <summary>Q(z) = P(N(0,1) > z) = erfc(z/√2)/2.</summary>
    public static double GaussianTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2.0));

    /// <summary>Complementary error function, Chebyshev fit with fractional error below 1.2e-7
    /// everywhere (the classic erfcc form), ample for a p-value.</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
