// Independent C2PA check for LabelStamp's tests: reads one file with @trustnxt/c2pa-ts and prints one
// JSON line {format, present, valid, statuses, errors, signer, generator}. Exit code 0 even when the
// manifest is invalid; a crash (exit != 0) means the script itself failed.
import * as fs from 'node:fs/promises';
import { BMFF, JPEG, MP3, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore, ValidationResult } from '@trustnxt/c2pa-ts/manifest';

// c2pa-ts admits only HEIF brands to its BMFF reader; its BMFF hash validation is generic, so the
// MP4/M4A brands are added (labeling-spec §6).
for (const brand of ['isom', 'mp41', 'mp42', 'M4A ', 'M4A']) BMFF.canReadBrands.add(brand);

const path = process.argv[2];
const buf = new Uint8Array(await fs.readFile(path));
let asset, format;
if (JPEG.canRead(buf)) { asset = new JPEG(buf); format = 'jpeg'; }
else if (PNG.canRead(buf)) { asset = new PNG(buf); format = 'png'; }
else if (BMFF.canRead(buf)) { asset = new BMFF(buf); format = 'bmff'; }
else if (MP3.canRead(buf)) { asset = new MP3(buf); format = 'mp3'; }
else { console.log(JSON.stringify({ format: null, present: false, valid: false, statuses: [], errors: ['unsupported format'] })); process.exit(0); }

const jumbf = asset.getManifestJUMBF();
if (!jumbf) { console.log(JSON.stringify({ format, present: false, valid: false, statuses: [], errors: [] })); process.exit(0); }

let result, signer, generator;
try {
    const manifests = ManifestStore.read(SuperBox.fromBuffer(jumbf));
    const active = manifests.getActiveManifest();
    signer = active?.signature?.signatureData?.certificate?.subject;
    generator = active?.claim?.claimGeneratorName;
    result = await manifests.validate(asset);
} catch (e) {
    result = ValidationResult.fromError(e);
}
const entries = result.statusEntries ?? [];
console.log(JSON.stringify({
    format,
    present: true,
    valid: result.isValid,
    statuses: entries.map(s => s.code),
    errors: entries.filter(s => !s.success).map(s => s.code + (s.explanation ? ': ' + s.explanation : '')),
    signer,
    generator,
}));
