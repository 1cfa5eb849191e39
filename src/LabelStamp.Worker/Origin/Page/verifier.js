// The LabelStamp verifier page: sends the chosen file to POST /verify and draws the answer. Plain DOM,
// no library: every value from the server is set as text (never as HTML), and detail keys this script
// does not know are listed as they come, so new verify fields appear without a page change.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const fileInput = $('file'), drop = $('drop'), status = $('status'), result = $('result');
  let objectUrls = [];

  const LAYERS = [
    ['explicit', 'Visible or audible label (GB 45438 §5)'],
    ['metadata', 'AIGC metadata (GB 45438 Annex E)'],
    ['watermark', 'Invisible watermark'],
    ['provenance', 'C2PA manifest'],
  ];

  // Keys each layer shows in its own way; everything else lands in "All details".
  const AIGC_FIELDS = ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2'];
  const LABEL_MEANING = { '1': 'generated', '2': 'possibly generated', '3': 'suspected generated' };

  // C2PA validation status codes (C2PA 2.x §15) in plain language.
  const CODES = {
    'claimSignature.validated': 'The signature over the claim verifies: the manifest is as its signer wrote it.',
    'claimSignature.mismatch': 'The signature over the claim does not verify: the manifest was changed after signing, or signed wrongly.',
    'claimSignature.missing': 'The claim has no signature.',
    'assertion.hashedURI.match': 'Every assertion the claim lists is present and unchanged.',
    'assertion.hashedURI.mismatch': 'An assertion was changed after the claim was signed.',
    'assertion.missing': 'The claim lists an assertion that is not in the file.',
    'assertion.dataHash.match': 'The file bytes are the ones that were signed (data hash).',
    'assertion.dataHash.mismatch': 'The file content changed after signing (data hash differs).',
    'assertion.dataHash.malformed': 'The data hash assertion cannot be read.',
    'assertion.bmffHash.match': 'The video/audio boxes are the ones that were signed (BMFF hash).',
    'assertion.bmffHash.mismatch': 'The MP4 content changed after signing (BMFF hash differs).',
    'assertion.bmffHash.malformed': 'The BMFF hash assertion cannot be read.',
    'assertion.bmffHash.unsupported': 'This verifier does not check this kind of BMFF hash.',
    'assertion.boxesHash.unsupported': 'This verifier does not check general box hashes.',
    'assertion.multipleHardBindings': 'More than one hard binding: the manifest is ambiguous about which bytes it covers.',
    'claim.hardBindings.missing': 'The manifest does not bind itself to the file bytes.',
    'claim.malformed': 'The manifest store cannot be read.',
    'manifest.inaccessible': 'The manifest store cannot be extracted from the file.',
    'algorithm.unsupported': 'A hash or signature algorithm that C2PA does not allow.',
    'ingredient.manifest.missing': 'An ingredient points to a manifest that is not in the file.',
    'ingredient.manifest.mismatch': 'An ingredient\'s manifest changed after it was referenced.',
    'signingCredential.trusted': 'The signing certificate chains to a trust anchor this server is configured with.',
    'signingCredential.untrusted': 'The signing certificate does not chain to a trust anchor this server knows: who signed is not vouched for.',
    'signingCredential.invalid': 'The signing certificate does not meet the C2PA certificate profile.',
    'signingCredential.expired': 'The signing certificate was not valid at signing time.',
    'timeStamp.validated': 'A trusted time-stamp proves when the manifest was signed.',
    'timeStamp.trusted': 'The time-stamp authority is trusted.',
    'timeStamp.untrusted': 'The time-stamp is valid but its authority is not trusted here.',
    'timeStamp.mismatch': 'The time-stamp does not cover this signature.',
    'timeStamp.malformed': 'The time-stamp cannot be read.',
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  function kv(pairs) {
    const dl = el('dl', { class: 'kv' });
    for (const [k, v] of pairs) {
      if (v === undefined || v === null || v === '') continue;
      dl.append(el('dt', { text: k }), el('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }));
    }
    return dl;
  }

  function badge(state, attr) {
    return el('span', { class: 'badge', [attr || 'data-state']: state, text: state });
  }

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  // ---- upload ----
  async function verify(file) {
    if (!file) return;
    for (const u of objectUrls) URL.revokeObjectURL(u);
    objectUrls = [];
    result.hidden = true;
    document.body.dataset.state = 'verifying';
    setStatus('Checking ' + file.name + ' (' + Math.ceil(file.size / 1024) + ' KiB)…');
    let response, body;
    try {
      response = await fetch('/verify?preview=1&conformance=1', {
        method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' }, cache: 'no-store', referrerPolicy: 'no-referrer',
      });
      const type = response.headers.get('Content-Type') || '';
      body = type.startsWith('application/json') ? await response.json() : await response.text();
    } catch (e) {
      document.body.dataset.state = 'failed';
      setStatus('The server could not be reached: ' + e.message, true);
      return;
    }
    if (typeof body === 'string') {
      document.body.dataset.state = 'refused';
      const retry = response.headers.get('Retry-After');
      setStatus('Not checked (' + response.status + '): ' + body.trim() + (retry ? ' — try again in ' + retry + ' s.' : ''), true);
      return;
    }
    setStatus('');
    render(file, body);
    document.body.dataset.state = 'done';
    $('verdict').focus();
  }

  fileInput.addEventListener('change', () => verify(fileInput.files[0]));
  for (const name of ['dragenter', 'dragover']) drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add('over'); });
  for (const name of ['dragleave', 'drop']) drop.addEventListener(name, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); if (e.dataTransfer.files.length) verify(e.dataTransfer.files[0]); });

  // ---- rendering ----
  function render(file, r) {
    const verdict = $('verdict');
    const kind = r.kind || 'unknown';
    result.dataset.kind = kind;
    result.dataset.format = r.format || '';
    if (r.errorCode) {
      verdict.dataset.verdict = 'error';
      verdict.textContent = file.name + ': could not be verified (' + r.errorCode + ')';
    } else if (r.aiLabelFound) {
      verdict.dataset.verdict = 'found';
      verdict.textContent = file.name + ': AI label found';
    } else {
      verdict.dataset.verdict = 'none';
      verdict.textContent = file.name + ': no AI label found';
    }
    const layers = $('layers');
    layers.replaceChildren();
    if (r.errorCode) layers.append(el('p', { class: 'summary', text: r.error }));
    for (const [key, title] of LAYERS) layers.append(layerCard(key, title, r[key], r));
    renderMedia(file, r, kind);
    renderConformance(r);
    result.hidden = false;
  }

  function layerCard(key, title, f, r) {
    const card = el('section', { class: 'layer', 'data-layer': key, 'data-state': f.state, 'aria-label': title });
    card.append(el('h3', {}, el('span', { text: title }), badge(f.state)));
    card.append(el('p', { class: 'summary', text: f.summary }));
    const d = f.details || {};
    const shown = new Set();
    const take = (k) => { shown.add(k); return d[k]; };
    if (key === 'metadata') metadataBody(card, d, take);
    else if (key === 'watermark') watermarkBody(card, d, take);
    else if (key === 'provenance') provenanceBody(card, d, take, r);
    else explicitBody(card, d, take);
    const rest = Object.keys(d).filter((k) => !shown.has(k));
    if (rest.length) {
      const more = el('details', {}, el('summary', { text: 'All details (' + rest.length + ')' }));
      more.append(kv(rest.map((k) => [k, d[k]])));
      card.append(more);
    }
    return card;
  }

  function explicitBody(card, d, take) {
    const pct = (v) => (v === undefined ? undefined : (100 * v).toFixed(1) + ' %');
    card.append(kv([
      ['wording', take('wording') ?? take('opening') ?? take('corner')],
      ['position', take('position')],
      ['ink height', d.inkHeight !== undefined ? take('inkHeight') + ' px of ' + take('shortSide') + ' px = ' + pct(take('inkHeightFraction')) : undefined],
      ['contrast', d.contrast !== undefined ? take('contrast') + ':1' : undefined],
      ['opening label seen until', d.openingSeenUntil !== undefined ? take('openingSeenUntil') + ' s' : undefined],
      ['prompt', d.promptStart !== undefined ? (take('promptKind') || 'prompt') + ' at ' + take('promptStart') + ' s' : undefined],
    ]));
  }

  function metadataBody(card, d, take) {
    if (d.Label === undefined) return;
    const rows = AIGC_FIELDS.map((k) => [k, take(k) === '' ? '(empty)' : d[k]]);
    rows[0][1] = d.Label + ' (' + (LABEL_MEANING[d.Label] || 'unknown') + ')';
    card.append(kv(rows));
    const sig = el('p', {}, 'ReservedCode1 signature: ', badge(take('signature') || 'unknown', 'data-signature'));
    if (d.signatureKeyId) sig.append(' key ' + take('signatureKeyId'));
    card.append(sig);
    if (d.ContentPropagator) {
      const p = el('p', {}, 'ReservedCode2 platform signature: ', badge(take('propagationSignature') || 'unknown', 'data-signature'));
      card.append(p);
    } else { take('propagationSignature'); }
    card.append(kv([['DigitalSourceType', take('DigitalSourceType')], ['stored in', take('where')]]));
  }

  function watermarkBody(card, d, take) {
    const p = d.falsePositiveProbability;
    card.append(kv([
      ['mark ID', take('markId')],
      ['key', take('keyId')],
      ['confidence', p !== undefined ? 'false-positive probability ' + Number(take('falsePositiveProbability')).toExponential(2) : undefined],
      ['bit errors corrected', take('bitErrorsCorrected')],
      ['geometry', take('geometry')],
    ]));
  }

  function provenanceBody(card, d, take, r) {
    card.append(kv([
      ['signer', take('signer')],
      ['issuer', take('issuer')],
      ['trust', take('signerTrust')],
      ['time-stamp', d.timestamp ? take('timestamp') + (d.timestampStatus ? ' (' + take('timestampStatus') + ')' : '') : (d.timestampTokens ? d.timestampTokens + ' token(s)' : undefined)],
      ['generator', take('claimGenerator')],
      ['DigitalSourceType', take('digitalSourceType')],
      ['actions', d.actions ? take('actions').split(',').join(', ') : undefined],
      ['soft binding', d.softBindingMarkId ? take('softBindingMarkId') + (d.softBindingMatchesWatermark === true ? ' (matches the watermark)' : d.softBindingMatchesWatermark === false ? ' (differs from the watermark)' : '') : undefined],
    ]));
    const tree = take('ingredientTree');
    if (Array.isArray(tree) && tree.length) {
      card.append(el('p', { text: 'Ingredients:' }), ingredientList(tree));
    }
    const codes = validationCodes(d, take);
    if (codes.length) {
      const ul = el('ul', { class: 'codes', 'aria-label': 'Validation codes' });
      for (const [code, line, ok] of codes) ul.append(el('li', { class: ok ? 'code-ok' : 'code-bad' }, el('code', { text: code }), ' — ' + line));
      card.append(el('p', { text: 'Validation:' }), ul);
    }
  }

  function ingredientList(nodes) {
    const ul = el('ul', { class: 'tree' });
    for (const n of nodes) {
      const parts = [n.title || '(untitled)', n.relationship ? '[' + n.relationship + ']' : '', n.format || '', n.claimGenerator ? 'by ' + n.claimGenerator : '',
        n.digitalSourceType ? 'source ' + n.digitalSourceType.split('/').pop() : ''].filter(Boolean);
      const li = el('li', { text: parts.join(' ') });
      if (n.ingredients && n.ingredients.length) li.append(ingredientList(n.ingredients));
      ul.append(li);
    }
    return ul;
  }

  function validationCodes(d, take) {
    const out = [];
    const problems = take('problems');
    const failed = new Set();
    if (problems) {
      for (const p of String(problems).split('; ')) {
        const i = p.indexOf(':');
        const code = i > 0 ? p.slice(0, i) : p;
        failed.add(code.split('.').slice(0, 2).join('.'));
        const own = i > 0 ? p.slice(i + 1).trim() : '';
        out.push([code, (CODES[code] || 'Reported by the validator.') + (own ? ' (' + own + ')' : ''), false]);
      }
    }
    take('valid'); take('aiGenerated'); take('credentialValid');
    if (d.signatureValid === true) out.unshift(['claimSignature.validated', CODES['claimSignature.validated'], true]);
    take('signatureValid');
    if (d.hardBindingValid === true && d.hardBinding) {
      const code = d.hardBinding.includes('bmff') ? 'assertion.bmffHash.match' : 'assertion.dataHash.match';
      out.push([code, CODES[code], true]);
    }
    take('hardBinding'); take('hardBindingValid');
    if (d.valid === true && !failed.has('assertion.hashedURI')) out.push(['assertion.hashedURI.match', CODES['assertion.hashedURI.match'], true]);
    const trust = String(d.signerTrust || '');
    if (trust && !failed.has('signingCredential.untrusted')) {
      if (/^trusted/.test(trust)) out.push(['signingCredential.trusted', CODES['signingCredential.trusted'], true]);
      else if (/^untrusted/.test(trust)) out.push(['signingCredential.untrusted', CODES['signingCredential.untrusted'], false]);
    }
    if (d.timestampStatus && CODES[d.timestampStatus]) out.push([d.timestampStatus, CODES[d.timestampStatus], /validated|trusted$/.test(d.timestampStatus) && !/untrusted/.test(d.timestampStatus)]);
    return out;
  }

  // ---- the media panel: the picture with the label box, or the waveform with the prompt ----
  function renderMedia(file, r, kind) {
    const stage = $('stage'), caption = $('media-caption');
    stage.replaceChildren();
    caption.textContent = '';
    stage.dataset.box = 'none';
    const d = r.explicit.details || {};
    if (kind === 'image') {
      const url = URL.createObjectURL(file);
      objectUrls.push(url);
      const img = el('img', { alt: 'The uploaded image' + (d.x !== undefined ? ', with the detected label outlined' : '') });
      img.addEventListener('load', () => drawBox(stage, d, img.naturalWidth, img.naturalHeight));
      img.src = url;
      stage.append(img);
      caption.textContent = d.x !== undefined ? 'Detected label outlined.' : 'No visible label detected at the corners.';
    } else if (kind === 'video' && r.preview) {
      const p = r.preview;
      const img = el('img', { alt: 'Frame at ' + p.seconds + ' s' + (d.x !== undefined ? ', with the detected label outlined' : '') });
      img.addEventListener('load', () => drawBox(stage, d, p.sourceWidth, p.sourceHeight));
      img.src = 'data:' + p.mediaType + ';base64,' + p.data;
      stage.append(img);
      caption.textContent = 'Frame at ' + p.seconds + ' s (luma). ' + (d.x !== undefined ? 'Detected ' + (d.label || '') + ' label outlined.' : 'No visible label detected.');
    } else if (kind === 'audio') {
      drawWaveform(stage, caption, file, d);
    } else {
      caption.textContent = 'No preview for this file.';
    }
  }

  function drawBox(stage, d, w, h) {
    if (d.x === undefined || !w || !h) return;
    const box = el('div', { class: 'box', id: 'label-box', role: 'img', 'aria-label': 'detected label' }, el('span', { text: 'label' }));
    box.style.left = (100 * d.x / w) + '%';
    box.style.top = (100 * d.y / h) + '%';
    box.style.width = (100 * d.width / w) + '%';
    box.style.height = (100 * d.height / h) + '%';
    stage.append(box);
    stage.dataset.box = 'drawn';
  }

  async function drawWaveform(stage, caption, file, d) {
    const canvas = el('canvas', { class: 'wave', id: 'waveform', width: 960, height: 200, role: 'img' });
    stage.append(canvas);
    const g = canvas.getContext('2d');
    let peaks = null, duration = Number(d.duration) || 0;
    try {
      const data = await file.arrayBuffer();
      const ctx = new OfflineAudioContext(1, 1, 44100);
      const audio = await ctx.decodeAudioData(data);
      duration = audio.duration;
      const ch = audio.getChannelData(0), cols = canvas.width, per = Math.max(1, Math.floor(ch.length / cols));
      peaks = new Float32Array(cols * 2);
      for (let c = 0; c < cols; c++) {
        let lo = 0, hi = 0;
        for (let i = c * per, end = Math.min(ch.length, i + per); i < end; i++) { const v = ch[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
        peaks[2 * c] = lo; peaks[2 * c + 1] = hi;
      }
    } catch (e) {
      peaks = null;
    }
    const W = canvas.width, H = canvas.height, mid = H / 2;
    g.fillStyle = '#f6f7f9'; g.fillRect(0, 0, W, H);
    const marks = [];
    const len = Number(d.promptLength) || 1.08;
    for (const k of ['promptStart', 'promptEnd']) if (d[k] !== undefined) marks.push([Number(d[k]), len]);
    if (duration > 0) {
      g.fillStyle = 'rgba(255,45,85,0.25)';
      for (const [t, l] of marks) g.fillRect(W * t / duration, 0, Math.max(2, W * l / duration), H);
    }
    if (peaks) {
      g.fillStyle = '#0b57d0';
      for (let c = 0; c < W; c++) {
        const y0 = mid - peaks[2 * c + 1] * mid, y1 = mid - peaks[2 * c] * mid;
        g.fillRect(c, y0, 1, Math.max(1, y1 - y0));
      }
    } else {
      g.fillStyle = '#999'; g.fillRect(0, mid, W, 1);
    }
    if (duration > 0) {
      g.fillStyle = '#a4161a'; g.font = '14px sans-serif';
      for (const [t] of marks) g.fillText('rhythm prompt', Math.min(W - 100, W * t / duration + 4), 16);
    }
    canvas.dataset.promptMarked = String(marks.length > 0 && duration > 0);
    canvas.dataset.decoded = String(peaks !== null);
    const where = marks.map(([t]) => t.toFixed(2) + ' s').join(' and ');
    canvas.setAttribute('aria-label', 'Waveform' + (marks.length ? ' with the prompt marked at ' + where : ', no prompt found'));
    caption.textContent = (peaks ? 'Waveform' : 'This browser cannot decode the audio; time axis only') + ' (' + duration.toFixed(1) + ' s). '
      + (marks.length ? 'Prompt marked at ' + where + '.' : 'No rhythm prompt found.');
  }

  function renderConformance(r) {
    const c = r.conformance;
    const tbody = $('conformance-table').querySelector('tbody');
    tbody.replaceChildren();
    if (!c) { $('conformance').hidden = true; return; }
    $('conformance').hidden = false;
    $('conformance-counts').textContent = c.counts.pass + ' pass, ' + c.counts.fail + ' fail, ' + c.counts.notApplicable + ' not applicable, ' + c.counts.notMeasured + ' not measured';
    for (const check of c.checks) {
      tbody.append(el('tr', { 'data-check': check.id, 'data-status': check.status },
        el('td', {}, el('code', { text: check.id }), el('br'), el('small', { text: check.rule + ': ' + check.requirement })),
        el('td', {}, badge(check.status, 'data-status')),
        el('td', { class: 'evidence', text: check.evidence })));
    }
    const html = new Blob([r.conformanceHtml || ''], { type: 'text/html' });
    const json = new Blob([JSON.stringify({ generator: 'labelstamp verify', files: [c] }, null, 2)], { type: 'application/json' });
    for (const [id, blob] of [['download-html', html], ['download-json', json]]) {
      const url = URL.createObjectURL(blob);
      objectUrls.push(url);
      $(id).href = url;
    }
  }
})();
