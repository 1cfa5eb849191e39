using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>a · conj(b): (ar·br + ai·bi, ai·br − ar·bi). Plain multiplies and adds (no fused
/// multiply-add), so every width rounds like the scalar path.</summary>
public readonly struct CrossPowerOperator : IComplexOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLanes Re, TLanes Im) Invoke<TLanes>(TLanes aRe, TLanes aIm, TLanes bRe, TLanes bIm)
        where TLanes : struct, IFloatLanes<TLanes> =>
        (aRe * bRe + aIm * bIm, aIm * bRe - aRe * bIm);
}
