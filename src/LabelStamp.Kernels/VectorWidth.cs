namespace LabelStamp.Kernels;

/// <summary>Which code path a kernel runs. <see cref="Auto"/> picks the widest accelerated width;
/// the others exist so tests and benchmarks can pin one path and compare it with the scalar reference.</summary>
public enum VectorWidth
{
    Auto = 0,
    Scalar,
    V128,
    V256,
    V512,
}
