#!/usr/bin/env python3
# usage: video-claims-vs-verify.py RUN_DIR (stamp.txt: the CLI stamp lines, verify.json: verify --json of the stamped files)
# prints per clip: claimed?, verify reads?, same mark?, reader, bits, z, summary; counts on stderr
import json, re, sys, os
d = sys.argv[1]
claims = {}
for line in open(os.path.join(d, 'stamp.txt')):
    m = re.match(r'ok (\S+) -> (\S+) \[([^\]]*)\] mark (\S+)', line)
    if m:
        claims[os.path.basename(m.group(2))] = ('watermark' in m.group(3).split(','), m.group(4), line.strip())
    elif line.strip():
        print('STAMP-LINE', line.strip()[:200])
rep = json.load(open(os.path.join(d, 'verify.json')))
rows = []
for r in rep:
    name = os.path.basename(r['file'])
    w = r.get('watermark', {})
    state = w.get('state'); det = w.get('details') or {}
    mid = det.get('markId') or ''
    summ = w.get('summary', '')
    c = claims.get(name)
    rows.append((name, c[0] if c else None, c[1] if c else None, state, mid, summ, det))
cnt = {}
for name, claimed, cm, state, mid, summ, det in sorted(rows):
    found = state == 'found'
    same = found and (cm in summ or cm == mid)
    key = ('claim' if claimed else 'no-claim') + '/' + ('reads' if found else 'miss')
    cnt[key] = cnt.get(key, 0) + 1
    geo = det.get('geometry', '') if found else ''
    z = re.search(r'z ([0-9.]+)', geo)
    bits = det.get('bitErrorsCorrected', '-') if found else '-'
    how = 'registered' if 'content-locked' in geo else ('static' if 'video mark' in geo else (det.get('source', '') if found else ''))
    print(f"{name}\t{'claim' if claimed else 'no-claim'}\t{'reads' if found else 'miss'}\t{'' if not found else ('same' if same else 'OTHER')}\t{how}\t{bits}\t{z.group(1) if z else '-'}\t{summ[:160]}")
print(cnt, file=sys.stderr)
