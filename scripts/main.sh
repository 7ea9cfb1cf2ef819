#!/usr/bin/env bash
# The main job (README.md): set-up, build, then reproduce everything on the embedded default (the
# bundled world, demo profile): corpus, Table 2/3 analogues, the six notebooks, the atlas and the report in
# results/report/index.html. Arguments replace the default, e.g. `bash scripts/main.sh reproduce --profile tiny`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$#" -eq 0 ]; then
  set -- reproduce --profile demo
fi
./milan "$@"
