#!/usr/bin/env bash
# Short clips made from development-corpus images (bench/corpus/make-image-corpus.sh), to read the video mark on
# content the 15-clip development set (make-video-corpus.sh) does not have: frame heights under 540p, still shots of
# busy or periodic pictures, slow pans, every image class.
#
#   bench/corpus/make-video-sweep.sh OUT_DIR IMAGE_CORPUS_DIR
#
# Per image of IMAGES (paths inside the image corpus) × height of HEIGHTS × motion of MOTIONS, one silent clip
# OUT_DIR/sweep-<image>-<height>p25-<motion>.mp4: SECONDS (6) s at 25 fps, the image scaled to 1.25 × the height and
# a 16:9 window cut from it, `still` at the centre, `pan` moving left to right across the scaled image over the
# clip (2.1 px a frame at 720p for a 16:9 image), `slow` a quarter of that; libx264 veryfast CRF 18, yuv420p.
# Read them with bench/video-attacks.sh (ATTACKS="h264-crf23-vf h264-crf30-vf combined" is the sweep's suite).
set -euo pipefail
out=${1:?OUT_DIR}; corpus=${2:?IMAGE_CORPUS_DIR}
images=${IMAGES:-"photo/photo-10-3840x2160.jpg photo/photo-20-1920x1080.jpg render/render-22-3840x2160.webp render/render-31-1920x1080.jpg illustration/illustration-42-1920x1080.jpg illustration/illustration-08-1920x1080.webp painting/painting-20-1920x1080.png dark/dark-20-1920x1080.jpg text/text-42-1920x1080.jpg"}
heights=${HEIGHTS:-"360 720"}
motions=${MOTIONS:-"still pan"}
seconds=${SECONDS_CLIP:-6}
mkdir -p "$out"
for image in $images; do
  [ -f "$corpus/$image" ] || { echo "missing $corpus/$image (run make-image-corpus.sh first)" >&2; exit 2; }
  name=$(basename "${image%%.*}")
  for h in $heights; do
    w=$(( (h * 16 / 9 + 1) / 2 * 2 ))
    for motion in $motions; do
      case $motion in
        still) x="(iw-ow)/2" ;;
        pan) x="(iw-ow)*t/$seconds" ;;
        slow) x="(iw-ow)*t/($seconds*4)" ;;
        *) echo "unknown motion $motion (still, pan, slow)" >&2; exit 2 ;;
      esac
      clip="$out/sweep-$name-${h}p25-$motion.mp4"
      [ -f "$clip" ] && continue
      ffmpeg -nostdin -hide_banner -v error -loop 1 -framerate 25 -t "$seconds" -i "$corpus/$image" \
        -vf "scale=-2:$((h * 5 / 4)),crop=$w:$h:x='$x':y='(ih-oh)/2',setsar=1,format=yuv420p" \
        -c:v libx264 -preset veryfast -crf 18 -an -map_metadata -1 -y "$clip.part.mp4" 2> >(grep -vE "invalid TIFF header|Last message repeated" >&2 || true)
      mv "$clip.part.mp4" "$clip"   # only a whole clip gets the name the next run skips
      echo "$clip"
    done
  done
done
