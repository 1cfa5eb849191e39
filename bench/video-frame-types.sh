#!/bin/bash
# Bytes per frame type (I, P, B) of each file's video stream, from ffprobe's pict_type and pkt_size:
# where a mark's bytes go (bench/VIDEO.md, round 7). Usage: bench/video-frame-types.sh FILE...
for f in "$@"; do
  ffprobe -v error -select_streams v:0 -show_entries frame=pict_type,pkt_size -of csv=p=0 "$f" |
    awk -F, -v n="$(basename "$f")" '$2 != "" {b[$2]+=$1; c[$2]++} END {printf "%s:", n; for (t in b) printf " %s %d frames %d B;", t, c[t], b[t]; print ""}'
done
