#!/usr/bin/env bash
# Builds the development video set (issue 18) from Debian artwork (through the image corpus) and
# ffmpeg's own sources.
#
#   bench/corpus/make-video-corpus.sh [OUT_DIR] [IMAGE_CORPUS]
#
# OUT_DIR defaults to ${LABELSTAMP_CORPUS:-$HOME/.cache/labelstamp-corpus}/video, IMAGE_CORPUS to
# ${LABELSTAMP_CORPUS:-...}/images (made by bench/corpus/make-image-corpus.sh, which installs the
# artwork packages: mate-backgrounds, lomiri-wallpapers, plasma-workspace-wallpapers, gnome-backgrounds,
# supertuxkart-data, hedgewars-data, ...). Both must be outside the repository: media are never
# committed. Idempotent (an existing clip is kept; the manifest is rewritten) and deterministic: fixed
# inputs, fixed filter graphs, single-threaded x264/x265/libvpx encodes, audio from ffmpeg's own
# generators (aevalsrc, anoisesrc with a fixed seed).
#
# 14 clips, 5-12 s, 960x540 to 3840x2160, 24-60 fps: pans, zooms and a crossfade over real photos,
# smooth upscales of small images, render-like and cartoon art (wallpapers, SuperTuxKart and
# Hedgewars artwork), generator-like content (testsrc2, mandelbrot, gradients, life); with and without
# an audio track; H.264 (MP4), H.265 (MP4, hvc1) and VP9 (WebM) inputs. Encodes run under nice and
# one thread each (the build machine is shared).
set -euo pipefail

BASE=${LABELSTAMP_CORPUS:-$HOME/.cache/labelstamp-corpus}
OUT=${1:-$BASE/video}
IMG=${2:-$BASE/images}

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
refuse_inside_repo "$OUT"
command -v ffmpeg >/dev/null || { apt-get install -y --no-install-recommends ffmpeg >/dev/null; }
[ -d "$IMG/photo" ] || { echo "image corpus not found in $IMG: run bench/corpus/make-image-corpus.sh first" >&2; exit 2; }
mkdir -p "$OUT"

FF=(nice -n 10 ffmpeg -nostdin -hide_banner -v error -y)
MANIFEST="$OUT/manifest.csv"
echo "file,width,height,fps,seconds,codec,audio,content,source" > "$MANIFEST.tmp"

# Video encoder arguments per codec (generator-quality inputs: a little better than a platform).
venc() {
  case "$1" in
    h264) echo "-c:v libx264 -preset fast -crf 18 -threads 1 -pix_fmt yuv420p" ;;
    h265) echo "-c:v libx265 -preset fast -crf 22 -x265-params log-level=error:pools=1:frame-threads=1 -tag:v hvc1 -pix_fmt yuv420p" ;;
    vp9) echo "-c:v libvpx-vp9 -b:v 0 -crf 30 -deadline good -cpu-used 4 -threads 1 -pix_fmt yuv420p" ;;
  esac
}
# Audio: a slow chord with a little noise (music-like, deterministic); Opus in WebM, AAC in MP4.
ASRC="aevalsrc=0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.5*t))+0.15*sin(2*PI*277.2*t)+0.1*sin(2*PI*329.6*t):s=48000:c=stereo"
aenc() { case "$1" in vp9) echo "-c:a libopus -b:a 96k" ;; *) echo "-c:a aac -b:a 128k" ;; esac; }
ext() { case "$1" in vp9) echo webm ;; *) echo mp4 ;; esac; }

# clip NAME W H FPS SECONDS CODEC AUDIO(yes|no) CONTENT SOURCE -- INPUT ARGS [@@ FILTER ARGS]
clip() {
  local name=$1 w=$2 h=$3 fps=$4 sec=$5 codec=$6 audio=$7 content=$8 source=$9
  shift 10
  local file="$name.$(ext "$codec")"
  if [ ! -s "$OUT/$file" ]; then
    local in=() filt=() vmap=(-map 0:v:0) inputs=0 arg side=in
    for arg in "$@"; do
      if [ "$arg" = @@ ]; then side=out; continue; fi
      [ "$arg" = -i ] && inputs=$((inputs + 1))
      [ "$arg" = -filter_complex ] && vmap=()
      if [ $side = in ]; then in+=("$arg"); else filt+=("$arg"); fi
    done
    if [ "$audio" = yes ]; then in+=(-f lavfi -i "$ASRC,aformat=sample_fmts=fltp"); fi
    # shellcheck disable=SC2046
    "${FF[@]}" "${in[@]}" "${filt[@]}" "${vmap[@]}" $([ "$audio" = yes ] && echo "-map $inputs:a:0 $(aenc "$codec")") \
      -t "$sec" -r "$fps" $(venc "$codec") -s "${w}x${h}" "$OUT/$file.part.$(ext "$codec")"
    mv "$OUT/$file.part.$(ext "$codec")" "$OUT/$file"
    echo "made $file" >&2
  fi
  echo "$file,$w,$h,$fps,$sec,$codec,$audio,$content,$source" >> "$MANIFEST.tmp"
}

# A still image as a looped input at the clip's rate.
still() { echo "-loop 1 -framerate $2 -t $3 -i $IMG/$1"; }

# Pan: the image scaled to 1.35x the frame height, a crop window moving left to right (and a little down).
pan() { echo "scale=-2:$(( $2 * 135 / 100 )):flags=lanczos,crop=$1:$2:x='(iw-ow)*t/$3':y='(ih-oh)*(0.3+0.4*t/$3)',setsar=1"; }
# Zoom: scale grows 1.0 -> 1.3 over the clip (per-frame evaluation), centre crop.
zoom() { echo "scale=w='2*trunc($1*(1+0.3*t/$3)/2)':h=-2:eval=frame:flags=bicubic,crop=$1:$2,setsar=1"; }

# shellcheck disable=SC2046
{
clip photo-pan-1080p30-h264-aac 1920 1080 30 10 h264 yes photo-pan "photo-10-3840x2160.jpg (lomiri-wallpapers-16.04)" -- \
  $(still photo/photo-10-3840x2160.jpg 30 10) @@ -vf "$(pan 1920 1080 10)"
clip photo-zoom-720p25-h265 1280 720 25 8 h265 no photo-zoom "photo-20-1920x1080.jpg (lomiri-wallpapers-16.04)" -- \
  $(still photo/photo-20-1920x1080.jpg 25 8) @@ -vf "$(zoom 1280 720 8)"
clip photo-crossfade-1080p24-vp9-opus 1920 1080 24 9 vp9 yes photo-crossfade "photo-08 + photo-42 (mate-backgrounds)" -- \
  $(still photo/photo-08-1920x1080.jpg 24 9) $(still photo/photo-42-1920x1080.png 24 9) \
  @@ -filter_complex "[0:v]$(pan 1920 1080 9)[a];[1:v]$(pan 1920 1080 9)[b];[a][b]xfade=transition=fade:duration=3:offset=3,format=yuv420p[v]" -map "[v]"
clip photo-still-720p24-h264 1280 720 24 8 h264 no photo-nearly-still "photo-40-1344x768.jpg (lomiri-wallpapers-20.04)" -- \
  $(still photo/photo-40-1344x768.jpg 24 8) @@ -vf "scale=w='2*trunc(1280*(1+0.03*t/8)/2)':h=-2:eval=frame:flags=bicubic,crop=1280:720,setsar=1"
clip upscale-pan-1080p24-h264 1920 1080 24 8 h264 no smooth-upscale "painting-06-1344x768.jpg a 560x315 window upscaled 3.4x" -- \
  $(still painting/painting-06-1344x768.jpg 24 8) @@ -vf "crop=560:315:x='(iw-ow)*t/8':y=200,scale=1920:1080:flags=bicubic,setsar=1"
clip dark-pan-1080p50-vp9 1920 1080 50 6 vp9 no dark-photo-pan "dark-20-1920x1080.jpg" -- \
  $(still dark/dark-20-1920x1080.jpg 50 6) @@ -vf "$(pan 1920 1080 6)"
clip render-pan-720p60-h264-aac 1280 720 60 6 h264 yes render-pan "render-10-3840x2160.png (plasma-workspace-wallpapers)" -- \
  $(still render/render-10-3840x2160.png 60 6) @@ -vf "$(pan 1280 720 6)"
clip render-zoom-540p30-h265-aac 960 540 30 8 h265 yes render-zoom "render-31-1920x1080.jpg (plasma-workspace-wallpapers)" -- \
  $(still render/render-31-1920x1080.jpg 30 8) @@ -vf "$(zoom 960 540 8)"
clip cartoon-pan-720p30-vp9 1280 720 30 8 vp9 no cartoon-pan "illustration-20-1920x1080.png (supertuxkart-data)" -- \
  $(still illustration/illustration-20-1920x1080.png 30 8) @@ -vf "$(pan 1280 720 8)"
clip cartoon-zoom-540p24-h264 960 540 24 10 h264 no cartoon-zoom "illustration-29-1344x768.png" -- \
  $(still illustration/illustration-29-1344x768.png 24 10) @@ -vf "$(zoom 960 540 10)"
clip testsrc2-720p30-h264 1280 720 30 6 h264 no generator "ffmpeg testsrc2" -- \
  -f lavfi -i "testsrc2=s=1280x720:r=30:d=6"
clip mandelbrot-540p25-h265-aac 960 540 25 8 h265 yes generator "ffmpeg mandelbrot (zooming)" -- \
  -f lavfi -i "mandelbrot=s=960x540:r=25:maxiter=256:end_scale=0.05:end_pts=8"
clip gradients-1080p24-vp9 1920 1080 24 6 vp9 no generator "ffmpeg gradients (smooth, flat)" -- \
  -f lavfi -i "gradients=s=1920x1080:r=24:d=6:speed=0.02:seed=18"
clip life-540p30-h264-aac 960 540 30 6 h264 yes generator "ffmpeg life (cellular automaton, mold)" -- \
  -f lavfi -i "life=s=480x270:r=30:seed=18:mold=10:life_color=#ffcc66:death_color=#224466:mold_color=#336633" @@ -vf "scale=960:540:flags=neighbor"
clip photo-pan-2160p24-h264 3840 2160 24 5 h264 no photo-pan-4k "photo-33-3840x2160.jpg (mate-backgrounds)" -- \
  $(still photo/photo-33-3840x2160.jpg 24 5) @@ -vf "scale=-2:2376:flags=lanczos,crop=3840:2160:x='(iw-ow)*t/5':y='(ih-oh)/2',setsar=1"
}
mv "$MANIFEST.tmp" "$MANIFEST"
echo "$(($(wc -l < "$MANIFEST") - 1)) clips in $OUT" >&2
