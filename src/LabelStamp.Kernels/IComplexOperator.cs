using LabelStamp.Kernels.Lanes;

namespace LabelStamp.Kernels;

/// <summary>
/// A function of two complex numbers in split real/imaginary form, f(a, b) = c (four input spans, two
/// output spans), written once over <see cref="IFloatLanes{TSelf}"/>: the JIT compiles it per width, and
/// its <see cref="Lanes1"/> instance is the scalar reference every width must match bit for bit;
/// <see cref="SpanDriver.ApplyComplex{TOp}"/> supplies the loop.
/// </summary>
public interface IComplexOperator
{
    static abstract (TLanes Re, TLanes Im) Invoke<TLanes>(TLanes aRe, TLanes aIm, TLanes bRe, TLanes bIm)
        where TLanes : struct, IFloatLanes<TLanes>;
}
