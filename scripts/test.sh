#!/usr/bin/env bash
# The test command: installs missing dependencies, builds, runs each test assembly in turn (a header
# line when it starts, its pass/fail line when it ends), then runs the tests that exercise SIMD kernels
# again with hardware intrinsics off, so each kernel's scalar path is checked by the same tests.
# Temporary files go to a fresh directory that is removed at the end, whatever the outcome.
# Ends with one "N passed, N failed" line summing both passes (CI parses it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
dotnet build LabelStamp.sln -c Release --nologo -v quiet

run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/labelstamp-test.XXXXXX")"
log="$run_tmp/log"
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp" # Path.GetTempPath(): every test and tool temp file lands here

assemblies=(LabelStamp.Kernels.Tests LabelStamp.Tests LabelStamp.Worker.Tests LabelStamp.Cli.Tests)
# Second pass (scalar kernels): the kernels' own tests and the watermark tests that run them.
simd_filter='FullyQualifiedName~LabelStamp.Tests.Marks.|FullyQualifiedName~LabelStamp.Tests.Audio.AudioMarkTests'

status=0
started=$SECONDS
run() { # header, project, extra dotnet test arguments...
  local header="$1" project="$2"; shift 2
  local t0=$SECONDS
  echo "=== $header ==="
  dotnet test "tests/$project" -c Release --no-build --nologo "$@" 2>&1 | tee -a "$log" || status=1
  echo "=== $header: $((SECONDS - t0)) s ==="
}
n=${#assemblies[@]}
for i in "${!assemblies[@]}"; do
  run "[$((i + 1))/$n] ${assemblies[$i]}" "${assemblies[$i]}"
done
DOTNET_EnableHWIntrinsic=0 run "[scalar 1/2] LabelStamp.Kernels.Tests with DOTNET_EnableHWIntrinsic=0" LabelStamp.Kernels.Tests
DOTNET_EnableHWIntrinsic=0 run "[scalar 2/2] LabelStamp.Tests mark tests with DOTNET_EnableHWIntrinsic=0" LabelStamp.Tests --filter "$simd_filter"
echo "whole run: $((SECONDS - started)) s"

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
