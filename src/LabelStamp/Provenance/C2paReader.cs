using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LabelStamp.Errors;
using LabelStamp.Media;
using LabelStamp.Pipeline;

namespace LabelStamp.Provenance;

/// <summary>
/// Reads and validates the active manifest of any C2PA 1.x/2.x manifest store in a JPEG, PNG, WebP, WAV,
/// MP3 or MP4 — ours or another generator's — following the validation order of C2PA §15: locate the
/// store, parse the claim, verify the claim signature, check every hashed URI, then the hard binding
/// against the asset bytes. A structurally broken store is reported as a problem, not thrown; so is a
/// store over the <see cref="MetadataLimits"/> (its problem carries LS603 or LS402), which is refused by
/// counting before the work it would cause: every step is linear in the store's bytes.
/// </summary>
public static class C2paReader
{
    /// <param name="anchors">Roots for the signer's and the TSA's chains; null judges no trust (reported "not-checked").</param>
    public static C2paReport Read(byte[] file, string name, MetadataLimits? limits = null, TrustAnchors? anchors = null)
    {
        limits ??= new MetadataLimits();
        var format = MediaSniffer.TrySniff(file);
        var container = format is null ? null : C2paProvenanceWriter.ContainerFor(format);
        if (container is null) return C2paReport.Absent;
        byte[]? store;
        try { store = container.Extract(file, name, limits.MaxManifestStoreBytes); }
        catch (LabelStampException e) { return Unreadable("manifest.inaccessible", e); }
        if (store is null) return C2paReport.Absent;
        try { return Validate(file, store, name, format!.Name, limits, anchors, container); }
        catch (LabelStampException e) { return Unreadable("claim.malformed", e); }
    }

    /// <summary>A store that cannot be read: the C2PA status code, then our stable code (e.g. LS603 for a
    /// store over the limits) and the reason.</summary>
    private static C2paReport Unreadable(string status, LabelStampException e) =>
        new() { Present = true, Problems = [$"{status}: {e.CodeText} {e.Message}"] };

    private static C2paReport Validate(byte[] file, byte[] storeBytes, string name, string formatName, MetadataLimits limits, TrustAnchors? anchors, ManifestContainer container)
    {
        bool bmff = formatName == "mp4";
        var problems = new List<string>();
        var store = JumbfBox.Parse(storeBytes, name, limits);
        if (!store.IsSuperBox || store.Label != C2paIds.StoreLabel) throw Invalid(name, "does not start with the 'c2pa' superbox");
        var manifests = store.Children.Where(c => c.IsSuperBox).ToList();
        if (manifests.Count == 0) throw Invalid(name, "holds no manifest");
        if (manifests.Count > limits.MaxManifests)
            throw TooLarge(name, $"holds {manifests.Count} manifests, over the limit of {limits.MaxManifests} (Limits:Metadata:MaxManifests)");
        var manifest = manifests[^1];
        var claimBox = manifest.Children.FirstOrDefault(c => c.Label is C2paIds.ClaimV2Label or C2paIds.ClaimV1Label)
                       ?? throw Invalid(name, $"manifest {manifest.Label} has no claim");
        var claimContent = claimBox.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor) ?? throw Invalid(name, "claim has no CBOR content");
        var claim = CborTree.Map(CborTree.Decode(claimContent.Data, name, limits)) ?? throw Invalid(name, "claim is not a CBOR map");
        bool v2 = claimBox.Label == C2paIds.ClaimV2Label;

        string? generator = v2
            ? GeneratorText(CborTree.Map(claim.GetValueOrDefault("claim_generator_info")))
            : CborTree.Text(claim, "claim_generator") ?? GeneratorText(CborTree.Map(CborTree.List(claim, "claim_generator_info").FirstOrDefault()));

        // Signature (C2PA §15.7)
        var sigBox = Resolve(store, manifest, CborTree.Text(claim, "signature")) ?? manifest.Child(C2paIds.SignatureLabel);
        ClaimSignatureCheck sig;
        var sigContent = sigBox?.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
        if (sigContent is null) sig = new ClaimSignatureCheck(false, [], "claim signature missing");
        else sig = ClaimSigner.Verify(sigContent.Data, claimContent.Data, limits);
        if (!sig.Valid)
            problems.Add(sig.Error is { } why && why.StartsWith("algorithm.unsupported", StringComparison.Ordinal) ? why : "claimSignature.mismatch: " + sig.Error);
        X509Certificate2? leaf = sig.Chain.Count > 0 ? sig.Chain[0] : null;
        // The signing certificate is judged at the time-stamp's time when one validates (C2PA 2.x §14.5.2: a
        // certificate that expired after a trusted time-stamp still vouches for what it signed), else at now.
        TimestampCheck? timestamp = sig.TimestampToken is { } token ? TimestampVerifier.Verify(token, sig.TimestampedBytes!, anchors) : null;
        DateTime judgedAt = timestamp is { Usable: true, Time: { } t } ? t.UtcDateTime : DateTime.UtcNow;
        bool credentialValid = leaf is not null && CheckProfile(leaf, judgedAt, problems);
        string trust = SignerTrust.NotChecked;
        if (anchors is not null && leaf is not null)
        {
            if (anchors.Chains(leaf, sig.Chain.Skip(1), judgedAt, out string? reason)) trust = SignerTrust.Trusted;
            else
            {
                trust = SignerTrust.Untrusted;
                problems.Add("signingCredential.untrusted: the signer's " + reason);
            }
        }

        // Hashed URIs (C2PA §15.10). The algorithm is the hashed URI's own alg, else the claim's; C2PA has no
        // default (§15.4 "if no value is present in any of these places, this structure is invalid").
        string? defaultAlg = CborTree.Text(claim, "alg");
        var refs = new List<object?>();
        refs.AddRange(CborTree.List(claim, v2 ? "created_assertions" : "assertions"));
        refs.AddRange(CborTree.List(claim, "gathered_assertions"));
        if (refs.Count > limits.MaxAssertionsPerManifest)
            throw TooLarge(name, $"claim of manifest {manifest.Label} lists {refs.Count} assertions, over the limit of {limits.MaxAssertionsPerManifest} (Limits:Metadata:MaxAssertionsPerManifest)");
        var digests = new DigestCache();
        bool intact = true;
        var assertions = new List<(string Label, JumbfBox Box)>();
        foreach (var r in refs)
        {
            var uri = CborTree.Map(r);
            string? url = CborTree.Text(uri, "url");
            var box = Resolve(store, manifest, url);
            if (box is null) { intact = false; problems.Add($"assertion.missing: {url}"); continue; }
            var expected = CborTree.Bytes(uri, "hash") ?? [];
            string? uriAlg = CborTree.Text(uri, "alg") ?? defaultAlg;
            if (HashAlgorithm(uriAlg) is not { } h)
            {
                intact = false;
                problems.Add($"algorithm.unsupported: {url} names {(uriAlg is null ? "no hash algorithm (neither the hashed URI nor the claim has alg)" : "hash algorithm " + uriAlg)}");
            }
            else if (!digests.Matches(box, expected, h))
            {
                intact = false;
                problems.Add($"assertion.hashedURI.mismatch: {url}");
            }
            assertions.Add((box.Label ?? "", box));
        }

        // Content of the assertions we report on
        var actions = new List<string>();
        string? sourceType = null;
        string? hardLabel = null;
        bool hardValid = false;
        string? softAlg = null, softMark = null;
        int ingredients = 0;
        Dictionary<string, object?>? parent = null;
        int hardBindings = 0;
        // Each box is read once, however often the claim names it: decoding it per reference would cost
        // references × bytes (and repeat its actions in the report).
        var read = new HashSet<JumbfBox>();
        foreach (var (label, box) in assertions)
        {
            if (!read.Add(box)) continue;
            string baseLabel = BaseLabel(label);
            var content = box.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            var map = content is null ? null : CborTree.Map(CborTree.Decode(content.Data, name, limits));
            switch (baseLabel)
            {
                case C2paIds.ActionsV2 or C2paIds.ActionsV1:
                    foreach (var a in CborTree.List(map, "actions"))
                    {
                        var am = CborTree.Map(a);
                        if (CborTree.Text(am, "action") is { } act) actions.Add(act);
                        sourceType ??= CborTree.Text(am, "digitalSourceType");
                    }
                    break;
                case C2paIds.DataHash:
                    hardBindings++;
                    hardLabel = baseLabel;
                    hardValid = CheckDataHash(file, map, defaultAlg, problems, limits, name);
                    break;
                case C2paIds.BmffHashV2 or C2paIds.BmffHashV3 or C2paIds.BmffHashV1:
                    hardBindings++;
                    hardLabel = baseLabel;
                    hardValid = bmff && CheckBmffHash(file, map, defaultAlg, name, problems, limits, baseLabel);
                    break;
                case C2paIds.BoxesHash:
                    hardBindings++;
                    hardLabel = baseLabel;
                    hardValid = CheckBoxesHash(file, formatName, map, defaultAlg, problems, limits, name);
                    break;
                case C2paIds.SoftBinding:
                    softAlg = CborTree.Text(map, "alg");
                    var block = CborTree.Map(CborTree.List(map, "blocks").FirstOrDefault());
                    if (softAlg == C2paIds.WatermarkAlgorithm) softMark = CborTree.Text(block, "value");
                    break;
                default:
                    if (baseLabel.StartsWith("c2pa.ingredient", StringComparison.Ordinal))
                    {
                        if (++ingredients > limits.MaxIngredientsPerManifest)
                            throw TooLarge(name, $"manifest {manifest.Label} has more than {limits.MaxIngredientsPerManifest} ingredients (Limits:Metadata:MaxIngredientsPerManifest)");
                        if (CborTree.Text(map, "relationship") == "parentOf") parent ??= ManifestReference(map);
                    }
                    break;
            }
        }
        bool inherited = false;
        if (sourceType is null && parent is not null)
        {
            sourceType = ParentSourceType(store, parent, defaultAlg, name, problems, limits, digests, depth: 0);
            inherited = sourceType is not null;
        }
        bool hardFromParent = false;
        if (hardBindings == 0 && parent is not null)
        {
            // An update manifest (C2PA 2.x §10.3.1) has no hard binding of its own: its parent's binds the asset,
            // the parent reached through the hash in our ingredient, which the active signature covers.
            (hardLabel, hardValid) = ParentHardBinding(file, store, parent, defaultAlg, bmff, name, problems, limits, digests, depth: 0, container.Locate(file, name));
            hardFromParent = hardLabel is not null;
        }
        if (hardBindings == 0 && !hardFromParent) problems.Add("claim.hardBindings.missing");
        if (hardBindings > 1) { problems.Add("assertion.multipleHardBindings"); hardValid = false; }

        return new C2paReport
        {
            Present = true,
            ActiveManifest = manifest.Label,
            ClaimLabel = claimBox.Label,
            ClaimGenerator = generator,
            Title = CborTree.Text(claim, "dc:title"),
            Actions = actions,
            DigitalSourceType = sourceType,
            DigitalSourceTypeInherited = inherited,
            Signer = leaf?.Subject,
            Issuer = leaf?.Issuer,
            SignatureValid = sig.Valid,
            CredentialValid = credentialValid,
            SignerTrust = trust,
            TimestampTokens = sig.TimestampTokens,
            Timestamp = timestamp?.Time,
            TimestampStatus = timestamp?.Status,
            TimestampAuthority = timestamp?.Authority,
            AssertionsIntact = intact,
            HardBinding = hardLabel,
            HardBindingValid = hardValid,
            HardBindingInherited = hardFromParent,
            SoftBindingAlgorithm = softAlg,
            SoftBindingMarkId = softMark,
            Ingredients = ingredients,
            Manifests = manifests.Count,
            IngredientTree = IngredientTree.Build(store, manifest, name, limits),
            Problems = problems,
        };
    }

    internal static string? GeneratorText(Dictionary<string, object?>? info)
    {
        string? n = CborTree.Text(info, "name");
        string? v = CborTree.Text(info, "version");
        return n is null ? null : v is null ? n : $"{n}/{v}";
    }

    /// <summary>The hashed URI of an ingredient's manifest (v3 <c>activeManifest</c>, v2 <c>c2pa_manifest</c>).</summary>
    internal static Dictionary<string, object?>? ManifestReference(Dictionary<string, object?>? ingredient) =>
        CborTree.Map(ingredient?.GetValueOrDefault("activeManifest")) ?? CborTree.Map(ingredient?.GetValueOrDefault("c2pa_manifest"));

    /// <summary>
    /// The digitalSourceType a parent manifest states, following parentOf links (at most 8 deep). The parent
    /// is trusted only when its bytes match the hash in the ingredient, which the active claim signature covers.
    /// </summary>
    private static string? ParentSourceType(JumbfBox store, Dictionary<string, object?> reference, string? claimAlg, string name, List<string> problems,
        MetadataLimits limits, DigestCache digests, int depth)
    {
        if (depth >= 8) return null;
        string? url = CborTree.Text(reference, "url");
        var parent = url is null ? null : Resolve(store, store, url);
        if (parent is null) { problems.Add($"ingredient.manifest.missing: {url}"); return null; }
        if (HashAlgorithm(CborTree.Text(reference, "alg") ?? claimAlg) is not { } h || !digests.Matches(parent, CborTree.Bytes(reference, "hash") ?? [], h))
        {
            problems.Add($"ingredient.manifest.mismatch: {url}");
            return null;
        }
        Dictionary<string, object?>? next = null;
        var parentAssertions = parent.Child(C2paIds.AssertionStoreLabel)?.Children ?? [];
        if (parentAssertions.Count > limits.MaxAssertionsPerManifest)
            throw TooLarge(name, $"parent manifest {parent.Label} holds {parentAssertions.Count} assertions, over the limit of {limits.MaxAssertionsPerManifest} (Limits:Metadata:MaxAssertionsPerManifest)");
        foreach (var assertion in parentAssertions)
        {
            var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            if (content is null) continue;
            string label = BaseLabel(assertion.Label ?? "");
            Dictionary<string, object?>? map;
            try { map = CborTree.Map(CborTree.Decode(content.Data, name, limits)); }
            catch (LabelStampException) { continue; } // a broken or oversized parent assertion leaves the active manifest's report intact
            if (label is C2paIds.ActionsV2 or C2paIds.ActionsV1)
            {
                foreach (var a in CborTree.List(map, "actions"))
                    if (CborTree.Text(CborTree.Map(a), "digitalSourceType") is { } type) return type;
            }
            else if (label.StartsWith("c2pa.ingredient", StringComparison.Ordinal) && CborTree.Text(map, "relationship") == "parentOf")
            {
                next ??= ManifestReference(map);
            }
        }
        return next is null ? null : ParentSourceType(store, next, claimAlg, name, problems, limits, digests, depth + 1);
    }

    /// <summary>
    /// The hard binding an update manifest inherits: the nearest manifest up its parentOf chain (at most 8 deep)
    /// that has one, each link hash-checked, checked against the asset bytes with that manifest's algorithm.
    /// </summary>
    private static (string? Label, bool Valid) ParentHardBinding(byte[] file, JumbfBox store, Dictionary<string, object?> reference, string? claimAlg, bool bmff,
        string name, List<string> problems, MetadataLimits limits, DigestCache digests, int depth, HashExclusion? storeNow)
    {
        if (depth >= 8) return (null, false);
        string? url = CborTree.Text(reference, "url");
        var parent = url is null ? null : Resolve(store, store, url);
        if (parent is null || HashAlgorithm(CborTree.Text(reference, "alg") ?? claimAlg) is not { } h || !digests.Matches(parent, CborTree.Bytes(reference, "hash") ?? [], h))
        {
            string problem = parent is null ? $"ingredient.manifest.missing: {url}" : $"ingredient.manifest.mismatch: {url}";
            if (!problems.Contains(problem)) problems.Add(problem);
            return (null, false);
        }
        var claimBox = parent.Children.FirstOrDefault(c => c.Label is C2paIds.ClaimV2Label or C2paIds.ClaimV1Label);
        var claimContent = claimBox?.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
        var parentClaim = claimContent is null ? null : CborTree.Map(CborTree.Decode(claimContent.Data, name, limits));
        string? parentAlg = CborTree.Text(parentClaim, "alg") ?? claimAlg;
        var parentAssertions = parent.Child(C2paIds.AssertionStoreLabel)?.Children ?? [];
        if (parentAssertions.Count > limits.MaxAssertionsPerManifest)
            throw TooLarge(name, $"parent manifest {parent.Label} holds {parentAssertions.Count} assertions, over the limit of {limits.MaxAssertionsPerManifest} (Limits:Metadata:MaxAssertionsPerManifest)");
        Dictionary<string, object?>? next = null;
        foreach (var assertion in parentAssertions)
        {
            string label = BaseLabel(assertion.Label ?? "");
            var content = assertion.Children.FirstOrDefault(c => c.Type == C2paIds.Cbor);
            if (content is null) continue;
            bool binding = label is C2paIds.DataHash or C2paIds.BmffHashV1 or C2paIds.BmffHashV2 or C2paIds.BmffHashV3;
            bool ingredient = label.StartsWith("c2pa.ingredient", StringComparison.Ordinal);
            if (!binding && !ingredient) continue;
            var map = CborTree.Map(CborTree.Decode(content.Data, name, limits));
            if (label == C2paIds.DataHash) return (label, CheckDataHash(file, map, parentAlg, problems, limits, name, storeNow));
            if (binding) return (label, bmff && CheckBmffHash(file, map, parentAlg, name, problems, limits, label));
            if (CborTree.Text(map, "relationship") == "parentOf") next ??= ManifestReference(map);
        }
        return next is null ? (null, false) : ParentHardBinding(file, store, next, parentAlg, bmff, name, problems, limits, digests, depth + 1, storeNow);
    }

    /// <summary>Labels may carry an instance suffix ("c2pa.actions.v2__1", C2PA §6.4).</summary>
    private static string BaseLabel(string label)
    {
        int i = label.IndexOf("__", StringComparison.Ordinal);
        return i < 0 ? label : label[..i];
    }

    /// <summary>Resolves "self#jumbf=…" relative to the manifest or absolute ("/c2pa/&lt;manifest&gt;/…") (C2PA §11.2).</summary>
    internal static JumbfBox? Resolve(JumbfBox store, JumbfBox manifest, string? url)
    {
        const string prefix = "self#jumbf=";
        if (url is null || !url.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var path = url[prefix.Length..];
        JumbfBox current = manifest;
        if (path.StartsWith("/", StringComparison.Ordinal))
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0] != C2paIds.StoreLabel) return null;
            current = store.Child(parts[1]) ?? null!;
            if (current is null) return null;
            path = string.Join('/', parts.Skip(2));
            if (path.Length == 0) return current;
        }
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = current.Child(part);
            if (next is null) return null;
            current = next;
        }
        return current;
    }

    /// <summary>
    /// Hashes each box at most once per algorithm. A claim may name the same box many times, or a box and
    /// the boxes inside it; hashing on every reference would cost references × bytes, not bytes.
    /// </summary>
    private sealed class DigestCache
    {
        private readonly Dictionary<(JumbfBox Box, HashAlgorithmName Alg), (byte[] Whole, byte[]? Body)> _digests = [];

        public bool Matches(JumbfBox box, byte[] expected, HashAlgorithmName h)
        {
            if (!_digests.TryGetValue((box, h), out var d))
            {
                var raw = box.RawBytes.Span;
                // C2PA hashes the assertion's superbox; some writers hash it without its 8-byte header, so accept both.
                d = (Digest(h, raw), raw.Length > 8 ? Digest(h, raw[8..]) : null);
                _digests[(box, h)] = d;
            }
            return d.Whole.AsSpan().SequenceEqual(expected) || (d.Body is not null && d.Body.AsSpan().SequenceEqual(expected));
        }

        private static byte[] Digest(HashAlgorithmName h, ReadOnlySpan<byte> data) =>
            h == HashAlgorithmName.SHA384 ? SHA384.HashData(data) : h == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
    }

    /// <summary>The hash algorithms C2PA allows for hashes (§13.1): SHA2-256, -384, -512; null for any other or none.</summary>
    private static HashAlgorithmName? HashAlgorithm(string? alg) => alg switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <param name="storeNow">For a hard binding an update manifest inherits: where the (grown) store sits now. The
    /// exclusion that began where the store begins is taken to be the store's and stretched to its present length.</param>
    private static bool CheckDataHash(byte[] file, Dictionary<string, object?>? map, string? claimAlg, List<string> problems, MetadataLimits limits, string name,
        HashExclusion? storeNow = null)
    {
        var expected = CborTree.Bytes(map, "hash");
        if (expected is null) { problems.Add("assertion.dataHash.malformed: no hash"); return false; }
        string? alg = CborTree.Text(map, "alg") ?? claimAlg;
        if (HashAlgorithm(alg) is not { } h)
        {
            problems.Add(alg is null ? "algorithm.unsupported: the data hash names no algorithm and neither does the claim" : $"algorithm.unsupported: data hash algorithm {alg}");
            return false;
        }
        var listed = CborTree.List(map, "exclusions");
        CheckExclusionCount(listed.Count, limits, name);
        var exclusions = new List<HashExclusion>(listed.Count);
        foreach (var e in listed)
        {
            var em = CborTree.Map(e);
            long start = CborTree.Integer(em, "start") ?? -1, length = CborTree.Integer(em, "length") ?? -1;
            if (start < 0 || length < 0) { problems.Add("assertion.dataHash.malformed"); return false; }
            // Compared without adding: start + length may pass long.MaxValue.
            if (start > file.Length || length > file.Length - start)
            {
                problems.Add($"assertion.dataHash.malformed: exclusion of {length} bytes at {start} runs past the end of the {file.Length}-byte file");
                return false;
            }
            exclusions.Add(storeNow is { } now && now.Start == start ? now : new HashExclusion(start, length));
        }
        exclusions.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < exclusions.Count; i++)
            if (exclusions[i].Start < exclusions[i - 1].Start + exclusions[i - 1].Length)
            {
                problems.Add("assertion.dataHash.malformed: exclusions overlap");
                return false;
            }
        var actual = C2paProvenanceWriter.DataHash(file, exclusions, h);
        if (actual.AsSpan().SequenceEqual(expected)) return true;
        problems.Add("assertion.dataHash.mismatch: the content changed after signing");
        return false;
    }

    /// <param name="label">v1 (<c>c2pa.hash.bmff</c>) hashes the boxes alone; v2 and v3 put each box's offset before it.</param>
    private static bool CheckBmffHash(byte[] file, Dictionary<string, object?>? map, string? claimAlg, string name, List<string> problems, MetadataLimits limits, string label)
    {
        var expected = CborTree.Bytes(map, "hash");
        if (expected is null)
        {
            problems.Add(CborTree.List(map, "merkle").Count > 0 ? "assertion.bmffHash.unsupported: merkle trees are not checked" : "assertion.bmffHash.malformed");
            return false;
        }
        string? alg = CborTree.Text(map, "alg") ?? claimAlg;
        if (HashAlgorithm(alg) is not { } h)
        {
            problems.Add(alg is null ? "algorithm.unsupported: the BMFF hash names no algorithm and neither does the claim" : $"algorithm.unsupported: BMFF hash algorithm {alg}");
            return false;
        }
        var listed = CborTree.List(map, "exclusions");
        var exclusions = new List<BmffExclusion>(Math.Min(listed.Count, limits.MaxHashExclusions));
        int entries = 0;
        foreach (var e in listed)
        {
            var em = CborTree.Map(e);
            if (CborTree.Text(em, "xpath") is not { } xpath) { problems.Add("assertion.bmffHash.malformed: exclusion without xpath"); return false; }
            var data = CborTree.List(em, "data");
            var subset = CborTree.List(em, "subset");
            // Each exclusion walks the file's boxes once per data and subset entry: all of them count.
            entries += 1 + data.Count + subset.Count;
            CheckExclusionCount(entries, limits, name);
            var exclusion = new BmffExclusion(xpath)
            {
                Length = CborTree.Integer(em, "length"),
                Data = [.. data.Select(CborTree.Map).Select(d => (CborTree.Integer(d, "offset") ?? 0, CborTree.Bytes(d, "value") ?? []))],
                Subset = [.. subset.Select(CborTree.Map).Select(d => (CborTree.Integer(d, "offset") ?? 0, CborTree.Integer(d, "length") ?? 0))],
            };
            if (exclusion.Data.Any(d => d.Offset < 0) || exclusion.Subset.Any(s => s.Offset < 0 || s.Length < 0))
            {
                problems.Add($"assertion.bmffHash.malformed: exclusion {xpath} has a negative offset or length");
                return false;
            }
            exclusions.Add(exclusion);
        }
        if (BmffManifestContainer.Hash(file, name, exclusions, h, offsets: label != C2paIds.BmffHashV1).AsSpan().SequenceEqual(expected)) return true;
        problems.Add("assertion.bmffHash.mismatch: the content changed after signing");
        return false;
    }

    /// <summary>
    /// <c>c2pa.hash.boxes</c> (C2PA 2.x §18.7): each entry names consecutive boxes of the asset (<see cref="BoxHashMap"/>),
    /// in order, and hashes the bytes from the first one's start to the last one's end; the "C2PA" box (alone in its
    /// entry) and entries marked excluded are not hashed. Boxes the asset has beyond the listed ones are not judged,
    /// as the reference implementation does not judge them. Sub-box exclusions are reported unsupported.
    /// </summary>
    private static bool CheckBoxesHash(byte[] file, string format, Dictionary<string, object?>? map, string? claimAlg, List<string> problems,
        MetadataLimits limits, string name)
    {
        // No count bound beyond the CBOR decoder's: each entry consumes at least one box of the asset, in order, and
        // the boxes are disjoint, so the work is linear in the file whatever the entry count.
        var entries = CborTree.List(map, "boxes");
        if (entries.Count == 0) { problems.Add("assertion.boxesHash.malformed: no boxes"); return false; }
        if (BoxHashMap.For(file, format) is not { } boxes)
        {
            problems.Add($"assertion.boxesHash.unsupported: no box map for {format}");
            return false;
        }
        int next = 0;
        // An assertion may leave out PNG's signature box ("PNGh"), as older writers did.
        var firstNames = CborTree.List(CborTree.Map(entries[0]), "names");
        if (boxes.Count > 0 && boxes[0].Name == "PNGh" && firstNames.Count > 0 && firstNames[0] as string != "PNGh") next = 1;
        string? assertionAlg = CborTree.Text(map, "alg") ?? claimAlg;
        foreach (var e in entries)
        {
            var entry = CborTree.Map(e);
            var names = CborTree.List(entry, "names");
            if (names.Count == 0) { problems.Add("assertion.boxesHash.malformed: an entry names no box"); return false; }
            long start = -1, end = -1;
            bool c2pa = false;
            foreach (var n in names)
            {
                if (n is not string boxName || next >= boxes.Count || boxes[next].Name != boxName)
                {
                    problems.Add($"assertion.boxesHash.mismatch: the asset has no box {n} at position {next}");
                    return false;
                }
                var box = boxes[next++];
                if (start < 0) { start = box.Start; c2pa = boxName == BoxHashMap.C2paBox; }
                end = box.Start + box.Length;
            }
            if (c2pa && names.Count != 1) { problems.Add("assertion.boxesHash.mismatch: the C2PA box shares an entry"); return false; }
            if (entry?.GetValueOrDefault("exclusions") is List<object?> exclusions)
            {
                problems.Add(exclusions.Count == 0 ? "assertion.boxesHash.malformed: empty exclusions" : "assertion.boxesHash.unsupported: exclusions within boxes are not checked");
                return false;
            }
            if (c2pa || entry?.GetValueOrDefault("excluded") is true) continue;
            string? alg = CborTree.Text(entry, "alg") ?? assertionAlg;
            if (HashAlgorithm(alg) is not { } h)
            {
                problems.Add(alg is null ? "algorithm.unsupported: a box hash names no algorithm and neither does the claim" : $"algorithm.unsupported: box hash algorithm {alg}");
                return false;
            }
            byte[] actual = h == HashAlgorithmName.SHA384 ? SHA384.HashData(file.AsSpan((int)start, (int)(end - start)))
                : h == HashAlgorithmName.SHA512 ? SHA512.HashData(file.AsSpan((int)start, (int)(end - start)))
                : SHA256.HashData(file.AsSpan((int)start, (int)(end - start)));
            if (!actual.AsSpan().SequenceEqual(CborTree.Bytes(entry, "hash") ?? []))
            {
                problems.Add($"assertion.boxesHash.mismatch: boxes {string.Join(",", names)} changed after signing");
                return false;
            }
        }
        return true;
    }

    private static void CheckExclusionCount(int count, MetadataLimits limits, string name)
    {
        if (count > limits.MaxHashExclusions)
            throw TooLarge(name, $"hard binding lists more than {limits.MaxHashExclusions} exclusions and exclusion entries (Limits:Metadata:MaxHashExclusions)");
    }

    /// <summary>C2PA §14.5.1 signer profile checks and validity at <paramref name="at"/>; false (with the problems
    /// named) when the certificate may not vouch for the claim.</summary>
    private static bool CheckProfile(X509Certificate2 leaf, DateTime at, List<string> problems)
    {
        int before = problems.Count;
        // The certificate's outer structure was parsed with the signature; names, validity and extensions
        // are decoded only here, on first use, and a damaged one fails then (found by fuzzing the c2pa target).
        try
        {
            if (leaf.Subject == leaf.Issuer) problems.Add("signingCredential.invalid: self-signed signing certificate");
            CheckExtensions(leaf, problems);
            if (leaf.NotBefore.ToUniversalTime() > at || leaf.NotAfter.ToUniversalTime() < at)
                problems.Add($"signingCredential.expired: the signing certificate is valid {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}, not at {at:u}");
        }
        catch (CryptographicException e)
        {
            problems.Add($"signingCredential.invalid: the signing certificate cannot be decoded ({e.Message})");
        }
        return problems.Count == before;
    }

    private static void CheckExtensions(X509Certificate2 leaf, List<string> problems)
    {
        var ku = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (ku is null || !ku.Critical || (ku.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
            problems.Add("signingCredential.invalid: KeyUsage must be critical with digitalSignature");
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value is CertificateFactory.EmailProtectionEku or CertificateFactory.C2paSigningEku or "1.3.6.1.5.5.7.3.36"))
            problems.Add("signingCredential.invalid: no C2PA signing EKU");
    }

    private static LabelStampException Invalid(string name, string what) => new(ErrorCode.ManifestInvalid, $"{name}: C2PA manifest store {what}");

    private static LabelStampException TooLarge(string name, string what) => new(ErrorCode.ManifestTooLarge, $"{name}: C2PA manifest store {what}");
}
