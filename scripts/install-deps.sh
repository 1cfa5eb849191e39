#!/usr/bin/env bash
# Installs what LabelStamp needs on Debian: ffmpeg, libwebp7, libturbojpeg0, libflac12, fonts-noto-cjk (the CJK font for labels),
# exiftool and kcat (independent readers used by the tests), fontconfig, chromium (the verifier
# page's browser tests); and the npm tools the tests use, if their folder exists. Idempotent: does nothing when everything is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
command -v kcat >/dev/null || need+=(kcat)
command -v fc-match >/dev/null || need+=(fontconfig)
[ -x /usr/bin/chromium ] || need+=(chromium)
# libwebp7: verify decodes large lossy WebP area by area through it (Media/Images/WebpCropDecoder), and stamp
# decodes and encodes lossy RGB WebP through it into and from its own frame (ImageCodec, WebpFrameEncoder).
ldconfig -p 2>/dev/null | grep -q "libwebp.so.7 " || need+=(libwebp7)
# libturbojpeg0: stamp (its inputs and the check of its own output) and verify (up to 16 MP) decode JPEG frames through the
# system libjpeg-turbo alone (Media/Images/JpegFrameDecoder; without it, through libvips: the same pixels, more CPU).
ldconfig -p 2>/dev/null | grep -q "libturbojpeg.so.0 " || need+=(libturbojpeg0)
# libflac12: FLAC stamps encode in process through libFLAC.so.12 (Media/Audio/Encoders/LibflacEncoder); without it
# they keep ffmpeg's encoder. It comes with ffmpeg's and chromium's dependencies; checked so a slim image keeps it.
ldconfig -p 2>/dev/null | grep -q "libFLAC.so.12 " || need+=(libflac12)
fonts="$(fc-list 2>/dev/null || true)"
grep -q "Noto Sans CJK" <<<"$fonts" || need+=(fonts-noto-cjk)
grep -q "DejaVu Sans" <<<"$fonts" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Installed when missing or older than the lock (a dependency was added since the last install).
# tests/browser holds playwright-core only: it drives the chromium installed above and downloads no browser.
for dir in "$root/tests/c2pa-reader" "$root/tests/browser"; do
  if [ -f "$dir/package-lock.json" ] && { [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
    # npm install, not ci: the lock pins every version, but npm ci rejects locks whose optional
    # platform packages (other OSes' native builds) differ between npm releases.
    npm install --prefix "$dir" --no-audit --no-fund >/dev/null
  fi
done
