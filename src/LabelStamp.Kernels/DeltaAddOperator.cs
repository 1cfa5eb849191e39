using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LabelStamp.Kernels;

/// <summary>
/// The second half of <see cref="MarkAddOperator"/>: adds a signed delta y (from <see cref="ChipDeltaOperator"/>,
/// |y| ≤ 127) to a sample x as max(0, min(x, 255 − |y|) + y), in byte lanes: with u = max(y, 0) and
/// v = max(−y, 0) that is (min(x +sat u, 255 − v)) −sat v, since for y ≥ 0 min(x, 255 − y) + y = min(x + y, 255)
/// and for y &lt; 0 the lower clamp is the saturating subtract. Five byte operations per lane instead of
/// MarkAdd's widening multiply: the delta row is computed once per chip row (four image rows share it) and
/// added to each. The third input is not read. Exact at every width.
/// </summary>
public readonly struct DeltaAddOperator : ITernaryOperator<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Invoke(byte x, byte y, byte z)
    {
        int d = (sbyte)y;
        return (byte)Math.Max(0, Math.Min(x, 255 - Math.Abs(d)) + d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Invoke(Vector128<byte> x, Vector128<byte> y, Vector128<byte> z)
    {
        Vector128<byte> up = Vector128.Max(y.AsSByte(), Vector128<sbyte>.Zero).AsByte();
        Vector128<byte> down = Vector128.Max(-y.AsSByte(), Vector128<sbyte>.Zero).AsByte();
        return Vector128.SubtractSaturate(Vector128.Min(Vector128.AddSaturate(x, up), ~down), down);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Invoke(Vector256<byte> x, Vector256<byte> y, Vector256<byte> z)
    {
        Vector256<byte> up = Vector256.Max(y.AsSByte(), Vector256<sbyte>.Zero).AsByte();
        Vector256<byte> down = Vector256.Max(-y.AsSByte(), Vector256<sbyte>.Zero).AsByte();
        return Vector256.SubtractSaturate(Vector256.Min(Vector256.AddSaturate(x, up), ~down), down);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Invoke(Vector512<byte> x, Vector512<byte> y, Vector512<byte> z)
    {
        Vector512<byte> up = Vector512.Max(y.AsSByte(), Vector512<sbyte>.Zero).AsByte();
        Vector512<byte> down = Vector512.Max(-y.AsSByte(), Vector512<sbyte>.Zero).AsByte();
        return Vector512.SubtractSaturate(Vector512.Min(Vector512.AddSaturate(x, up), ~down), down);
    }
}
