// A foreign C2PA *writer* for LabelStamp's tests: signs a file with c2pa-rs's Builder (the WASM build in
// @contentauth/c2pa-wasm), so our stamping and reading meet a manifest the reference implementation made.
// Usage: [RS_HASH_ALG=sha384|sha512] [RS_BOX_HASH=1] [RS_INTENT=update] node rs-sign.mjs IN OUT CHAIN.pem KEY.pem [DIGITAL_SOURCE_TYPE|none]
//        [es256|es384|es512|ps256|ps384|ps512|ed25519]
// RS_BOX_HASH=1: the hard binding is c2pa.hash.boxes (c2pa-rs's prefer_box_hash) where the format has a box map.
// RS_INTENT=update: an update manifest over IN's own manifest (IN must carry one): no hard binding of its own, the
// parent ingredient is IN's active manifest (C2PA 2.x §10.3.1, update manifests).
// The manifest: claim v2 from generator "c2pa-rs-test/1.0", c2pa.actions.v2 with one c2pa.created (with
// the given IPTC digital source type, default trainedAlgorithmicMedia; "none": no actions assertion, so no
// source type), title = IN's file name.
//
// Two things the WASM build needs outside a browser, both supplied here:
// - it reads its source through Blob.slice + FileReaderSync (a Web Worker API): a Blob-like over the bytes
//   and a FileReaderSync that returns them stand in;
// - its signer callback receives the claim bytes and must return the whole COSE_Sign1 (the JS signer has no
//   certificate field), padded to reserveSize: c2pa-rs hashes the asset around a placeholder of that size.
import * as fs from 'node:fs/promises';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder } from '@contentauth/c2pa-wasm';

const require = createRequire(import.meta.url);
initSync({ module: await fs.readFile(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });

const [input, output, chainPath, keyPath, sourceArg, algArg] = process.argv.slice(2);
const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const sourceType = sourceArg === 'none' ? null : sourceArg ? (sourceArg.includes('/') ? sourceArg : IPTC + sourceArg) : IPTC + 'trainedAlgorithmicMedia';
const alg = (algArg ?? 'es256').toLowerCase();
const ALGS = { es256: [-7, 'sha256'], es384: [-35, 'sha384'], es512: [-36, 'sha512'], ps256: [-37, 'sha256'], ps384: [-38, 'sha384'], ps512: [-39, 'sha512'],
    ed25519: [-8, null] };
if (!ALGS[alg]) throw new Error('unsupported alg ' + alg);
const [coseAlg, digest] = ALGS[alg];
const RESERVE = 16384;

class SyncBlob {
    constructor(u8) { this.u8 = u8; this.size = u8.length; this.type = ''; }
    slice(a = 0, b = this.size) { return new SyncBlob(this.u8.subarray(a, Math.min(b, this.size))); }
}
globalThis.FileReaderSync = class {
    readAsArrayBuffer(blob) { const u = blob.u8; return u.buffer.slice(u.byteOffset, u.byteOffset + u.length); }
};

// Minimal deterministic CBOR for the COSE structure (ints, text, bytes, arrays, maps, null).
function head(major, n) {
    if (n < 24) return [major << 5 | n];
    if (n < 256) return [major << 5 | 24, n];
    if (n < 65536) return [major << 5 | 25, n >> 8, n & 255];
    return [major << 5 | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function cbor(v) {
    if (v === null) return Buffer.from([0xf6]);
    if (typeof v === 'number') return Buffer.from(v >= 0 ? head(0, v) : head(1, -1 - v));
    if (typeof v === 'string') { const b = Buffer.from(v, 'utf8'); return Buffer.concat([Buffer.from(head(3, b.length)), b]); }
    if (v instanceof Uint8Array) return Buffer.concat([Buffer.from(head(2, v.length)), Buffer.from(v)]);
    if (Array.isArray(v)) return Buffer.concat([Buffer.from(head(4, v.length)), ...v.map(cbor)]);
    if (v instanceof Map) return Buffer.concat([Buffer.from(head(5, v.size)), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
    throw new Error('cbor: ' + typeof v);
}

const certs = (await fs.readFile(chainPath, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
    .map(p => new Uint8Array(new crypto.X509Certificate(p).raw));
const key = crypto.createPrivateKey(await fs.readFile(keyPath));

function coseSign1(claim) {
    // x5chain as CHAIN.pem gives it, leaf first.
    const chain = certs;
    const prot = new Uint8Array(cbor(new Map([[1, coseAlg], [33, chain.length === 1 ? chain[0] : chain]])));
    const toBeSigned = cbor(['Signature1', prot, new Uint8Array(0), new Uint8Array(claim)]);
    const options = alg.startsWith('ps')
        ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }
        : alg === 'ed25519' ? key : { key, dsaEncoding: 'ieee-p1363' };
    const sig = new Uint8Array(crypto.sign(digest, toBeSigned, options));
    const build = n => Buffer.concat([Buffer.from([0xd2]), cbor([prot, new Map([['pad', new Uint8Array(n)]]), null, sig])]);
    let n = RESERVE - build(0).length;
    if (n < 0) throw new Error('signature larger than the reserve');
    while (build(n).length > RESERVE) n--;
    return new Uint8Array(build(n));
}

const action = { action: 'c2pa.created' };
if (sourceType) action.digitalSourceType = sourceType;
const definition = {
    claim_generator_info: [{ name: 'c2pa-rs-test', version: '1.0' }],
    title: path.basename(input),
    // c2pa-rs requires digitalSourceType on c2pa.created (C2PA 2.4) and checks its own output, so "none"
    // writes no actions assertion and turns that check off: the manifest older writers make, which c2pa-rs
    // then reports as assertion.action.malformed.
    assertions: sourceType ? [{ label: 'c2pa.actions.v2', data: { actions: [action] } }] : [],
};
// The claim's hash algorithm (sha256 by default): RS_HASH_ALG=sha384 or sha512 to exercise a reader.
if (process.env.RS_HASH_ALG) definition.hash_alg = process.env.RS_HASH_ALG;
const bytes = new Uint8Array(await fs.readFile(input));
const format = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.wav': 'audio/wav',
    '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.mp4': 'video/mp4' }[path.extname(input).toLowerCase()];
if (!format) throw new Error('unknown format for ' + input);
const update = process.env.RS_INTENT === 'update';
const settings = {};
if (!sourceType) settings.verify = { verify_after_sign: false };
if (process.env.RS_BOX_HASH) settings.builder = { prefer_box_hash: true };
if (update) delete definition.assertions;
const builder = WasmBuilder.fromJson(JSON.stringify(definition), Object.keys(settings).length ? JSON.stringify(settings) : null);
if (update) {
    builder.setIntent('update');
    await builder.addIngredientFromBlob(JSON.stringify({ title: path.basename(input), relationship: 'parentOf' }), format, new SyncBlob(bytes));
}
const signer = { alg, reserveSize: RESERVE, sign: async claim => coseSign1(claim) };
await fs.writeFile(output, await builder.sign(signer, [], format, new SyncBlob(bytes)));
