#!/usr/bin/env bash
# The test command: installs missing dependencies, runs the whole suite, then runs it again with
# hardware intrinsics off, so every SIMD kernel's scalar path is exercised by the same tests.
# Ends with one "N passed, N failed" line summing both runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
dotnet build LabelStamp.sln -c Release --nologo -v quiet
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test LabelStamp.sln -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=1
echo "--- again with DOTNET_EnableHWIntrinsic=0 (scalar kernels) ---"
DOTNET_EnableHWIntrinsic=0 dotnet test LabelStamp.sln -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=1
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
