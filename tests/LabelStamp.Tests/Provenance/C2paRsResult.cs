using System.Text.Json;

namespace LabelStamp.Tests.Provenance;

/// <summary>
/// What the reference implementation, c2pa-rs (0.92, the WASM build in @contentauth/c2pa-wasm, run by
/// tests/c2pa-reader/rs-read.mjs), says about a file: the active manifest's fields and its validation status
/// codes. The judge of spec §6: every format we write must show no failure but
/// <c>signingCredential.untrusted</c>.
/// </summary>
internal sealed record C2paRsResult(
    bool Present,
    string? Title,
    string? ClaimGenerator,
    IReadOnlyList<string> Assertions,
    IReadOnlyList<(string? Title, string? Relationship)> Ingredients,
    string? DigitalSourceType,
    string? Signer,
    IReadOnlyList<string> Success,
    IReadOnlyList<string> Failure,
    string Raw)
{
    /// <summary>c2pa-rs's informational codes (e.g. timeStamp.untrusted: a token whose TSA is on no trust list).</summary>
    public IReadOnlyList<string> Informational { get; init; } = [];

    public const string Untrusted = "signingCredential.untrusted";

    /// <summary>Failures other than an untrusted signing credential, the active manifest's or an ingredient's
    /// (rs-read.mjs prefixes ingredient codes "ingredient:"): test CAs are no trust anchors unless given.</summary>
    public IEnumerable<string> RealFailures => Failure.Where(f => f is not Untrusted and not "ingredient:" + Untrusted);

    public static C2paRsResult Read(string file, string? trustAnchorsPem = null)
    {
        string reader = Path.Combine(ExternalTools.RepoRoot(), "tests", "c2pa-reader");
        if (!Directory.Exists(Path.Combine(reader, "node_modules", "@contentauth", "c2pa-wasm")))
            throw new InvalidOperationException("c2pa-rs (npm @contentauth/c2pa-wasm) is not installed: run scripts/install-deps.sh or 'npm install --prefix tests/c2pa-reader'");
        string[] args = trustAnchorsPem is null ? [Path.Combine(reader, "rs-read.mjs"), file] : [Path.Combine(reader, "rs-read.mjs"), file, trustAnchorsPem];
        var (exit, stdout, stderr) = ExternalTools.Run("node", args);
        if (exit != 0) throw new InvalidOperationException($"c2pa-rs reader failed on {file}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static List<string> Strings(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
        var ingredients = r.TryGetProperty("ingredients", out var ing) && ing.ValueKind == JsonValueKind.Array
            ? ing.EnumerateArray().Select(i => (Text(i, "title"), Text(i, "relationship"))).ToList()
            : [];
        return new C2paRsResult(
            r.GetProperty("present").GetBoolean(),
            Text(r, "title"),
            Text(r, "claimGenerator"),
            Strings(r, "assertions"),
            ingredients,
            Text(r, "digitalSourceType"),
            Text(r, "signer"),
            Strings(r, "success"),
            Strings(r, "failure"),
            stdout.Trim()) { Informational = Strings(r, "informational") };
    }
}

/// <summary>Signs test inputs with c2pa-rs's own Builder (tests/c2pa-reader/rs-sign.mjs): a foreign generator's manifest.</summary>
internal static class C2paRsSigner
{
    /// <summary>Signs <paramref name="input"/> into <paramref name="output"/> with the PEM chain and key; the c2pa.created
    /// action states <paramref name="sourceType"/> (an IPTC term, or "none" for no digitalSourceType).</summary>
    /// <param name="update">An update manifest over <paramref name="input"/>'s own manifest (no hard binding of its own).</param>
    public static void Sign(string input, string output, string chainPem, string keyPem, string sourceType = "trainedAlgorithmicMedia", string alg = "es256",
        string hashAlg = "sha256", bool update = false)
    {
        string script = Path.Combine(ExternalTools.RepoRoot(), "tests", "c2pa-reader", "rs-sign.mjs");
        var environment = new Dictionary<string, string> { ["RS_HASH_ALG"] = hashAlg };
        if (update) environment["RS_INTENT"] = "update";
        var (exit, _, stderr) = global::LabelStamp.TestSupport.ExternalTool.Run("node", [script, input, output, chainPem, keyPem, sourceType, alg],
            environment: environment);
        if (exit != 0) throw new InvalidOperationException($"c2pa-rs could not sign {input}: {stderr}");
    }
}
