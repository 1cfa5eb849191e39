#!/usr/bin/env bash
# Coverage-guided fuzzing of LabelStamp's parsers with AFL++ through SharpFuzz (tests/LabelStamp.Fuzz).
#   bash scripts/fuzz.sh [TARGET|all] [MINUTES] [WORKDIR]
# Defaults: all targets, 30 minutes each, work in /tmp/labelstamp-fuzz. One target at a time (2-core
# machines); each run resumes from its previous queue when WORKDIR is kept.
# Steps: install AFL++ and the sharpfuzz tool if missing; publish the harness and instrument
# LabelStamp.dll; make small real seed files (ffmpeg-made media, each stamped by the CLI, plus
# manifests signed by c2pa-rs when its reader is installed) and split them per target; run afl-fuzz;
# replay every crash and hang through the harness; append a line per target to WORKDIR/results.tsv
# (the figures of bench/FUZZ.md). Findings to keep go to tests/LabelStamp.Fuzz/regressions/TARGET/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-all}"
minutes="${2:-30}"
work="${3:-${TMPDIR:-/tmp}/labelstamp-fuzz}"
mkdir -p "$work"
export PATH="$PATH:$HOME/.dotnet/tools"

command -v afl-fuzz >/dev/null || { echo "installing afl++"; apt-get install -y -qq afl++ >/dev/null; }
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

# Two copies of the harness: "bin" runs plain (seeds, list, replay: the instrumented code writes to
# afl-fuzz's shared memory and faults without it), "afl" has LabelStamp.dll instrumented.
bin="$work/bin"; afl="$work/afl"
if [ ! -f "$afl/.instrumented" ] || [ -n "$(find "$root/src/LabelStamp" "$root/tests/LabelStamp.Fuzz" -name '*.cs' -newer "$afl/.instrumented" -print -quit)" ]; then
  echo "publishing and instrumenting the harness"
  rm -rf "$bin" "$afl"
  dotnet publish "$root/tests/LabelStamp.Fuzz" -c Release -o "$bin" --nologo -v quiet
  cp -r "$bin" "$afl"
  sharpfuzz "$afl/LabelStamp.dll" >/dev/null
  # The managed decoders a stamp runs on untrusted bytes (audio-decode): instrumented too, so the
  # fuzzer is guided by their branches and not only by ours.
  for lib in NLayer Concentus; do sharpfuzz "$afl/$lib.dll" >/dev/null; done
  touch "$afl/.instrumented"
fi

seeds="$work/seeds"
if [ ! -d "$seeds" ]; then
  echo "making seed files"
  media="$work/seed-media"; rm -rf "$media"; mkdir -p "$media/in"
  src="$root/samples-media/images/storm.jpg"
  ff() { ffmpeg -nostdin -v error -y "$@"; }
  ff -i "$src" -vf scale=320:-2 -q:v 6 "$media/in/photo.jpg"
  ff -i "$src" -vf scale=320:-2,format=yuvj444p -q:v 8 "$media/in/photo444.jpg"
  ff -i "$src" -vf scale=256:-2 "$media/in/photo.png"
  ff -i "$src" -vf scale=256:-2,format=rgba "$media/in/alpha.png"
  ff -i "$src" -vf scale=320:-2 -quality 50 "$media/in/photo.webp"
  ff -i "$src" -vf scale=256:-2 -lossless 1 "$media/in/lossless.webp"
  ff -i "$src" -vf scale=256:-2 -c:v libaom-av1 -still-picture 1 -crf 40 -cpu-used 8 "$media/in/photo.avif"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=16000" -ac 1 "$media/in/tone.wav"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=22050" -b:a 32k "$media/in/tone.mp3"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=44100" -c:a aac -b:a 32k "$media/in/tone.m4a"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=22050" -c:a flac -metadata title=tone "$media/in/tone.flac"
  # A FLAC with a PICTURE block (cover art) as well as comments: the blocks a FLAC stamp carries itself.
  ff -f lavfi -i "sine=frequency=440:duration=1:sample_rate=16000" -i "$media/in/photo.png" -map 0:a -map 1:v -c:a flac -c:v copy \
     -disposition:v attached_pic -metadata title=tone "$media/in/cover.flac"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=22050" -c:a libvorbis -q:a 0 -metadata title=tone "$media/in/tone.ogg"
  ff -f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=48000" -c:a libopus -b:a 24k "$media/in/tone.opus"
  ff -f lavfi -i "testsrc2=size=256x144:rate=10:duration=1" -f lavfi -i "sine=duration=1:sample_rate=16000" \
     -c:v libx264 -crf 40 -pix_fmt yuv420p -c:a aac -b:a 24k -shortest "$media/in/clip.mp4"
  LABELSTAMP_MARK_KEY="$(printf 'f%.0s' $(seq 64))" LABELSTAMP_PRODUCER=001191310000000000000000000 \
    dotnet "$root/src/LabelStamp.Cli/bin/Release/net10.0/LabelStamp.Cli.dll" stamp -q -o "$media/stamped" "$media/in" \
    || echo "(some seed files could not be stamped; their originals are still used)"
  if [ -d "$root/tests/c2pa-reader/node_modules/@contentauth" ]; then
    chain="$HOME/.config/labelstamp/c2pa"
    if [ -f "$chain/signer.pem" ]; then
      mkdir -p "$media/foreign"
      cat "$chain/signer.pem" "$chain/ca.pem" > "$media/chain.pem"
      for f in photo.jpg photo.png photo.webp tone.wav tone.mp3 clip.mp4; do
        node "$root/tests/c2pa-reader/rs-sign.mjs" "$media/in/$f" "$media/foreign/rs-$f" "$media/chain.pem" "$chain/signer.key" >/dev/null 2>&1 || true
      done
    fi
  fi
  dotnet "$bin/LabelStamp.Fuzz.dll" seeds "$seeds" $(find "$media" -type f | sort)
fi

if [ "$target" = all ]; then
  mapfile -t targets < <(dotnet "$bin/LabelStamp.Fuzz.dll" list | awk '{print $1}')
else
  targets=("$target")
fi

results="$work/results.tsv"
[ -f "$results" ] || printf 'date\ttarget\tseconds\texecs\texecs_per_s\tedges\tcorpus\tcrashes\thangs\treplayed_findings\n' > "$results"
for t in "${targets[@]}"; do
  [ -d "$seeds/$t" ] || { echo "no seeds for $t"; continue; }
  out="$work/out/$t"; mkdir -p "$work/out"
  input="$seeds/$t"
  [ -d "$out/default/queue" ] && input="-"   # resume the previous queue
  echo "=== fuzzing $t for $minutes min ==="
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
    afl-fuzz -i "$input" -o "$out" -V $((minutes * 60)) -t 5000 -m none -- dotnet "$afl/LabelStamp.Fuzz.dll" "$t" > "$work/$t.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  [ -f "$stats" ] || { echo "afl-fuzz did not start for $t: see $work/$t.log"; tail -5 "$work/$t.log"; continue; }
  get() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  findings=0
  for d in crashes hangs; do
    if compgen -G "$out/default/$d/id:*" >/dev/null; then
      dotnet "$bin/LabelStamp.Fuzz.dll" replay "$t" "$out/default/$d" | tee "$work/$t-$d.txt" | tail -1 || findings=$((findings + 1))
    fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$t" "$(get run_time)" "$(get execs_done)" "$(get execs_per_sec)" \
    "$(get edges_found)" "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)" "$findings" | tee -a "$results"
done
