using System.Runtime.InteropServices;

namespace LabelStamp.Media.Audio.Encoders;

/// <summary>Whether a system codec library can be loaded, by its soname (the ABI we declare against).
/// A missing library is not an error: the stamp keeps encoding through ffmpeg.</summary>
public static class NativeCodecs
{
    public static bool TryLoad(string soname) =>
        IntPtr.Size == 8 && NativeLibrary.TryLoad(soname, out _);
}
