#!/usr/bin/env bash
# Cuts 256² and 384² crops out of the development image corpus's larger images (issue 23): more small frames than
# the corpus's own 70 at 256-384 px, for measurements that need many of them (the lossy output's file check at that
# size, `file-check-margin`). Content the corpus's small images do not show, since each crop is a different part of a
# larger picture; the mark was never tuned on them.
#
#   bench/corpus/make-small-crops.sh CORPUS_DIR [OUT_DIR]
#
# CORPUS_DIR is bench/corpus/make-image-corpus.sh's output (its manifest.csv is read); OUT_DIR defaults to
# CORPUS_DIR/../small-crops and must be outside the repository. From every corpus image whose short side is 512 px or
# more (266 of 336): two 256² and two 384² crops, saved as PNG (lossless, so a crop holds exactly the source's decoded
# pixels, alpha included). Deterministic: a crop's corner is a function of the CRC (cksum) of its output name.
# Idempotent: an existing crop is kept; the manifest (the corpus's columns) is rewritten.
set -euo pipefail

SRC=${1:?usage: make-small-crops.sh CORPUS_DIR [OUT_DIR]}
OUT=${2:-$(dirname "$(realpath "$SRC")")/small-crops}
PACKAGES=(libvips-tools)

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
refuse_inside_repo "$OUT"
install_packages
[ -f "$SRC/manifest.csv" ] || { echo "no manifest.csv in $SRC (run make-image-corpus.sh first)" >&2; exit 2; }
export VIPS_WARNING=0

rows=() made=0 kept=0
while IFS=, read -r file width height class format pkg path op; do
  [ "$file" = file ] && continue
  short=$(( width < height ? width : height ))
  [ "$short" -ge 512 ] || continue
  mkdir -p "$OUT/$class"
  stem=$(basename "${file%%.*}")
  for side in 256 384; do
    for k in 0 1; do
      name="$stem-crop$side-$k.png"
      out="$OUT/$class/$name"
      crc=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
      left=$(( crc % (width - side + 1) ))
      top=$(( (crc / 65536) % (height - side + 1) ))
      if [ -f "$out" ]; then kept=$((kept + 1)); else
        vips crop "$SRC/$file" "$out" "$left" "$top" "$side" "$side"
        made=$((made + 1))
      fi
      rows+=("$class/$name,$side,$side,$class,png,$pkg,$path,crop-of-${file//,/_}-$left-$top")
    done
  done
done < "$SRC/manifest.csv"

{
  echo "file,width,height,class,format,source_package,source_path,operation"
  printf '%s\n' "${rows[@]}"
} > "$OUT/manifest.csv"
echo "small crops: $OUT (${#rows[@]} crops; $made made, $kept already there); manifest: $OUT/manifest.csv"
