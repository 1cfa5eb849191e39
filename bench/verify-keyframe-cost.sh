#!/usr/bin/env bash
# What verify's second registered canvas (the one registered against key frames, round 15) costs (issue 18, round 16).
#
#   bench/verify-keyframe-cost.sh OUT.tsv REPS KEY_FILE ARM... -- FILE...   (appends one line per verify to OUT.tsv)
#   bench/verify-keyframe-cost.sh --table OUT.tsv                         (medians per file and arm, markdown)
#
# An ARM is NAME=BENCH_DIR:CANVASES: the Release output directory of bench/LabelStamp.Benchmarks (a copy, so two builds can
# be compared in one run) and `both` (verify as shipped) or `chained` (the key-frame canvas switched off: the internal
# VideoLabelOptions.KeyFrameCanvas, which the CLI does not offer). Each verify is its own process
# (`LabelStamp.Benchmarks.dll verify-cost`: the CLI's verifier, all layers, the key, default registered read
# on-static-miss); each rep verifies every file once per arm, the arms' order rotated per rep (paired, alternating).
# CPU = user + system of the process and its waited-for children (GNU time: the ffmpeg decodes and probes, the audio
# track's tools); peak RSS = the larger of GNU time's maximum and the process's own VmHWM. Run under `nice -n 10`, alone.
set -uo pipefail
if [ "${1:-}" = --table ]; then
  python3 - "${2:?OUT.tsv}" <<'PY'
import sys, statistics as st, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
d = collections.defaultdict(list); reading = collections.defaultdict(set); arms = list(dict.fromkeys(r[1] for r in rows))
for f, arm, rep, u, s, mr, state, bits, geo, own, kids, hwm in rows:
    d[(f, arm)].append((float(u) + float(s), max(int(mr), int(hwm or 0)) / 1024))
    reading[(f, arm)].add((state, bits, geo.replace(', second decode', '')))
a0 = arms[0]
print('| file | runs | ' + ' | '.join(f'CPU-s {a}' for a in arms) + ' | ' + ' | '.join(f'{a} − {a0}' for a in arms[1:]) + ' | '
      + ' | '.join(f'peak RSS MB {a}' for a in arms) + ' | ' + ' | '.join(f'{a} − {a0}' for a in arms[1:]) + ' | reading |')
print('|---|---:|' + '---:|' * (4 * len(arms) - 2) + '---|')
for f in dict.fromkeys(r[0] for r in rows):
    med = {a: (st.median(x[0] for x in d[(f, a)]), st.median(x[1] for x in d[(f, a)])) for a in arms if d[(f, a)]}
    if a0 not in med: continue
    n = min(len(d[(f, a)]) for a in med)
    cpu = [f'{med[a][0]:.2f}' if a in med else '—' for a in arms]
    dc = [f'{med[a][0] - med[a0][0]:+.2f} ({100 * (med[a][0] / med[a0][0] - 1):+.1f} %)' if a in med else '—' for a in arms[1:]]
    rss = [f'{med[a][1]:.0f}' if a in med else '—' for a in arms]
    dr = [f'{med[a][1] - med[a0][1]:+.0f}' if a in med else '—' for a in arms[1:]]
    rd = {a: reading[(f, a)] for a in med}
    same = all(len(v) == 1 for v in rd.values()) and len(set(next(iter(v)) for v in rd.values())) == 1
    r0 = next(iter(rd[a0]))
    desc = ('not found' if r0[0] != 'Found' else f"{r0[1]} bits, " + ('registered' if r0[2].startswith('content-locked') else 'static' if r0[2].startswith('video mark') else r0[2][:20]))
    print(f"| {f} | {n} | {' | '.join(cpu)} | {' | '.join(dc)} | {' | '.join(rss)} | {' | '.join(dr)} | {desc}{'' if same else ' (ARMS DIFFER)'} |")
PY
  exit 0
fi
out=$(realpath -m "${1:?OUT.tsv}"); reps=${2:?REPS}; key=$(realpath "${3:?KEY_FILE}"); shift 3
arms=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do arms+=("$1"); shift; done
shift
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
n=${#arms[@]}
for ((r = 0; r < reps; r++)); do
  for f in "$@"; do
    for ((k = 0; k < n; k++)); do
      spec=${arms[$(( (k + r) % n ))]}
      name=${spec%%=*}; rest=${spec#*=}; dir=${rest%:*}; canvases=${rest##*:}
      /usr/bin/time -f '%U %S %M' -o "$work/time" dotnet "$dir/LabelStamp.Benchmarks.dll" verify-cost "$canvases" "$key" "$f" > "$work/line" 2> "$work/err"
      read -r u s mr < <(tail -1 "$work/time")
      # Empty fields as "-" (read would merge consecutive tabs).
      IFS=$'\t' read -r file _ state bits geo own kids hwm < <(sed -e 's/\t\t/\t-\t/g' -e 's/\t\t/\t-\t/g' "$work/line")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${file:-$(basename "$f")}" "$name" "$r" "$u" "$s" "$mr" "$state" "$bits" "$geo" "$own" "$kids" "$hwm" >> "$out"
    done
  done
done
