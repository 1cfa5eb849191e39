#!/usr/bin/env bash
# Builds the development audio corpus (the audio mark at every sample rate and codec) from Debian 12
# packages: music and effects from game data, speech from every TTS engine Debian ships.
#
#   bench/corpus/make-audio-corpus.sh [OUT_DIR]
#
# OUT_DIR defaults to /work/corpus/audio (LABELSTAMP_CORPUS/audio when that is set). It must be outside
# the repository: media are never committed, and samples-media/ is never a source. The script is
# idempotent (an existing clip is kept; manifest.tsv is rewritten) and deterministic: every list is
# sorted, every choice (source file, offset, voice, sentence, pause, format, channels, duration) is a
# function of the clip's index, and the encoders run single-threaded with bit-exact flags.
# bench/corpus/README.md lists the packages, their licences and the composition.
#
# Layout: 6 source rates (16, 22.05, 24, 32, 44.1, 48 kHz) × 3 classes (music, speech, effects) ×
# 4 clips = 72 clips of 6-120 s. Formats rotate per cell over WAV, MP3, M4A (AAC), FLAC, Ogg Vorbis;
# at 48 kHz every second clip is Opus instead (Opus is 48 kHz only).
set -euo pipefail

OUT=${1:-${LABELSTAMP_CORPUS:-/work/corpus}/audio}
PACKAGES=(ffmpeg espeak-ng flite festival festvox-kallpc16k festvox-us-slt-hts base-files
  supertuxkart-data extremetuxracer-data frozen-bubble-data hedgewars-data neverball-data)

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
refuse_inside_repo "$OUT"

# ---------------------------------------------------------------- packages
install_packages

mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/.work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FF=(ffmpeg -nostdin -hide_banner -v error -threads 1)
G=/usr/share/games

probe_duration() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
probe_rate() { ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of csv=p=0 "$1"; }

# ---------------------------------------------------------------- sources (pkg<TAB>path<TAB>rate<TAB>seconds, sorted)
table() { local pkg=$1; shift; for f in "$@"; do [ -f "$f" ] && printf '%s\t%s\t%s\t%s\n' "$pkg" "$f" "$(probe_rate "$f")" "$(probe_duration "$f")"; done; return 0; }
music_sources() {
  table supertuxkart-data $(find $G/supertuxkart/data/music -name '*.ogg' | LC_ALL=C sort)
  table extremetuxracer-data $(find $G/etr/music -name '*.ogg' | LC_ALL=C sort)
  table frozen-bubble-data $G/frozen-bubble/snd/{frozen-mainzik-1p,frozen-mainzik-2p,introzik}.ogg
  table hedgewars-data $(find $G/hedgewars/Data/Music -name '*.ogg' | LC_ALL=C sort)
  table neverball-data $(find $G/neverball/bgm -name '*.ogg' | LC_ALL=C sort)
}
# Continuous effects (loops, ambiences), looped to the clip's length.
ambience_sources() {
  table supertuxkart-data $G/supertuxkart/data/sfx/{river_loop,waterfall_loop_2,spaceship,static-radio,rain,lenautile_restaurant,exotic-birds_2,airplane_jetEngine,engine_small,nitro,fireworks_show,clock,tractor_beam}.ogg
  table extremetuxracer-data $G/etr/sounds/{snow_slide,mud_slide,leaves_slide,ice_slide,rock_slide,grass_slide}.wav
}
# One-shot effects, strung together with pauses.
oneshot_sources() {
  { find $G/supertuxkart/data/sfx -maxdepth 1 -name '*.ogg'; find $G/frozen-bubble/snd -name '*.ogg' ! -name '*zik*'
    find $G/neverball/snd -maxdepth 1 -name '*.ogg'; find $G/hedgewars/Data/Sounds -maxdepth 1 -name '*.ogg'; } | LC_ALL=C sort |
    while read -r f; do
      case "$f" in
        */supertuxkart/*) p=supertuxkart-data ;; */frozen-bubble/*) p=frozen-bubble-data ;;
        */neverball/*) p=neverball-data ;; *) p=hedgewars-data ;;
      esac
      d=$(probe_duration "$f")
      # 0.2-12 s: a real one-shot, not a loop or a near-empty click.
      awk -v d="$d" 'BEGIN { exit !(d >= 0.2 && d <= 12) }' && table "$p" "$f"
    done
}
# Sentences for the TTS engines: Debian's licence texts (base-files), one sentence a line, 6-28 words.
sentences() {
  cat /usr/share/common-licenses/{GPL-3,Apache-2.0,LGPL-2.1,MPL-2.0} | tr -d '\r' |
    awk 'BEGIN { RS = "" } { gsub(/\n/, " "); print }' | sed 's/  */ /g' |
    awk '{ n = split($0, s, /[.;:?!] /); for (i = 1; i <= n; i++) print s[i] }' |
    sed 's/[^A-Za-z0-9 ,()-]//g; s/^ *//; s/ *$//' |
    awk 'NF >= 6 && NF <= 28 && $0 !~ /http|www|[0-9][0-9][0-9]/'
}

mapfile -t MUSIC < <(music_sources)
mapfile -t AMBIENCE < <(ambience_sources)
mapfile -t ONESHOTS < <(oneshot_sources)
mapfile -t SENTENCES < <(sentences)
echo "sources: music ${#MUSIC[@]}, ambience ${#AMBIENCE[@]}, one-shot effects ${#ONESHOTS[@]}, sentences ${#SENTENCES[@]}"

# ---------------------------------------------------------------- schedule
RATES=(16000 22050 24000 32000 44100 48000)
RATE_LABELS=(16k 22k05 24k 32k 44k1 48k)
CLASSES=(music speech effects)
PER_CELL=4
FORMATS=(wav mp3 m4a flac ogg)
DURATIONS=(6 9 13 18 25 35 50 75 120)    # seconds; clip k gets DURATIONS[(4k) mod 9]

field() { cut -f"$2" <<<"$1"; }
secs() { awk -v a="$1" 'BEGIN { printf "%.3f", a }'; }

# Music: prefer a source at the target rate, else one above it (resampled down), long enough for the cut.
# 44.1 kHz sources upsampled to 48 kHz are used only when no 48 kHz source is long enough.
pick_music() { # k rate dur -> row
  local k=$1 rate=$2 dur=$3 row native=() above=() any=()
  for row in "${MUSIC[@]}"; do
    awk -v d="$(field "$row" 4)" -v w="$dur" 'BEGIN { exit !(d >= w + 1) }' || continue
    local r; r=$(field "$row" 3)
    if [ "$r" -eq "$rate" ]; then native+=("$row"); elif [ "$r" -gt "$rate" ]; then above+=("$row"); fi
    any+=("$row")
  done
  if [ ${#native[@]} -gt 0 ] && [ $((k % 3)) -ne 2 -o ${#above[@]} -eq 0 ]; then echo "${native[$(( (k * 7) % ${#native[@]} ))]}"
  elif [ ${#above[@]} -gt 0 ]; then echo "${above[$(( (k * 7) % ${#above[@]} ))]}"
  else echo "${any[$(( (k * 7) % ${#any[@]} ))]}"; fi
}

# Decodes SRC from START for DUR seconds to float WAV at RATE/CH (ffmpeg's default resampler).
cut_to() { # src start dur rate ch out [extra input args]
  local src=$1 start=$2 dur=$3 rate=$4 ch=$5 out=$6; shift 6
  "${FF[@]}" "$@" -ss "$start" -t "$dur" -i "$src" -map 0:a:0 -ar "$rate" -ac "$ch" -c:a pcm_f32le -map_metadata -1 -y "$out"
}

silence() { "${FF[@]}" -f lavfi -i "anullsrc=r=$2:cl=mono" -t "$1" -c:a pcm_f32le -y "$3"; }

# Concatenates float WAVs (same rate, mono) listed in $1 into $2.
concat_list() { "${FF[@]}" -f concat -safe 0 -i "$1" -c:a pcm_f32le -y "$2"; }

SOURCE_PKG="" SOURCE_DESC=""

make_music() { # k rate ch dur out
  local k=$1 rate=$2 ch=$3 dur=$4 out=$5 row
  row=$(pick_music "$k" "$rate" "$dur")
  local src len start
  src=$(field "$row" 2); len=$(field "$row" 4)
  # Offset: a fraction of the slack that walks with k (never the very start: intros are often quiet).
  start=$(awk -v l="$len" -v d="$dur" -v k="$k" 'BEGIN { printf "%.2f", (l - d - 0.5) * (0.1 + 0.8 * ((k * 37) % 100) / 100) }')
  cut_to "$src" "$start" "$dur" "$rate" "$ch" "$out"
  SOURCE_PKG=$(field "$row" 1); SOURCE_DESC="$src@${start}s (source $(field "$row" 3) Hz)"
}

make_effects() { # k rate ch dur out i
  local k=$1 rate=$2 ch=$3 dur=$4 out=$5 i=$6
  if [ $((i % 2)) -eq 0 ]; then
    local row src; row=${AMBIENCE[$(( (k * 5) % ${#AMBIENCE[@]} ))]}; src=$(field "$row" 2)
    cut_to "$src" 0 "$dur" "$rate" "$ch" "$out" -stream_loop -1
    SOURCE_PKG=$(field "$row" 1); SOURCE_DESC="$src looped (source $(field "$row" 3) Hz)"
    return
  fi
  # A string of one-shots with pauses of 0.2-1.1 s, in mono, then spread to the channel count.
  local list=$WORK/fx.list total=0 j=0 pkgs="" files=""
  : >"$list"
  while awk -v t="$total" -v d="$dur" 'BEGIN { exit !(t < d) }'; do
    local row src gap part; row=${ONESHOTS[$(( (k * 13 + j * 17) % ${#ONESHOTS[@]} ))]}; src=$(field "$row" 2)
    part=$WORK/fx-$j.wav; cut_to "$src" 0 12 "$rate" 1 "$part"
    gap=$(awk -v j="$j" -v k="$k" 'BEGIN { printf "%.2f", 0.2 + ((j * 3 + k) % 7) * 0.15 }')
    silence "$gap" "$rate" "$WORK/gap-$j.wav"
    printf "file '%s'\nfile '%s'\n" "$part" "$WORK/gap-$j.wav" >>"$list"
    total=$(awk -v t="$total" -v a="$(probe_duration "$part")" -v g="$gap" 'BEGIN { print t + a + g }')
    case " $pkgs " in *" $(field "$row" 1) "*) ;; *) pkgs="$pkgs $(field "$row" 1)" ;; esac
    files="$files $(basename "$src")"; j=$((j + 1))
  done
  concat_list "$list" "$WORK/fx.wav"
  cut_to "$WORK/fx.wav" 0 "$dur" "$rate" "$ch" "$out"
  SOURCE_PKG=$(echo $pkgs | tr ' ' ','); SOURCE_DESC="one-shots:$files"
}

# TTS engines: espeak-ng 22.05 kHz, flite 16 kHz, festival kal diphone 16 kHz, festival slt HTS 32 kHz.
tts() { # engine voice text out
  case "$1" in
    espeak-ng) espeak-ng -v "$2" -s $((150 + ${#3} % 30)) -w "$4" "$3" ;;
    flite) flite -voice "$2" -t "$3" -o "$4" ;;
    festival-kal|festival-slt) printf '%s\n' "$3" | text2wave -eval "($2)" -o "$4" ;;
  esac
}
declare -A ENGINE_PKG=([espeak-ng]=espeak-ng [flite]=flite [festival-kal]="festival,festvox-kallpc16k" [festival-slt]="festival,festvox-us-slt-hts")
ESPEAK_VOICES=(en-us en-gb en-gb-scotland en-us+f3 en-gb-x-rp+f2)
FLITE_VOICES=(kal16 slt rms awb)
speech_engine() { # k rate i -> engine
  local k=$1 rate=$2 i=$3
  case "$rate" in
    16000) [ $((i % 2)) -eq 0 ] && echo flite || echo festival-kal ;;
    22050) echo espeak-ng ;;
    *) local e=(festival-slt espeak-ng flite festival-kal); echo "${e[$(( (k / 12 + i) % 4 ))]}" ;; # k / 12: the rate index
  esac
}

make_speech() { # k rate ch dur out i
  local k=$1 rate=$2 ch=$3 dur=$4 out=$5 i=$6 engine voice
  engine=$(speech_engine "$k" "$rate" "$i")
  case "$engine" in
    espeak-ng) voice=${ESPEAK_VOICES[$(( k % ${#ESPEAK_VOICES[@]} ))]} ;;
    flite) voice=${FLITE_VOICES[$(( k % ${#FLITE_VOICES[@]} ))]} ;;
    festival-kal) voice=voice_kal_diphone ;;
    festival-slt) voice=voice_cmu_us_slt_arctic_hts ;;
  esac
  local list=$WORK/sp.list total=0 j=0 s0=$(( (k * 11) % ${#SENTENCES[@]} ))
  : >"$list"
  while awk -v t="$total" -v d="$dur" 'BEGIN { exit !(t < d) }'; do
    local text=${SENTENCES[$(( (s0 + j) % ${#SENTENCES[@]} ))]} raw=$WORK/sp-raw-$j.wav part=$WORK/sp-$j.wav gap
    tts "$engine" "$voice" "$text." "$raw"
    cut_to "$raw" 0 60 "$rate" 1 "$part"
    # Pauses between sentences: 0.3-1.5 s of silence, as a dialogue or a read text has.
    gap=$(awk -v j="$j" -v k="$k" 'BEGIN { printf "%.2f", 0.3 + ((j * 5 + k) % 9) * 0.15 }')
    silence "$gap" "$rate" "$WORK/gap-$j.wav"
    printf "file '%s'\nfile '%s'\n" "$part" "$WORK/gap-$j.wav" >>"$list"
    total=$(awk -v t="$total" -v a="$(probe_duration "$part")" -v g="$gap" 'BEGIN { print t + a + g }')
    j=$((j + 1))
  done
  concat_list "$list" "$WORK/sp.wav"
  cut_to "$WORK/sp.wav" 0 "$dur" "$rate" "$ch" "$out"
  SOURCE_PKG=${ENGINE_PKG[$engine]}; SOURCE_DESC="$engine voice $voice, $j sentence(s) from base-files licence texts"
}

# Encodes the float WAV to the clip's format (bit-exact flags so reruns give the same bytes).
encode() { # in fmt rate ch out
  local in=$1 fmt=$2 rate=$3 ch=$4 out=$5 kbps
  local common=(-map_metadata -1 -fflags +bitexact -flags:a +bitexact)
  case "$fmt" in
    wav)  "${FF[@]}" -i "$in" -c:a pcm_s16le "${common[@]}" -y "$out" ;;
    flac) "${FF[@]}" -i "$in" -c:a flac -sample_fmt s16 "${common[@]}" -y "$out" ;;
    mp3)  kbps=$([ "$rate" -le 24000 ] && echo $((ch * 48 + 16)) || echo $((ch * 64 + 64)))
          "${FF[@]}" -i "$in" -c:a libmp3lame -b:a ${kbps}k "${common[@]}" -y "$out" ;;
    m4a)  kbps=$([ "$rate" -le 24000 ] && echo $((ch * 32 + 32)) || echo $((ch * 64 + 64)))
          "${FF[@]}" -i "$in" -c:a aac -b:a ${kbps}k "${common[@]}" -y "$out" ;;
    ogg)  "${FF[@]}" -i "$in" -c:a libvorbis -q:a 4 "${common[@]}" -y "$out" ;;
    opus) kbps=$((ch * 32 + 32))
          "${FF[@]}" -i "$in" -c:a libopus -b:a ${kbps}k "${common[@]}" -y "$out" ;;
  esac
}

# ---------------------------------------------------------------- build
MANIFEST=$OUT/manifest.tsv
printf 'file\tclass\trate\tchannels\tformat\tduration\tsource_package\tsource\n' >"$MANIFEST.tmp"
k=0
for ri in "${!RATES[@]}"; do
  rate=${RATES[$ri]}
  for ci in "${!CLASSES[@]}"; do
    class=${CLASSES[$ci]}
    cell=$((ri * 3 + ci))
    for i in $(seq 0 $((PER_CELL - 1))); do
      fmt=${FORMATS[$(( (cell + i) % ${#FORMATS[@]} ))]}
      [ "$rate" -eq 48000 ] && [ $((i % 2)) -eq 1 ] && fmt=opus
      case "$class" in
        music) ch=$([ "$i" -eq 2 ] && echo 1 || echo 2) ;;
        speech) ch=$([ "$i" -eq 3 ] && echo 2 || echo 1) ;;
        effects) ch=$([ $((i % 2)) -eq 1 ] && echo 2 || echo 1) ;;
      esac
      dur=${DURATIONS[$(( (k * 4) % ${#DURATIONS[@]} ))]}
      name=$(printf '%s-%s-%s-%02d.%s' "$class" "${RATE_LABELS[$ri]}" "$([ "$ch" -eq 1 ] && echo mono || echo stereo)" "$k" "$fmt")
      # The source description is recomputed even for kept clips, so the manifest is whole.
      SOURCE_PKG="" SOURCE_DESC=""
      if [ -s "$OUT/$name" ] && [ -s "$OUT/.sources/$name" ]; then
        IFS=$'\t' read -r SOURCE_PKG SOURCE_DESC <"$OUT/.sources/$name"
      else
        echo "[$((k + 1))/72] $name (${dur} s)"
        "make_$class" "$k" "$rate" "$ch" "$dur" "$WORK/clip.wav" "$i"
        encode "$WORK/clip.wav" "$fmt" "$rate" "$ch" "$WORK/out.$fmt"
        mv "$WORK/out.$fmt" "$OUT/$name"
        mkdir -p "$OUT/.sources"
        printf '%s\t%s\n' "$SOURCE_PKG" "$SOURCE_DESC" >"$OUT/.sources/$name"
      fi
      real=$(probe_duration "$OUT/$name")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$class" "$rate" "$ch" "$fmt" "$(secs "$real")" "$SOURCE_PKG" "${SOURCE_DESC#/usr/share/games/}" >>"$MANIFEST.tmp"
      k=$((k + 1))
    done
  done
done
mv "$MANIFEST.tmp" "$MANIFEST"
echo "$k clips in $OUT; manifest $MANIFEST"
