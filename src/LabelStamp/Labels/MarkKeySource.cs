using LabelStamp.Errors;

namespace LabelStamp.Labels;

/// <summary>
/// Where the watermark key comes from, in order: an explicit key file, the environment
/// (LABELSTAMP_MARK_KEY = hex/base64, or LABELSTAMP_MARK_KEY_FILE), then a per-user development key
/// at ~/.config/labelstamp/mark.key. Stamping may create that development key on first use (and says
/// so); verification never invents a key. The key's bytes are never printed, only its ID.
/// </summary>
public static class MarkKeySource
{
    public const string KeyVariable = "LABELSTAMP_MARK_KEY";
    public const string KeyFileVariable = "LABELSTAMP_MARK_KEY_FILE";

    public static string DevelopmentKeyPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "labelstamp", "mark.key");

    /// <summary>Returns the key and a description of its source (no secret in it), or null when none is configured and none may be created.</summary>
    public static (MarkKey Key, string Source)? Resolve(string? keyFile, bool createDevelopmentKey)
    {
        if (!string.IsNullOrEmpty(keyFile)) return (MarkKey.FromFile(keyFile), $"key file {keyFile}");
        string? text = Environment.GetEnvironmentVariable(KeyVariable);
        if (!string.IsNullOrWhiteSpace(text)) return (MarkKey.FromText(text, KeyVariable), $"${KeyVariable}");
        string? file = Environment.GetEnvironmentVariable(KeyFileVariable);
        if (!string.IsNullOrWhiteSpace(file)) return (MarkKey.FromFile(file), $"${KeyFileVariable} ({file})");
        string dev = DevelopmentKeyPath;
        if (File.Exists(dev)) return (MarkKey.FromFile(dev), $"development key {dev}");
        if (!createDevelopmentKey) return null;
        Directory.CreateDirectory(Path.GetDirectoryName(dev)!);
        try
        {
            using (var stream = new FileStream(dev, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream)) writer.WriteLine(MarkKey.GenerateText());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dev, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (IOException) when (File.Exists(dev))
        {
            // Another process created it first: use theirs.
        }
        return (MarkKey.FromFile(dev), $"new development key {dev} (set {KeyVariable} or --key-file in production)");
    }

    public static MarkKey Require(string? keyFile, bool createDevelopmentKey, out string source)
    {
        var resolved = Resolve(keyFile, createDevelopmentKey)
                       ?? throw new LabelStampException(ErrorCode.KeyMissing, $"no watermark key: pass --key-file or set {KeyVariable}");
        source = resolved.Source;
        return resolved.Key;
    }
}
