// A second, independent C2PA *writer* for LabelStamp's reader tests: signs a JPEG with @trustnxt/c2pa-ts
// (claim v2, data hash for JPEG or BMFF v3 hash for MP4, c2pa.actions.v2 with c2pa.created +
// trainedAlgorithmicMedia) so our reader is exercised on a manifest another generator made.
// Usage: node sign.mjs IN.(jpg|mp4) OUT CHAIN.pem KEY.pem
import * as fs from 'node:fs/promises';
import { X509Certificate } from '@peculiar/x509';
import { BMFF, JPEG } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import { ActionAssertion, BMFFHashAssertion, ClaimVersion, DataHashAssertion, ManifestStore } from '@trustnxt/c2pa-ts/manifest';

for (const brand of ['isom', 'mp41', 'mp42']) BMFF.canReadBrands.add(brand);

const [input, output, chainPath, keyPath] = process.argv.slice(2);
const pems = (await fs.readFile(chainPath, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
const certs = pems.map(p => new X509Certificate(p));
const keyPem = await fs.readFile(keyPath, 'utf8');
const pkcs8 = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

const bytes = new Uint8Array(await fs.readFile(input));
const isVideo = input.endsWith('.mp4');
const asset = isVideo ? new BMFF(bytes) : new JPEG(bytes);
const signer = new LocalSigner(new Uint8Array(pkcs8), CoseAlgorithmIdentifier.ES256, certs[0], certs.slice(1));
const store = new ManifestStore();
const manifest = store.createManifest({
    claimVersion: ClaimVersion.V2,
    assetFormat: isVideo ? 'video/mp4' : 'image/jpeg',
    instanceID: 'xmp:iid:foreign-0001',
    defaultHashAlgorithm: 'SHA-256',
    signer,
});
const actions = new ActionAssertion();
actions.actions = [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia' }];
manifest.addAssertion(actions);
const dataHash = isVideo ? BMFFHashAssertion.createV3('jumbf manifest', 'SHA-256') : DataHashAssertion.create('SHA-256');
manifest.addAssertion(dataHash);
await asset.ensureManifestSpace(store.measureSize());
await dataHash.updateWithAsset(asset);
await manifest.sign(signer);
await asset.writeManifestJUMBF(store.getBytes());
await fs.writeFile(output, await asset.getDataRange());
