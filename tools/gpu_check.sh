#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: builds the benchmarks against TorchSharp's CUDA backend and compares
# CPU and CUDA outputs of the exemplar pass (ResNet18, 96 images, 5 layers) and of MILAN's beam-50 PMI
# decode (16 neurons), on the same seeded weights and inputs. Exit code 0 when they agree within the
# tolerances printed (docs/performance.md, "GPU"). Needs nuget.org (or a mirror with TorchSharp-cuda-linux).
#   bash tools/gpu_check.sh [--device cuda:1]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || echo "nvidia-smi not found"
dotnet build "$root/tests/Milan.Benchmarks" -c Release -p:MilanTorchBackend=cuda -nologo -v quiet
exec dotnet "$root/tests/Milan.Benchmarks/bin/Release/net10.0/linux-x64/Milan.Benchmarks.dll" gpu-check "$@"
