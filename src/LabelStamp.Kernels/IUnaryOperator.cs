using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>An element-wise f(x), the term of a reduction (<see cref="SpanDriver.LaneSum{TOp}"/>), written
/// once over <see cref="IFloatLanes{TSelf}"/>: the JIT compiles it per width, and its
/// <see cref="Lanes1"/> instance is the scalar reference every width must match bit for bit.</summary>
public interface IUnaryOperator
{
    static abstract TLanes Invoke<TLanes>(TLanes x) where TLanes : struct, IFloatLanes<TLanes>;
}
