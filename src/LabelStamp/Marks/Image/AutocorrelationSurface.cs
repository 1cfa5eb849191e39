using System.Buffers;
using System.Runtime.CompilerServices;
using LabelStamp.Kernels.Fft;

namespace LabelStamp.Marks.Image;

/// <summary>
/// The autocorrelation of a central window of a whitened plane, zero-padded to N × N (512, 768 or 1024), read lag by lag (cyclic: lag
/// (x, y) is cell (x mod N, y mod N)) by the lattice search. Its rows are finished when first read: the search reads
/// the lags up to about N/2 along and around the two axes and a few lattice points beyond, so at 1024² it never reads
/// about 40 % of the rows (a 384-768 px window), and their inverse row transforms are not run
/// (<see cref="FftPlan2D.AutocorrelationSpectrum"/>). A row holds the same bits as the whole
/// <see cref="FftPlan2D.Autocorrelate"/> gives. One search, one thread; the planes go back to the pool on dispose.
/// </summary>
internal sealed class AutocorrelationSurface : IDisposable
{
    private readonly FftPlan2D _plan;
    private float[] _re, _im;
    /// <summary>Whether row pair p (rows 2p, 2p + 1) is finished.</summary>
    private readonly bool[] _finished;

    /// <summary>The autocorrelation of the central m × m window of the w × h plane, m = min(<paramref name="maxSide"/>, w, h).</summary>
    public AutocorrelationSurface(float[] plane, int w, int h, FftPlan2D plan, int maxSide, float notchAbove)
    {
        _plan = plan;
        int n = plan.Size;
        N = n;
        M = Math.Min(maxSide, Math.Min(w, h));
        _re = ArrayPool<float>.Shared.Rent(n * n);
        _im = ArrayPool<float>.Shared.Rent(n * n);
        _finished = new bool[n / 2];
        int m = M, x0 = (w - m) / 2, y0 = (h - m) / 2;
        for (int y = 0; y < m; y++)
        {
            plane.AsSpan((y0 + y) * w + x0, m).CopyTo(_re.AsSpan(y * n, m));
            _re.AsSpan(y * n + m, n - m).Clear();
        }
        plan.AutocorrelationSpectrum(_re, _im, nonZeroRows: m, notchAbove: notchAbove);
    }

    /// <summary>The transform's side.</summary>
    public int N { get; }

    /// <summary>The window's side.</summary>
    public int M { get; }

    /// <summary>The autocorrelation at lag (x, y), cyclic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float At(int x, int y)
    {
        int n = N, row = Cyclic(y), column = Cyclic(x);
        if (!_finished[row >> 1]) Finish(row);
        return _re[row * n + column];
    }

    /// <summary>v mod N in 0 … N − 1: a mask for a power-of-two N, a remainder for 768.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Cyclic(int v)
    {
        int n = N;
        if ((n & (n - 1)) == 0) return v & (n - 1);
        int r = v % n;
        return r < 0 ? r + n : r;
    }

    private void Finish(int row)
    {
        _plan.AutocorrelationRows(_re, _im, row);
        _finished[row >> 1] = true;
    }

    public void Dispose()
    {
        if (_re.Length == 0) return;
        ArrayPool<float>.Shared.Return(_re);
        ArrayPool<float>.Shared.Return(_im);
        _re = _im = [];
    }
}
