#!/usr/bin/env bash
# verify's CPU and peak memory with the content-locked registered canvas built always, on a static miss only, or never
# (issue 18, round 12; `labelstamp verify --video-registered-read`).
#
#   bench/verify-registered-cost.sh OUT.tsv REPS KEY_FILE FILE...   (appends one line per verify to OUT.tsv)
#   bench/verify-registered-cost.sh --table OUT.tsv                 (medians per file and mode, markdown)
#
# Each rep verifies every file once under each mode, the modes' order rotated per rep (paired, alternating), with
# `verify --json --item-timeout 900` under KEY_FILE. CPU = user + system of the CLI and its waited-for children (GNU time:
# the ffmpeg decodes, probes and the audio track's tools); peak RSS = the larger of GNU time's maximum (the largest
# process) and the CLI's own VmHWM, polled every 0.1 s. Env: LABELSTAMP (the CLI dll; default the Release build under
# src/LabelStamp.Cli/bin). Run under `nice -n 10`, one at a time.
set -uo pipefail
if [ "${1:-}" = --table ]; then
  python3 - "${2:?OUT.tsv}" <<'PY'
import sys, statistics as st, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
d = collections.defaultdict(list); readings = collections.defaultdict(set)
for f, m, r, e, u, s, mr, hwm, state, g in rows:
    d[(f, m)].append((float(u) + float(s), max(int(mr), int(hwm)) / 1024))
    if m != 'never': readings[f].add((state, g.replace(', second decode', '')))
print('| file | runs | CPU-s always | **on-static-miss** | never | on-static-miss / always | peak RSS MB always | **on-static-miss** | never | same reading, always and on-static-miss |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for f in dict.fromkeys(r[0] for r in rows):
    med = {m: (st.median(x[0] for x in d[(f, m)]), st.median(x[1] for x in d[(f, m)])) for m in ('always', 'on-static-miss', 'never') if d[(f, m)]}
    n = min(len(d[(f, m)]) for m in med)
    a, o, v = med.get('always'), med.get('on-static-miss'), med.get('never')
    c = lambda x, i: '—' if x is None else f'{x[i]:.2f}' if i == 0 else f'{x[i]:.0f}'
    print(f"| {f} | {n} | {c(a,0)} | **{c(o,0)}** | {c(v,0)} | {'—' if not (a and o) else f'{o[0]/a[0]:.2f}'} | {c(a,1)} | **{c(o,1)}** | {c(v,1)} | {'yes' if len(readings[f]) == 1 else 'NO'} |")
PY
  exit 0
fi
out=$(realpath -m "${1:?OUT.tsv}"); reps=${2:?REPS}; key=$(realpath "${3:?KEY_FILE}"); shift 3
cli=${LABELSTAMP:-$(dirname "$0")/../src/LabelStamp.Cli/bin/Release/net10.0/LabelStamp.Cli.dll}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
modes=(always on-static-miss never)
for ((r = 0; r < reps; r++)); do
  for f in "$@"; do
    for ((k = 0; k < 3; k++)); do
      m=${modes[$(( (k + r) % 3 ))]}
      /usr/bin/time -f '%e %U %S %M' -o "$work/time" dotnet "$cli" verify --json --item-timeout 900 --key-file "$key" \
        --video-registered-read $m "$f" > "$work/json" 2> /dev/null &
      tp=$!; hwm=0
      while kill -0 $tp 2> /dev/null; do
        p=$(pgrep -P $tp -x dotnet | head -1)
        [ -n "$p" ] && h=$(awk '/VmHWM/ { print $2 }' /proc/$p/status 2> /dev/null) && [ -n "$h" ] && hwm=$h
        sleep 0.1
      done
      wait $tp
      read -r e u s mr < <(tail -1 "$work/time")
      st=$(jq -r '.[0].watermark.state' "$work/json"); g=$(jq -r '.[0].watermark.details.geometry // ""' "$work/json")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$m" "$r" "$e" "$u" "$s" "$mr" "$hwm" "$st" "$g" >> "$out"
    done
  done
done
