// The reference check for LabelStamp's C2PA layer: reads one file with c2pa-rs (the WASM build in
// @contentauth/c2pa-wasm) and prints one JSON line:
// {reader, format, present, title, claimGenerator, assertions, ingredients: [{title, relationship}],
//  digitalSourceType, signer, validationState, success, informational, failure, error}
// where success/informational/failure are the active manifest's validation status codes (c2pa-rs's
// validation_results) and failure also carries the ingredients' failures prefixed "ingredient:".
// Usage: node rs-read.mjs FILE [TRUST_ANCHORS.pem]
// Exit code 0 whatever the verdict; a crash (exit != 0) means the script itself failed.
import * as fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const require = createRequire(import.meta.url);
initSync({ module: await fs.readFile(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });

const [path, anchorsPath] = process.argv.slice(2);
const bytes = new Uint8Array(await fs.readFile(path));

/** The MIME type c2pa-rs should parse the bytes as, sniffed from the bytes (never from the name). */
function sniff(b) {
    const ascii = (at, n) => Buffer.from(b.subarray(at, at + n)).toString('latin1');
    if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
    if (ascii(1, 3) === 'PNG') return 'image/png';
    if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'image/webp';
    if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return 'audio/wav';
    if (ascii(0, 4) === 'fLaC') return 'audio/flac';
    if (ascii(0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
    if (ascii(4, 4) === 'ftyp') return ascii(8, 3) === 'M4A' ? 'audio/mp4' : 'video/mp4';
    return 'application/octet-stream';
}

const format = sniff(bytes);
// Trust: without anchors c2pa-rs reports signingCredential.untrusted for any chain (what the tests expect);
// with a PEM bundle it judges the chain against it.
const settings = { verify: { verify_trust: true } };
if (anchorsPath) settings.trust = { trust_anchors: await fs.readFile(anchorsPath, 'utf8') };

const out = { reader: 'c2pa-rs', format, present: false, success: [], informational: [], failure: [] };
let reader;
try {
    reader = await WasmReader.fromBytes(format, bytes, JSON.stringify(settings));
} catch (e) {
    out.error = String(e?.message ?? e);
    // c2pa-rs's "no manifest" is an error here, not a verdict on a manifest.
    out.present = !/JumbfNotFound|ManifestNotFound|no JUMBF|not found/i.test(out.error);
    console.log(JSON.stringify(out));
    process.exit(0);
}
const store = JSON.parse(reader.json());
const active = store.manifests?.[store.active_manifest];
out.present = !!active;
out.validationState = store.validation_state;
if (active) {
    out.title = active.title;
    out.claimGenerator = active.claim_generator_info?.map(g => `${g.name}${g.version ? '/' + g.version : ''}`).join(', ') ?? active.claim_generator;
    out.assertions = (active.assertions ?? []).map(a => a.label);
    out.ingredients = (active.ingredients ?? []).map(i => ({
        title: i.title, relationship: i.relationship, activeManifest: i.active_manifest ?? null,
        failure: (i.validation_results?.activeManifest?.failure ?? []).map(s => s.code),
    }));
    const actions = (active.assertions ?? []).find(a => a.label === 'c2pa.actions.v2' || a.label === 'c2pa.actions');
    out.digitalSourceType = actions?.data?.actions?.find(a => a.digitalSourceType)?.digitalSourceType ?? null;
    out.signer = active.signature_info?.common_name ?? active.signature_info?.issuer ?? null;
    out.signatureAlg = active.signature_info?.alg ?? null;
}
const results = store.validation_results;
if (results) {
    const codes = list => (list ?? []).map(s => s.code);
    out.success = codes(results.activeManifest?.success);
    out.informational = codes(results.activeManifest?.informational);
    out.failure = codes(results.activeManifest?.failure);
    for (const ing of results.ingredientDeltas ?? [])
        for (const s of ing.validationDeltas?.failure ?? []) out.failure.push('ingredient:' + s.code);
} else {
    // Older shape: a flat validation_status list holds the failures only.
    out.failure = (store.validation_status ?? []).map(s => s.code);
}
out.explanations = (results?.activeManifest?.failure ?? store.validation_status ?? []).map(s => `${s.code}: ${s.explanation ?? ''}`);
// Why c2pa-rs noted what it noted (e.g. which check made a time-stamp untrusted).
out.notes = (results?.activeManifest?.informational ?? []).map(s => `${s.code}: ${s.explanation ?? ''}`);
console.log(JSON.stringify(out));
