#!/usr/bin/env bash
# The main job (README.md): set-up, build, then run the pipeline on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./milan "$@"
