#!/usr/bin/env bash
# Builds the development image corpus (issue 23) from artwork in Debian 12 packages.
#
#   bench/corpus/make-image-corpus.sh [OUT_DIR]
#
# OUT_DIR defaults to ${LABELSTAMP_CORPUS:-$HOME/.cache/labelstamp-corpus}/images. It must be outside
# the repository: media are never committed. The script is idempotent (an existing output file is
# kept; the manifest is rewritten) and deterministic: every list is sorted, every choice is a function
# of the item's index or of the CRC (cksum) of its output name, and the only random source (the canvas
# texture of the painting class) uses ImageMagick with the fixed seed 23. bench/corpus/README.md lists
# the packages, their licences and the composition.
#
# Classes: photo, painting, illustration, render, text, dark, transparent; 48 images each (336).
# Sizes per class: 256² ×5, 384² ×5, 512² ×5, 512×768 ×5, 768² ×5, 832×1216 ×4, 1344×768 ×4,
# 1024² ×4, 1920×1080 ×4, 2560×1600 ×3, 3840×2160 ×3, 7680×4320 ×1.
# Formats: JPEG q85-95, PNG, lossy WebP q80-90, lossless WebP (transparent art: PNG and both WebPs).
set -euo pipefail

OUT=${1:-${LABELSTAMP_CORPUS:-$HOME/.cache/labelstamp-corpus}/images}
PER_CLASS=48
PACKAGES=(imagemagick libvips-tools fonts-dejavu-core
  mate-backgrounds desktop-base gnome-backgrounds plasma-workspace-wallpapers ukui-wallpapers
  lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
  hedgewars-data tuxpaint-stamps-default openclipart-png neverball-data supertuxkart-data)

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
refuse_inside_repo "$OUT"

# ---------------------------------------------------------------- packages
install_packages

# ImageMagick 6 (not a wrapper that may stand first on PATH).
IM=/usr/bin/convert
[ -x "$IM" ] || IM=convert
export VIPS_WARNING=0

# ---------------------------------------------------------------- sources (pkg<TAB>path, sorted)
bg=/usr/share/backgrounds
wp=/usr/share/wallpapers
largest() { ls -S "$wp/$1"/contents/images/*.jpg "$wp/$1"/contents/images/*.png 2>/dev/null | head -1; }
emit() { local pkg=$1; shift; for f in "$@"; do [ -f "$f" ] && printf '%s\t%s\n' "$pkg" "$f"; done; return 0; }
width_of() { vipsheader -f width "$1" 2>/dev/null || echo 0; }

# Photographs. Dune, LadyBird and Storm (mate) and the-mouse and goldfish (ukui) are the six-photo
# tuning set of samples-media (with Arc-Colors-Transparent) and are left out on purpose.
photo_sources() {
  emit mate-backgrounds $bg/mate/nature/{Aqua,Blinds,FreshFlower,Garden,GreenMeadow,RainDrops,TwoWings,Wood,YellowFlower}.jpg
  emit lomiri-wallpapers-16.04 $bg/{Bridge_by_Sander_Klootwijk,Dragonfly_by_Bolly,Picture_0B_by_freespace,Picture_1A_by_freespace,Wine_by_Jakkub_Mede,aitzgorri_by_Aitzol_Berasategi,free_by_Peter_Nerlich,friends_by_Aitzol_Berasategi,life_by_Aitzol_Berasategi,picosdeeuropa_by_Aitzol_Berasategi,seeding_by_Clements_Engelhardt,sunset_by_Aitzol_Berasategi}.jpg
  emit lomiri-wallpapers-20.04 $bg/Kleiber_by_Lukas_Baubkus.jpg
  for w in BytheWater ColdRipple ColorfulCups EveningGlow FallenLeaf Grey OneStandsOut Path summer_1am; do
    emit plasma-workspace-wallpapers "$(largest $w)"
  done
}
# Paintings and painterly artwork (the other half of the class is oil-paint-filtered photos).
painting_sources() {
  emit mate-backgrounds $bg/mate/abstract/Elephants_5640x3172.jpg
  emit lomiri-wallpapers-16.04 $bg/analogpattern_by_Peter_Nerlich.jpg
  emit lomiri-wallpapers-20.04 $bg/Painting-Colors_by__herobrine7gamer.jpg
  for w in Autumn Kite SafeLanding; do emit plasma-workspace-wallpapers "$(largest $w)"; done
}
# Flat vector-style illustrations and cartoon backdrops.
illustration_sources() {
  emit ukui-wallpapers $bg/{calla,city,desert,firstgeneration,focal-ubuntukylin,rollpaper}.*
  emit lomiri-wallpapers $bg/{lomiri-default-background,warty-final-ubuntu}.png
  emit gnome-backgrounds $bg/gnome/{adwaita-l,grid-l,pixels-l,truchet-l}.webp
  for w in Altai Canopee Cascade Flow FlyingKonqui IceCold Kay PastelHills Patak; do emit plasma-workspace-wallpapers "$(largest $w)"; done
  emit desktop-base /usr/share/plymouth/themes/{joy/background,spacefun/background,futureprototype/plymouth_background_future}.png
  for t in Beach Castle Desert Fruit Nature Sheep Snow Underwater; do emit hedgewars-data /usr/share/games/hedgewars/Data/Themes/$t/Sky.png; done
}
# 3D renders: rendered wallpapers, SuperTuxKart track screenshots, Neverball level shots (256 px).
render_large_sources() {
  emit ukui-wallpapers $bg/{2004default,rhythm,string}.jpg $bg/fluent-color.png
  emit lomiri-wallpapers-16.04 $bg/{greentock_by_Peter_Nerlich,umang_by_Abhishek_Mudgal}.jpg
  emit gnome-backgrounds $bg/gnome/{licorice-l,symbolic-l,wood-l}.webp
  for w in Cluster Elarun Honeywave Kokkini Opal Shell Volna; do emit plasma-workspace-wallpapers "$(largest $w)"; done
}
render_screenshot_sources() {
  find /usr/share/games/supertuxkart/data/tracks -iname '*screenshot*' \( -name '*.jpg' -o -name '*.png' \) ! -name '*dummy*' | LC_ALL=C sort |
    while read -r f; do emit supertuxkart-data "$f"; done
}
render_small_sources() {
  find /usr/share/games/neverball -path '*/shot-*' -name '*.jpg' | LC_ALL=C sort | awk 'NR % 6 == 1' |
    while read -r f; do emit neverball-data "$f"; done
}
# Naturally dark or low-key artwork (the other half of the class is darkened photos).
dark_sources() {
  emit gnome-backgrounds $bg/gnome/{adwaita-d,grid-d,pixels-d,symbolic-d,truchet-d,wood-d,licorice-d}.webp
  emit mate-backgrounds $bg/mate/desktop/{MATE-Stripes-Dark,Ubuntu-Mate-Dark-no-logo}.png
  emit lomiri-wallpapers-20.04 $bg/Infinite-Sea_by_Aury88.jpg
  for w in DarkestHour MilkyWay; do emit plasma-workspace-wallpapers "$(largest $w)"; done
  emit desktop-base /usr/share/plymouth/themes/{homeworld/plymouth_background_homeworld,moonlight/background}.png
}
# Art with real transparency: large alpha wallpapers and sprites/clipart/stamps (upscaled as needed).
alpha_wallpaper_sources() {
  emit mate-backgrounds $bg/mate/abstract/{Flow,Gulp,Silk,Spring,Waves}.png
}
sprite_sources() {
  find /usr/share/openclipart/png -name '*.png' | LC_ALL=C sort | awk 'NR % 97 == 1' |
    while read -r f; do [ "$(width_of "$f")" -ge 400 ] && emit openclipart-png "$f"; done
  find /usr/share/tuxpaint/stamps -name '*.png' ! -name '*_thumb*' | LC_ALL=C sort | awk 'NR % 23 == 1' |
    while read -r f; do [ "$(width_of "$f")" -ge 200 ] && emit tuxpaint-stamps-default "$f"; done
  find /usr/share/games/supertuxkart/data/karts -name '*icon*.png' | LC_ALL=C sort | awk 'NR % 2 == 1' |
    while read -r f; do emit supertuxkart-data "$f"; done
  for t in Nature Jungle Desert Castle; do
    find /usr/share/games/hedgewars/Data/Themes/$t -name '*.png' | LC_ALL=C sort |
      while read -r f; do w=$(width_of "$f"); [ "$w" -ge 150 ] && [ "$w" -le 400 ] && emit hedgewars-data "$f"; done
  done
}
# Text for the text/screenshot class: the licence texts every Debian system ships (base-files) and
# the copyright files of this corpus's packages.
text_sources() {
  for f in /usr/share/common-licenses/{Apache-2.0,Artistic,BSD,GFDL-1.3,GPL-2,GPL-3,LGPL-2.1,MPL-2.0}; do emit base-files "$f"; done
  for p in mate-backgrounds desktop-base plasma-workspace-wallpapers hedgewars-data supertuxkart-data neverball-data lomiri-wallpapers-16.04 tuxpaint-stamps-default; do
    emit "$p" /usr/share/doc/$p/copyright
  done
}

mapfile -t PHOTOS < <(photo_sources)
mapfile -t PAINTINGS < <(painting_sources)
mapfile -t ILLUSTRATIONS < <(illustration_sources)
mapfile -t RENDERS_L < <(render_large_sources)
mapfile -t RENDERS_M < <(render_screenshot_sources)
mapfile -t RENDERS_S < <(render_small_sources)
mapfile -t DARKS < <(dark_sources)
mapfile -t ALPHA_WP < <(alpha_wallpaper_sources)
mapfile -t SPRITES < <(sprite_sources)
mapfile -t TEXTS < <(text_sources)
echo "sources: photo ${#PHOTOS[@]}, painting ${#PAINTINGS[@]}, illustration ${#ILLUSTRATIONS[@]}, render ${#RENDERS_L[@]}+${#RENDERS_M[@]}+${#RENDERS_S[@]}, dark ${#DARKS[@]}, alpha ${#ALPHA_WP[@]}, sprites ${#SPRITES[@]}, texts ${#TEXTS[@]}"

# ---------------------------------------------------------------- size schedule
# Round robin over the sizes while each still has items left, so every class gets the same mix.
SIZE_LIST=(256x256:5 384x384:5 512x512:5 512x768:5 768x768:5 832x1216:4 1344x768:4 1024x1024:4 1920x1080:4 2560x1600:3 3840x2160:3 7680x4320:1)
SCHEDULE=()
for round in 1 2 3 4 5; do
  for s in "${SIZE_LIST[@]}"; do [ "${s#*:}" -ge $round ] && SCHEDULE+=("${s%:*}"); done
done
[ ${#SCHEDULE[@]} -eq $PER_CLASS ] || { echo "schedule has ${#SCHEDULE[@]} sizes" >&2; exit 1; }

# Formats cycle with period 5 (prime to the schedule's rounds, so a size does not always get one format).
declare -A FORMATS=(
  [photo]="jpeg webp png jpeg webp-lossless"
  [painting]="png jpeg webp png webp-lossless"
  [illustration]="png webp-lossless jpeg webp png"
  [render]="png jpeg webp webp-lossless jpeg"
  [text]="png webp-lossless jpeg png webp"
  [dark]="jpeg webp png webp jpeg"
  [transparent]="png webp-lossless webp png webp-lossless"
)
CROPS=(centre attention entropy centre low high)
BACKDROPS=("#ffffff" "#f4efe6" "#dfe9f3" "#2d3142" "#ffe066" "#bfe3c0")

crc() { printf '%s' "$1" | cksum | cut -d' ' -f1; }

# ---------------------------------------------------------------- operations (write $stage)
# Scale to cover W×H and crop with libvips' strategy (centre, attention, entropy, low, high).
op_cover() { # src W H crop
  vips thumbnail "$1" "$stage" "$2" --height "$3" --size both --crop "$4"
}
# A W×H window at native resolution (full detail, sensor noise) at an offset given by the name's CRC;
# sources smaller than the target are covered instead.
op_native() { # src W H seed
  local sw sh; sw=$(vipsheader -f width "$1"); sh=$(vipsheader -f height "$1")
  if [ "$sw" -lt "$2" ] || [ "$sh" -lt "$3" ]; then op_cover "$1" "$2" "$3" centre; return; fi
  local left=$(( $4 % (sw - $2 + 1) )) top=$(( ($4 / 7919) % (sh - $3 + 1) ))
  vips extract_area "$1" "$stage" "$left" "$top" "$2" "$3"
}
# Oil-paint filter on a ≤ 1.5 MP working copy, scaled to the target, then a canvas weave blended in
# soft light: shaded Gaussian noise (ImageMagick, seed 23) made at half the target size and scaled up.
# It must not repeat: a tiled weave is a periodic pattern of its own, which the mark's lattice search
# locks onto (a first version with a 512² tile made every such image unreadable).
op_paint() { # src W H crop
  local ww=$2 wh=$3
  while [ $((ww * wh)) -gt 1500000 ]; do ww=$((ww / 2)); wh=$((wh / 2)); done
  vips thumbnail "$1" "$work/p.png" "$ww" --height "$wh" --size both --crop "$4"
  "$IM" "$work/p.png" -alpha off -paint 3 "$work/q.png"
  vips resize "$work/q.png" "$work/r.v" "$(awk -v a="$2" -v b="$ww" 'BEGIN{printf "%.6f", a/b}')" \
    --vscale "$(awk -v a="$3" -v b="$wh" 'BEGIN{printf "%.6f", a/b}')"
  "$IM" -size "$(( ($2 + 1) / 2 ))x$(( ($3 + 1) / 2 ))" xc:gray50 -seed 23 +noise Gaussian -blur 0x0.8 \
    -shade 120x40 -auto-level -level 30%,70% "$work/canvas.png"
  vips resize "$work/canvas.png" "$work/u.v" 2
  vips extract_area "$work/u.v" "$work/v.v" 0 0 "$2" "$3"
  vips colourspace "$work/v.v" "$work/w.v" srgb
  vips composite2 "$work/r.v" "$work/w.v" "$work/x.v" soft-light
  vips flatten "$work/x.v" "$stage"
}
op_darken() { # src W H seed
  op_native "$1" "$2" "$3" "$4"
  local a; a=$(awk -v s="$4" 'BEGIN{printf "%.2f", 0.2 + (s % 4) * 0.05}')
  vips linear "$stage" "$work/d.v" "$a" 0
  vips cast "$work/d.v" "$stage" uchar
}
# A sprite, trimmed to its drawn part, fitted into 85 % of the frame, on a transparent canvas or an opaque backdrop colour.
op_sprite() { # src W H background
  "$IM" "$1" -trim +repage -background none -resize "$(( $2 * 85 / 100 ))x$(( $3 * 85 / 100 ))" -gravity center \
    -background "$4" -extent "${2}x${3}" "$work/s.png"
  [ "$4" = none ] || "$IM" "$work/s.png" -background "$4" -flatten "$work/s.png"
  vips copy "$work/s.png" "$stage"
}
# Text: a document page, a terminal window, a slide/app screen or a code editor, rendered at the
# target size with DejaVu fonts (fonts-dejavu-core) from a licence or copyright text. libvips (Pango)
# lays the text out: ImageMagick 6's label:/caption: refuse text taller than ~35 lines here.
text_layer() { # name box_w box_h font colour x y: renders $markup and queues it for compositing
  vips text "$work/$1.v" "$markup" --width "$2" --font "$4" --dpi 72
  local w h; w=$(vipsheader -f width "$work/$1.v"); h=$(vipsheader -f height "$work/$1.v")
  vips extract_area "$work/$1.v" "$work/$1.png" 0 0 "$(( w < $2 ? w : $2 ))" "$(( h < $3 ? h : $3 ))"
  im_args+=( \( "$work/$1.png" -background "$5" -alpha shape \) -geometry "+$6+$7" -composite )
}
op_text() { # src W H style
  local W=$2 H=$3
  local short=$(( W < H ? W : H ))
  local pt=$(( short / 30 )); [ $pt -gt $(( 12 + short / 100 )) ] && pt=$(( 12 + short / 100 )); [ $pt -lt 9 ] && pt=9
  local chars=$(( (W / pt + 1) * (H / pt + 1) ))
  local text title
  text=$(LC_ALL=C tr -c '[:print:]\n' ' ' < "$1" | sed 's/^[[:space:]]*//' | head -c "$chars" || true)
  title=$(grep -m1 "[[:alnum:]]" <<<"$text" | sed "s/^[^[:alnum:]]*//" | cut -c1-40 || true); [ -n "$title" ] || title=Notice
  im_args=()
  case $4 in
    0) markup=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$text")
       text_layer body $((W - 2 * pt)) $((H - 2 * pt)) "DejaVu Serif $pt" '#222222' $pt $pt
       "$IM" -size "${W}x${H}" xc:white "${im_args[@]}" "$work/t.png" ;;
    1) local bar=$(( pt * 2 ))
       markup=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$text")
       text_layer body $((W - 2 * pt)) $((H - bar - 2 * pt)) "DejaVu Sans Mono $pt" '#c5c8c6' $pt $((bar + pt))
       "$IM" -size "${W}x${H}" xc:'#1d1f21' -fill '#3a3d41' -draw "rectangle 0,0 $W,$bar" \
         -fill '#ff5f56' -draw "circle $bar,$((bar / 2)) $((bar + pt / 2)),$((bar / 2))" \
         -fill '#ffbd2e' -draw "circle $((bar * 2)),$((bar / 2)) $((bar * 2 + pt / 2)),$((bar / 2))" \
         "${im_args[@]}" "$work/t.png" ;;
    2) local head=$(( pt * 3 ))
       markup=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$title")
       text_layer title $((W - 2 * pt)) $((head)) "DejaVu Sans Bold $((pt * 2))" white $pt $((pt / 2))
       markup=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$text")
       text_layer body $((W - 4 * pt)) $((H - head - 4 * pt)) "DejaVu Sans $pt" '#333333' $((2 * pt)) $((head + 2 * pt))
       "$IM" -size "${W}x${H}" xc:'#2b5797' -fill '#f0f0f0' -draw "rectangle $pt,$((head + pt)) $((W - pt)),$((H - pt))" \
         "${im_args[@]}" "$work/t.png" ;;
    *) local gutter=$(( pt * 4 ))
       markup=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$text")
       text_layer body $((W - gutter - 2 * pt)) $((H - 2 * pt)) "DejaVu Sans Mono $pt" '#586e75' $((gutter + pt)) $pt
       "$IM" -size "${W}x${H}" xc:'#fdf6e3' -fill '#eee8d5' -draw "rectangle 0,0 $gutter,$H" "${im_args[@]}" "$work/t.png" ;;
  esac
  vips copy "$work/t.png" "$stage"
}

# ---------------------------------------------------------------- encode
encode() { # format out seed keep_alpha
  local in=$stage q
  if [ "$4" != yes ] && [ "$(vipsheader -f bands "$in")" -ne 1 ] && [ "$(vipsheader -f bands "$in")" -ne 3 ]; then
    vips flatten "$in" "$work/f.v" --background 255; in=$work/f.v
  fi
  vips colourspace "$in" "$work/c.v" srgb; vips cast "$work/c.v" "$work/e.v" uchar; in=$work/e.v
  case $1 in
    jpeg) q=$(( 85 + $3 % 11 )); vips jpegsave "$in" "$2" --Q $q --strip; echo "jpeg-q$q" ;;
    png) vips pngsave "$in" "$2" --strip; echo png ;;
    webp) q=$(( 80 + $3 % 11 )); vips webpsave "$in" "$2" --Q $q --strip; echo "webp-q$q" ;;
    webp-lossless) vips webpsave "$in" "$2" --lossless --strip; echo webp-lossless ;;
  esac
}

# ---------------------------------------------------------------- plan and build
pick() { local -n list=$1; printf '%s' "${list[$(( $2 % ${#list[@]} ))]}"; }

mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/stage.v
manifest_rows=()
made=0 kept=0

for class in ${CORPUS_CLASSES:-photo painting illustration render text dark transparent}; do
  read -r -a fmts <<<"${FORMATS[$class]}"
  mkdir -p "$OUT/$class"
  for ((i = 0; i < PER_CLASS; i++)); do
    size=${SCHEDULE[$i]} W=${SCHEDULE[$i]%x*} H=${SCHEDULE[$i]#*x}
    fmt=${fmts[$((i % 5))]}
    case $fmt in jpeg) ext=jpg ;; png) ext=png ;; webp) ext=webp ;; webp-lossless) ext=lossless.webp ;; esac
    name=$(printf '%s-%02d-%s.%s' "$class" "$i" "$size" "$ext")
    seed=$(crc "$name")
    crop=${CROPS[$((i % ${#CROPS[@]}))]}
    alpha=no
    case $class in
      photo) entry=$(pick PHOTOS $i); op=$([ $((i % 2)) -eq 0 ] && echo "cover-$crop" || echo native) ;;
      painting)
        if [ $((i % 2)) -eq 0 ]; then entry=$(pick PAINTINGS $((i / 2))); op=$([ $((i % 4)) -eq 0 ] && echo "cover-$crop" || echo native)
        else entry=$(pick PHOTOS $((i * 7 + 3))); op="paint-$crop"; fi ;;
      illustration)
        if [ $((i % 3)) -eq 2 ]; then entry=$(pick SPRITES $((i * 5))); op="sprite-$(pick BACKDROPS $i)"
        else entry=$(pick ILLUSTRATIONS $i); op=$([ $((i % 2)) -eq 0 ] && echo "cover-$crop" || echo native); fi ;;
      render)
        if [ $(( W < H ? W : H )) -le 384 ]; then entry=$(pick RENDERS_S $i); op="cover-centre"
        elif [ $(( W < H ? W : H )) -le 768 ] && [ $((i % 2)) -eq 0 ]; then entry=$(pick RENDERS_M $i); op="cover-$crop"
        else entry=$(pick RENDERS_L $i); op=$([ $((i % 3)) -eq 0 ] && echo native || echo "cover-$crop"); fi ;;
      text) entry=$(pick TEXTS $i); op="text-$((i % 4))" ;;
      dark)
        if [ $((i % 2)) -eq 0 ]; then entry=$(pick DARKS $((i / 2))); op=$([ $((i % 4)) -eq 0 ] && echo "cover-$crop" || echo native)
        else entry=$(pick PHOTOS $((i * 5 + 11))); op=darken; fi ;;
      transparent)
        alpha=yes
        if [ $((i % 4)) -eq 0 ]; then entry=$(pick ALPHA_WP $((i / 4))); op="cover-$crop"
        else entry=$(pick SPRITES $((i * 3 + 1))); op=sprite-none; fi ;;
    esac
    pkg=${entry%%$'\t'*} src=${entry#*$'\t'}
    out=$OUT/$class/$name
    if [ -s "$out" ]; then
      kept=$((kept + 1))
      format=$(case $fmt in jpeg) echo "jpeg-q$(( 85 + seed % 11 ))" ;; webp) echo "webp-q$(( 80 + seed % 11 ))" ;; *) echo "$fmt" ;; esac)
    else
      case $op in
        cover-*) op_cover "$src" "$W" "$H" "${op#cover-}" ;;
        native) op_native "$src" "$W" "$H" "$seed" ;;
        paint-*) op_paint "$src" "$W" "$H" "${op#paint-}" ;;
        darken) op_darken "$src" "$W" "$H" "$seed" ;;
        sprite-*) op_sprite "$src" "$W" "$H" "${op#sprite-}" ;;
        text-*) op_text "$src" "$W" "$H" "${op#text-}" ;;
      esac
      format=$(encode "$fmt" "$work/out.$ext" "$seed" "$alpha")
      mv "$work/out.$ext" "$out"
      made=$((made + 1))
      printf '%s %s (%s, %s)\n' "$class/$name" "$format" "$op" "${src#/usr/share/}"
    fi
    manifest_rows+=("$class/$name,$(vipsheader -f width "$out"),$(vipsheader -f height "$out"),$class,$format,$pkg,${src},$op")
  done
done

if [ -n "${CORPUS_CLASSES:-}" ]; then
  echo "corpus: $OUT (${#manifest_rows[@]} images of $CORPUS_CLASSES; $made made, $kept already there); manifest left as it was (run without CORPUS_CLASSES to rewrite it)"
  exit 0
fi
{
  echo "file,width,height,class,format,source_package,source_path,operation"
  printf '%s\n' "${manifest_rows[@]}"
} > "$OUT/manifest.csv"
echo "corpus: $OUT (${#manifest_rows[@]} images; $made made, $kept already there); manifest: $OUT/manifest.csv"
