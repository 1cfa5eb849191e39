using System.Text.Json;

namespace LabelStamp.Tests.Provenance;

/// <summary>What the independent reader @trustnxt/c2pa-ts (tests/c2pa-reader/read.mjs) says about a file.</summary>
internal sealed record C2paTsResult(bool Present, bool Valid, IReadOnlyList<string> Statuses, IReadOnlyList<string> Errors, string? Signer, string Raw)
{
    public static C2paTsResult Read(string file)
    {
        string root = ExternalTools.RepoRoot();
        string reader = Path.Combine(root, "tests", "c2pa-reader");
        if (!Directory.Exists(Path.Combine(reader, "node_modules", "@trustnxt", "c2pa-ts")))
            throw new InvalidOperationException("the C2PA reader is not installed: run 'npm ci --prefix tests/c2pa-reader'");
        var (exit, stdout, stderr) = ExternalTools.Run("node", Path.Combine(reader, "read.mjs"), file);
        if (exit != 0) throw new InvalidOperationException($"c2pa-ts reader failed on {file}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        static List<string> Strings(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetString() ?? "")];
        return new C2paTsResult(
            r.GetProperty("present").GetBoolean(),
            r.GetProperty("valid").GetBoolean(),
            Strings(r.GetProperty("statuses")),
            Strings(r.GetProperty("errors")),
            r.TryGetProperty("signer", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
            stdout.Trim());
    }
}
