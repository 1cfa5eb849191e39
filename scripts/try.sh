#!/usr/bin/env bash
# First look: installs missing dependencies, stamps every sample in samples-media into ./labeled,
# then verifies the results (exit 0 when every output carries its AI labels).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
./labelstamp stamp samples-media -o labeled --producer "${LABELSTAMP_PRODUCER:-001LABELSTAMPDEMO000000000001}"
./labelstamp verify labeled
