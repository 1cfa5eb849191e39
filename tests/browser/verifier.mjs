// Drives the verifier page of a running `labelstamp serve` in Debian's chromium and prints, as one JSON
// object on stdout, what the page rendered for each file: the verdict, each layer's state, whether the
// label box or the prompt on the waveform was drawn, the conformance rows and the downloads. The xunit
// test (VerifierPageTests) asserts on that JSON; screenshots go to --out (and to --docs when given).
//
//   node verifier.mjs --base http://127.0.0.1:PORT --out DIR [--docs DIR [--docs-only NAME,...]] NAME=FILE ...
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); if (i < 0) return null; const v = args[i + 1]; args.splice(i, 2); return v; };
const base = option('--base');
const out = option('--out');
const docs = option('--docs');
// Which cases get a docs/ picture (default: all).
const docsOnly = (option('--docs-only') || '').split(',').filter(Boolean);
const cases = args.map((a) => { const i = a.indexOf('='); return { name: a.slice(0, i), path: a.slice(i + 1) }; });
if (!base || !out || cases.length === 0) {
  console.error('usage: node verifier.mjs --base URL --out DIR [--docs DIR] NAME=FILE ...');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
if (docs) mkdirSync(docs, { recursive: true });

const launchArgs = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];
if (process.getuid && process.getuid() === 0) launchArgs.push('--no-sandbox');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: launchArgs });
const report = { chromium: browser.version(), cases: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  for (const c of cases) report.cases.push(await runCase(context, c));
  await context.close();

  // Phone-sized screen: the first case again at 390×844 (an iPhone 12-class viewport) with touch.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const p = await phone.newPage();
  await p.goto(base + '/');
  await p.setInputFiles('#file', cases[0].path);
  await p.waitForFunction(() => ['done', 'refused', 'failed'].includes(document.body.dataset.state), null, { timeout: 45000 });
  const phoneShot = join(out, 'verifier-phone-' + cases[0].name + '.png');
  await p.screenshot({ path: phoneShot, fullPage: true });
  report.phone = {
    screenshot: phoneShot,
    // Nothing wider than the screen: no horizontal scrolling of the page itself.
    scrollWidth: await p.evaluate(() => document.documentElement.scrollWidth),
    viewportWidth: 390,
  };
  await phone.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');

async function runCase(context, c) {
  const page = await context.newPage();
  const external = [], consoleErrors = [];
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) external.push(u); });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const started = Date.now();
  await page.goto(base + '/');

  // Keyboard: Tab reaches the file picker, the only control before a result exists.
  let keyboardReachesPicker = false;
  for (let i = 0; i < 6 && !keyboardReachesPicker; i++) {
    await page.keyboard.press('Tab');
    keyboardReachesPicker = await page.evaluate(() => document.activeElement && document.activeElement.id === 'file');
  }

  await page.setInputFiles('#file', c.path);
  await page.waitForFunction(() => ['done', 'refused', 'failed'].includes(document.body.dataset.state), null, { timeout: 45000 });
  // The waveform is drawn after decoding in the page; wait for it where there is one.
  await page.waitForFunction(() => !document.getElementById('waveform') || document.getElementById('waveform').dataset.decoded !== undefined, null, { timeout: 15000 });
  // An image's box is drawn when the image has loaded.
  await page.waitForFunction(() => {
    const img = document.querySelector('#stage img');
    return !img || img.complete;
  }, null, { timeout: 15000 });

  const rendered = await page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const layers = {};
    for (const card of document.querySelectorAll('[data-layer]')) layers[card.dataset.layer] = card.dataset.state;
    const conformance = {};
    for (const row of document.querySelectorAll('#conformance-table tr[data-check]')) conformance[row.dataset.check] = row.dataset.status;
    const wave = q('#waveform');
    const box = q('#label-box');
    const img = q('#stage img');
    return {
      state: document.body.dataset.state,
      status: q('#status').textContent,
      verdict: q('#verdict') ? q('#verdict').dataset.verdict : null,
      verdictText: q('#verdict') ? q('#verdict').textContent : null,
      focusedAfterResult: document.activeElement ? document.activeElement.id : null,
      kind: q('#result').dataset.kind || null,
      layers,
      box: box ? { left: box.style.left, top: box.style.top, width: box.style.width, height: box.style.height } : null,
      imageShown: !!(img && img.naturalWidth > 0),
      waveform: wave ? { promptMarked: wave.dataset.promptMarked === 'true', decoded: wave.dataset.decoded === 'true', label: wave.getAttribute('aria-label') } : null,
      aigcSignature: q('[data-layer=metadata] [data-signature]') ? q('[data-layer=metadata] [data-signature]').dataset.signature : null,
      watermarkMarkId: (() => { const dts = [...document.querySelectorAll('[data-layer=watermark] dt')]; const dt = dts.find((d) => d.textContent === 'mark ID'); return dt ? dt.nextElementSibling.textContent : null; })(),
      validationCodes: [...document.querySelectorAll('[data-layer=provenance] ul.codes code')].map((e) => e.textContent),
      conformance,
      downloadHtml: q('#download-html') ? q('#download-html').getAttribute('href') : null,
    };
  });

  // The downloads carry the same checklist the table shows.
  let download = null;
  if (rendered.state === 'done' && Object.keys(rendered.conformance).length > 0) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const path = join(out, 'conformance-' + c.name + '.json');
    await file.saveAs(path);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('#download-html')]);
    const htmlPath = join(out, 'conformance-' + c.name + '.html');
    await html.saveAs(htmlPath);
    download = { json: path, html: htmlPath, checks: json.files[0].checks.length, htmlHasTable: readFileSync(htmlPath, 'utf8').includes('<table>') };
  }

  const shot = join(out, 'verifier-' + c.name + '.png');
  await page.screenshot({ path: shot, fullPage: true });
  if (docs && rendered.state === 'done' && (docsOnly.length === 0 || docsOnly.includes(c.name))) {
    // The docs picture: the verdict, the media and the layers, without the long checklist below them.
    const bottom = await page.evaluate(() => { const r = document.querySelector('#result .columns').getBoundingClientRect(); return r.bottom + window.scrollY + 16; });
    await page.screenshot({ path: join(docs, 'verifier-' + c.name + '.png'), clip: { x: 0, y: 0, width: 1280, height: Math.min(2400, Math.ceil(bottom)) }, fullPage: true });
  }
  await page.close();
  return { name: c.name, ...rendered, keyboardReachesPicker, download, screenshot: shot, external, consoleErrors, elapsedMs: Date.now() - started };
}
