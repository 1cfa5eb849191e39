namespace LabelStamp.Benchmarks;

/// <summary>
/// The registered block readers' shared ground (<see cref="MarkRegisteredReader"/>, <see cref="KeyedBlockScan"/>): kept frames
/// box-reduced, and a block of them summed in one frame's coordinates through a per-frame scale and offset.
/// </summary>
public static class ReducedBlockCanvas
{
    /// <summary>One frame's luma box-reduced by <paramref name="r"/> (means, as floats).</summary>
    public static float[] BoxReduce(byte[] frame, int fw, int rw, int rh, int r)
    {
        float[] o = new float[rw * rh];
        float inv = 1f / (r * r);
        for (int y = 0; y < rh; y++)
        for (int j = 0; j < r; j++)
        {
            int src = (y * r + j) * fw, dst = y * rw;
            for (int x = 0; x < rw; x++)
            {
                int s = 0, b = src + x * r;
                for (int i = 0; i < r; i++) s += frame[b + i];
                o[dst + x] += s * inv;
            }
        }
        return o;
    }

    /// <summary>Reduced frames start..end−1 (<see cref="BoxReduce"/>) summed on a reduced canvas of the centre frame's coordinates: canvas sample
    /// (cx, cy) is full centred position X = r(cx + ½) − W/2, shown by frame f at relative(f)(X), bilinear.</summary>
    public static RegisteredMarkReader.Canvas Sum(IReadOnlyList<float[]> small, int start, int end, Func<int, (double Scale, double X, double Y)> relative, int rw, int rh, int r, int fw, int fh)
    {
        float[] sum = new float[rw * rh];
        int[] count = new int[rw * rh];
        for (int f = start; f < end; f++)
        {
            var m = relative(f);
            var src = small[f];
            for (int cy = 0; cy < rh; cy++)
            {
                double fy = (m.Scale * (r * (cy + 0.5) - fh / 2.0) + m.Y + fh / 2.0) / r - 0.5;
                if (fy < 0 || fy > rh - 1) continue;
                int iy = Math.Min((int)fy, rh - 2);
                float wy = (float)(fy - iy);
                for (int cx = 0; cx < rw; cx++)
                {
                    double fx = (m.Scale * (r * (cx + 0.5) - fw / 2.0) + m.X + fw / 2.0) / r - 0.5;
                    if (fx < 0 || fx > rw - 1) continue;
                    int ix = Math.Min((int)fx, rw - 2);
                    float wx = (float)(fx - ix);
                    int b = iy * rw + ix;
                    sum[cy * rw + cx] += (1 - wy) * ((1 - wx) * src[b] + wx * src[b + 1]) + wy * ((1 - wx) * src[b + rw] + wx * src[b + rw + 1]);
                    count[cy * rw + cx]++;
                }
            }
        }
        bool[] valid = new bool[sum.Length];
        // A sample needs most of the block behind it, so the pattern is not read off one or two frames at the edges.
        int need = Math.Max(1, (end - start + 1) / 2);
        for (int p = 0; p < sum.Length; p++)
        {
            valid[p] = count[p] >= need;
            if (valid[p]) sum[p] /= count[p];
        }
        return new RegisteredMarkReader.Canvas(sum, valid, rw, rh, rw, rh, end - start, 0, rw, rh, 0);
    }
}
