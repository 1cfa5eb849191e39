using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>|x|, exact on every width.</summary>
public readonly struct AbsOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Invoke<TLanes>(TLanes x) where TLanes : struct, IFloatLanes<TLanes> => TLanes.Abs(x);
}
