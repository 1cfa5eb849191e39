#!/usr/bin/env bash
# A/B of the kernels at a baseline commit (default: 1c5dd70, the last per-width loops) against this tree:
#   bench/KernelAB/run.sh [baseline] [rounds] [kernels]
# One process per width, so each width's tier-1 code and profile are its own, as in production where the
# width is fixed per process. Prints thread-CPU medians per call and the median of per-round new/old ratios.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${1:-1c5dd70}"; rounds="${2:-21}"; kernels="${3:-all}"
old="$here/obj/baseline-$base"
rm -rf "$old" && mkdir -p "$old"
root="$(git -C "$here/../.." rev-parse --show-toplevel)"
git -C "$root" archive "$base" src/LabelStamp.Kernels | tar -x -C "$old" --strip-components=2
nice -n 10 dotnet build "$here/KernelAB.csproj" -c Release --nologo -v quiet -p:OldKernelsDir="$old" >/dev/null
for w in Scalar V128 V256 V512; do
  nice -n 10 dotnet "$here/bin/Release/net10.0/KernelAB.dll" "$kernels" "$rounds" 1 "$w"
done
