#!/usr/bin/env bash
# JPEG files of every layout a decoder meets, made from the development image corpus (issue 23, twenty-eighth step):
# the evidence that the system libjpeg-turbo alone decodes what libvips' loader decodes to the same pixels
# (`jpeg-decode-identity`), over encoders and options the corpus's own 87 JPEGs (all written by libvips) do not cover.
#
#   bench/corpus/make-jpeg-variants.sh CORPUS_DIR [OUT_DIR]
#
# CORPUS_DIR is bench/corpus/make-image-corpus.sh's output (its manifest.csv is read); OUT_DIR defaults to
# CORPUS_DIR/../jpeg-variants and must be outside the repository. From every third corpus image of at most 12 MP, its
# RGB pixels (alpha dropped) are written as: libvips baseline 4:2:0 q85, 4:4:4 q95, progressive q80, restart markers
# every 3 MCU rows, grey q85; libjpeg-turbo's cjpeg 4:2:2, 4:4:0, 4:1:1, float-DCT q60, an RGB-colourspace file (which
# the direct path declines) and a grey one; jpegtran's arithmetic-coded and progressive-with-restarts copies; ffmpeg's
# MJPEG encoder in 4:2:2. Idempotent: an existing file is kept.
set -euo pipefail

SRC=${1:?usage: make-jpeg-variants.sh CORPUS_DIR [OUT_DIR]}
OUT=${2:-$(dirname "$(realpath "$SRC")")/jpeg-variants}
PACKAGES=(libvips-tools libjpeg-turbo-progs ffmpeg)

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
refuse_inside_repo "$OUT"
install_packages
[ -f "$SRC/manifest.csv" ] || { echo "no manifest.csv in $SRC (run make-image-corpus.sh first)" >&2; exit 2; }
export VIPS_WARNING=0
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 made=0
while IFS=, read -r file width height class format pkg path op; do
  [ "$file" = file ] && continue
  n=$((n + 1))
  [ $(( (n - 1) % 3 )) -eq 0 ] || continue
  [ $(( width * height )) -le 12000000 ] || continue
  stem=$(basename "${file%%.*}")
  [ -f "$OUT/$stem-mjpeg422.jpg" ] && continue
  ppm="$tmp/$stem.ppm"
  ffmpeg -v error -y -i "$SRC/$file" -frames:v 1 -pix_fmt rgb24 "$ppm"
  vips jpegsave "$ppm" "$OUT/$stem-vips420-q85.jpg" --Q 85
  vips jpegsave "$ppm" "$OUT/$stem-vips444-q95.jpg" --Q 95
  vips jpegsave "$ppm" "$OUT/$stem-vips-progressive-q80.jpg" --Q 80 --interlace
  vips jpegsave "$ppm" "$OUT/$stem-vips-restart3-q85.jpg" --Q 85 --restart-interval 3
  vips colourspace "$ppm" "$tmp/grey.v" b-w && vips jpegsave "$tmp/grey.v" "$OUT/$stem-vips-grey-q85.jpg" --Q 85
  cjpeg -quality 85 -sample 2x1 -outfile "$OUT/$stem-cjpeg422.jpg" "$ppm"
  cjpeg -quality 85 -sample 1x2 -outfile "$OUT/$stem-cjpeg440.jpg" "$ppm"
  cjpeg -quality 85 -sample 4x1 -outfile "$OUT/$stem-cjpeg411.jpg" "$ppm"
  cjpeg -quality 60 -dct float -outfile "$OUT/$stem-cjpeg-float-q60.jpg" "$ppm"
  cjpeg -quality 85 -rgb -outfile "$OUT/$stem-cjpeg-rgb.jpg" "$ppm"
  cjpeg -quality 85 -grayscale -outfile "$OUT/$stem-cjpeg-grey.jpg" "$ppm"
  jpegtran -arithmetic -outfile "$OUT/$stem-arithmetic.jpg" "$OUT/$stem-vips420-q85.jpg"
  jpegtran -progressive -restart 1 -outfile "$OUT/$stem-progressive-restart.jpg" "$OUT/$stem-vips444-q95.jpg"
  ffmpeg -v error -y -i "$ppm" -frames:v 1 -pix_fmt yuvj422p -q:v 3 "$OUT/$stem-mjpeg422.jpg"
  rm -f "$ppm" "$tmp/grey.v"
  made=$((made + 1))
done < "$SRC/manifest.csv"
echo "$made sources made into JPEG variants; $(ls "$OUT" | wc -l) files in $OUT"
