#!/usr/bin/env bash
# Makes docs/verifier-{image,audio,video}.png: stamps a sample image, a WAV cut from the speech
# sample and the sample video with a throw-away key, starts `labelstamp serve` with that key on a free
# loopback port, and drives the verifier page in Debian's chromium (tests/browser/verifier.mjs, the same
# driver the browser test uses). Needs what scripts/install-deps.sh installs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
work="$(mktemp -d "${TMPDIR:-/tmp}/labelstamp-shots.XXXXXX")"
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export LABELSTAMP_MARK_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export LABELSTAMP_PRODUCER=001191310000000000000000000
ffmpeg -v error -i samples-media/audio/speech-espeak.flac -t 6 "$work/speech.wav"
cp samples-media/images/storm.jpg "$work/unlabeled.jpg"
./labelstamp stamp samples-media/images/ladybird.jpg "$work/speech.wav" samples-media/video/pan-zoom.mp4 -o "$work/labeled" -q
mkdir -p "$work/store"
./labelstamp serve --listen http://127.0.0.1:0 --store "file://$work/store" > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 120); do grep -q "listening on" "$work/serve.log" && break; sleep 0.5; done
base="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -1)"
[ -n "$base" ] || { cat "$work/serve.log" >&2; exit 1; }
node tests/browser/verifier.mjs --base "$base" --out "$work/shots" --docs docs --docs-only image,audio,video \
  image="$work/labeled/ladybird.jpg" audio="$work/labeled/speech.wav" video="$work/labeled/pan-zoom.mp4" unlabeled="$work/unlabeled.jpg" > "$work/result.json"
ls -l docs/verifier-*.png
