using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>x², exact on every width (one IEEE multiply per lane): the term of a sum of squares.</summary>
public readonly struct SquareOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Invoke<TLanes>(TLanes x) where TLanes : struct, IFloatLanes<TLanes> => x * x;
}
