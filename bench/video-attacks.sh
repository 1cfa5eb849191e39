#!/usr/bin/env bash
# The issue 18 attack suite on the product's own video stamps, both mark versions, read back by the CLI.
#
#   bench/video-attacks.sh OUT_DIR CLIP...        (e.g. /work/corpus/video/render-pan-720p60-h264-aac.mp4)
#   bench/video-attacks.sh --table OUT_DIR        (prints OUT_DIR/readings.tsv as a markdown table)
#
# Per clip: the first SECONDS_CUT seconds (default 6) are cut by stream copy (audio kept: the stamp labels it), stamped by
# `labelstamp stamp` with all layers, once `--video-mark static` and once `--video-mark content-locked`, under
# key A. Each stamp is attacked with ffmpeg, frames only (-an, metadata dropped), as the development suite does
# (src/LabelStamp.Robustness/Video/VideoAttackSuite.cs):
#   h264-crf23-vf   libx264 veryfast CRF 23           h264-crf30-vf   libx264 veryfast CRF 30
#   h265-crf28      libx265 fast CRF 28               vp9-crf40       libvpx-vp9 -crf 40 -b:v 0 (good, cpu-used 5)
#   scale-720p      bicubic to 720p, x264 CRF 18      scale-540p      bicubic to 540p, x264 CRF 18
#   excerpt-5s      5 s from (len-5)/2+0.37 s, x264 CRF 18
#   combined        720p (540p for a 720p clip, none for 540p) + the same 5 s excerpt + x264 veryfast CRF 30
# (a scale applies only to clips taller than its height). Every stamp and copy is read with
# `labelstamp verify --json` under key A; the stamp and the combined copy also under key B (a wrong key).
# The unmarked cut gets UNMARKED_ATTACKS (default "h264-crf23-vf combined": the plain transcode and the harshest
# copy), read under key A.
# One line per reading goes to OUT_DIR/readings.tsv: clip, version, attack, key, watermark status, which reader
# decided (the row's geometry), bits corrected, and the path of the kept JSON.
#
# Env: SECONDS_CUT (6), VERSIONS (default "static content-locked"), STAMP_ARGS (extra stamp options, e.g.
# "--item-timeout 600" on a loaded machine), VERIFY_ARGS (extra verify options, the same), ATTACKS (space list of the names above; default all), UNMARKED_ATTACKS (same names;
# empty skips the unmarked copies), LABELSTAMP (the CLI dll; default the Release build under src/LabelStamp.Cli/bin:
# build first), REUSE_COPIES (1: an attacked copy already in OUT_DIR is read as it is, not made again: re-read an earlier
# run's copies with another build, e.g. from an OUT_DIR of symlinks to them, so a reader change is judged on the same
# bytes). Run under `nice -n 10`, one at a time.
set -euo pipefail
command -v jq >/dev/null || { echo 'video-attacks.sh reads verify --json with jq: sudo apt-get install -y jq' >&2; exit 2; }

# --table: one row per clip and version, a cell per attack: bits corrected and the reader (static = the static
# detector on the mean, registered = the content-locked registered read, image = the image mark of the earliest
# stamps, audio track only = the frames read nothing and the stamp's own audio track decided), z; "miss" when
# nothing was found; "WRONG ID" if a found mark is not the stamp's. Wrong-key and unmarked readings are counted in the last column (found / read).
if [ "${1:-}" = --table ]; then
  while IFS=$'\t' read -r c v a k st r b j mk; do
    # Readings written before the mark column existed: take it from the kept JSON.
    [ -n "$mk" ] || [ ! -f "$j" ] || mk=$(jq -r '.[0].watermark.details.markId // ""' "$j")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$v" "$a" "$k" "$st" "$r" "$b" "$j" "$mk"
  done < "${2:?OUT_DIR}/readings.tsv" | awk -F'\t' -v order="stamp h264-crf23-vf h264-crf30-vf h265-crf28 vp9-crf40 scale-720p scale-540p excerpt-5s combined" '
    BEGIN { m = split(order, cols, " ") }
    NR == 1 { next }
    { key = $1 "|" $2 }
    !(key in seen) { seen[key] = 1; rows[++n] = key }
    $4 == "b" || $2 == "unmarked" { fr[key]++; if ($5 != "not-found") ff[key]++; next }
    {
      z = $6; sub(/.*z /, "", z); sub(/[^0-9.].*/, "", z)
      who = $6 ~ /^content-locked/ ? "registered" : $6 ~ /^video mark/ ? "static" : $6 ~ /^audio/ ? "audio track only" : $6 == "" ? "" : "image"
      if ($5 == "found") { c = $7 " (" who ", z " z ")"; if ($3 == "stamp") id[key] = $9; else if ($9 != id[key]) c = "WRONG ID" }
      else c = "**miss**"
      cell[key "|" $3] = c
    }
    END {
      h = "| clip | version"; s = "|---|---"
      for (j = 1; j <= m; j++) { h = h " | " cols[j]; s = s "|---" }
      print h " | false detections (wrong key; unmarked) |"; print s "|---|"
      for (i = 1; i <= n; i++) {
        split(rows[i], p, "|"); line = "| " p[1] " | " p[2]
        for (j = 1; j <= m; j++) line = line " | " ((rows[i] "|" cols[j]) in cell ? cell[rows[i] "|" cols[j]] : "—")
        print line " | " (ff[rows[i]] + 0) " of " (fr[rows[i]] + 0) " |"
      }
    }'
  exit 0
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?OUT_DIR}; shift
cli=${LABELSTAMP:-"$repo/src/LabelStamp.Cli/bin/Release/net10.0/LabelStamp.Cli.dll"}
cut=${SECONDS_CUT:-6}
attacks=${ATTACKS:-"h264-crf23-vf h264-crf30-vf h265-crf28 vp9-crf40 scale-720p scale-540p excerpt-5s combined"}
case "$(realpath -m "$out")/" in "$repo"/*) echo "refusing to write media inside the repository ($out)" >&2; exit 2 ;; esac
mkdir -p "$out"
# Fixed keys (the figures are reproducible): A marks and reads, B is the wrong key.
[ -f "$out/key-a" ] || echo 5a17e1d3c0ffee0011223344556677889900aabbccddeeff0102030405060708 > "$out/key-a"
[ -f "$out/key-b" ] || echo 0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0 > "$out/key-b"
tsv="$out/readings.tsv"
[ -f "$tsv" ] || printf 'clip\tversion\tattack\tkey\tstatus\treader\tbits\tjson\tmark\n' > "$tsv"

ff() { ffmpeg -nostdin -hide_banner -v error "$@"; }

# attack NAME IN OUT_BASE HEIGHT DURATION -> echoes the copy's path, or nothing when the attack does not apply
attack() {
  local name=$1 in=$2 base=$3 h=$4 dur=$5 ss scale_to=0
  ss=$(awk -v d="$dur" 'BEGIN { s = (d - 5) / 2 + 0.37; if (s < 0) s = 0; if (s > d - 5) s = d - 5; printf "%.3f", s }')
  if [ "${REUSE_COPIES:-0}" = 1 ]; then
    local kept
    kept=$(ls "$base".mp4 "$base".webm 2>/dev/null | head -1 || true)
    if [ -n "$kept" ]; then echo "$kept"; return; fi
  fi
  case $name in
    h264-crf23-vf) ff -i "$in" -an -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4" ;;
    h264-crf30-vf) ff -i "$in" -an -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4" ;;
    h265-crf28) ff -i "$in" -an -c:v libx265 -preset fast -crf 28 -x265-params log-level=error -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4" ;;
    vp9-crf40) ff -i "$in" -an -c:v libvpx-vp9 -b:v 0 -crf 40 -deadline good -cpu-used 5 -row-mt 1 -pix_fmt yuv420p -map_metadata -1 -f webm -y "$base.webm"; echo "$base.webm"; return ;;
    scale-720p|scale-540p)
      scale_to=${name#scale-}; scale_to=${scale_to%p}
      [ "$h" -gt "$scale_to" ] || return 0
      ff -i "$in" -an -vf "scale=-2:$scale_to:flags=bicubic" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4" ;;
    excerpt-5s) ff -ss "$ss" -i "$in" -t 5 -an -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4" ;;
    combined)
      if [ "$h" -gt 720 ]; then scale_to=720; elif [ "$h" -gt 540 ]; then scale_to=540; fi
      if [ "$scale_to" -gt 0 ]; then
        ff -ss "$ss" -i "$in" -t 5 -an -vf "scale=-2:$scale_to:flags=bicubic" -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4"
      else
        ff -ss "$ss" -i "$in" -t 5 -an -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -map_metadata -1 -y "$base.mp4"
      fi ;;
    *) echo "unknown attack $name" >&2; exit 2 ;;
  esac
  echo "$base.mp4"
}

# read CLIP VERSION ATTACK KEYNAME FILE: one verify, one TSV line
read_one() {
  local clip=$1 version=$2 name=$3 keyname=$4 file=$5 json status reader bits
  json="$out/json/$clip.$version.$name.$keyname.json"
  mkdir -p "$out/json"
  dotnet "$cli" verify --json --key-file "$out/key-$keyname" ${VERIFY_ARGS:-} "$file" > "$json" 2> "$json.err" || true
  # The watermark row: its state, the reader that decided (the row's geometry) and the bits corrected.
  status=$(jq -r '.[0].watermark.state // "?"' "$json" 2>/dev/null || echo "?")
  reader=$(jq -r '.[0].watermark.details.geometry // .[0].errorCode // ""' "$json" 2>/dev/null || echo "")
  bits=$(jq -r '.[0].watermark.details.bitErrorsCorrected // ""' "$json" 2>/dev/null || echo "")
  mark=$(jq -r '.[0].watermark.details.markId // ""' "$json" 2>/dev/null || echo "")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$clip" "$version" "$name" "$keyname" "$status" "$reader" "$bits" "$json" "$mark" | tee -a "$tsv"
}

for src in "$@"; do
  clip=$(basename "${src%.*}")
  dir="$out/$clip"; mkdir -p "$dir"
  ext=${src##*.}
  cutf="$dir/cut.$ext"
  [ -f "$cutf" ] || ff -t "$cut" -i "$src" -c copy -map_metadata -1 -y "$cutf"
  h=$(ffprobe -v error -select_streams v:0 -show_entries stream=height -of csv=p=0 "$cutf")
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$cutf")
  for version in ${VERSIONS:-static content-locked}; do
    mkdir -p "$dir/$version"
    stamped=$(ls "$dir/$version"/cut.* 2>/dev/null | head -1 || true)
    if [ -z "$stamped" ]; then
      dotnet "$cli" stamp --producer LSBENCH001 --video-mark "$version" --key-file "$out/key-a" ${STAMP_ARGS:-} -o "$dir/$version" "$cutf" > "$dir/$version.stamp.log" 2>&1
      stamped=$(ls "$dir/$version"/cut.* | head -1)
    fi
    read_one "$clip" "$version" stamp a "$stamped"
    read_one "$clip" "$version" stamp b "$stamped"
    for name in $attacks; do
      copy=$(attack "$name" "$stamped" "$dir/$version/$name" "$h" "$dur")
      [ -n "$copy" ] || continue
      read_one "$clip" "$version" "$name" a "$copy"
      [ "$name" != combined ] || read_one "$clip" "$version" "$name" b "$copy"
    done
  done
  unmarked_attacks=${UNMARKED_ATTACKS-"h264-crf23-vf combined"}
  if [ -n "$unmarked_attacks" ]; then
    mkdir -p "$dir/unmarked"
    for name in $unmarked_attacks; do
      copy=$(attack "$name" "$cutf" "$dir/unmarked/$name" "$h" "$dur")
      [ -n "$copy" ] || continue
      read_one "$clip" unmarked "$name" a "$copy"
    done
  fi
done
