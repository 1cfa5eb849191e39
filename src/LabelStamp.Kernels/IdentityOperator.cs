using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>x itself: the term of a plain sum.</summary>
public readonly struct IdentityOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Invoke<TLanes>(TLanes x) where TLanes : struct, IFloatLanes<TLanes> => x;
}
