#!/usr/bin/env bash
# First look: installs missing dependencies, then runs `labelstamp demo`: an embedded Kafka broker
# (librdkafka's mock cluster over TCP on 127.0.0.1), a generator publishing samples-media plus a few
# hostile files, workers labeling them, and a checker verifying every output. Needs no broker.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
./labelstamp demo "$@"
