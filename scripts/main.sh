#!/usr/bin/env bash
# The main job (README.md): set-up, build, then run the pipeline on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build src/Milan.Cli -c Release -v quiet -nologo
dotnet src/Milan.Cli/bin/Release/net10.0/linux-x64/milan.dll "$@"
