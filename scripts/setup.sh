#!/usr/bin/env bash
# Installs what the tests, the pipeline and the notebooks need, when it is missing: Debian packages,
# the .NET Interactive tool pinned in .config/dotnet-tools.json, its Jupyter kernel `.net-csharp`
# (HTTP on local interfaces only), and the local feed that gives notebooks the Milan library.
# Idempotent and quick when everything is present. Needs root (or sudo) only to install packages.
set -euo pipefail

packages=(
  python3-numpy        # independent .npy cross-checks in tests
  python3-pil          # independent check of the image-folder decode/resize/crop (Pillow, as torchvision uses)
  python3-torch        # .pth state dicts saved by PyTorch itself; the independent ResNet18 of tools/onnx_resnet18_reference.py
  python3-torchvision  # torchvision's models and ImageFolder + Resize/CenterCrop for those cross-checks
  python3-onnx         # reads the ONNX weights in tools/onnx_resnet18_reference.py
  python3-nbformat     # validates executed notebooks
  jupyter-client       # starts the .NET Interactive kernel for nbclient / nbconvert
  python3-ipykernel    # Jupyter's kernel machinery that jupyter-client expects beside it
  python3-nbclient     # executes notebooks headless (milan notebook run, jupyter nbconvert --execute)
  python3-plotly       # the one local copy of plotly.js that chart pages load (never a CDN)
  python3-nltk         # independent BLEU cross-check
  jupyter-nbconvert    # converts executed notebooks to HTML
  chromium             # renders Plotly charts headless in tests
  libjs-requirejs      # require.js, which Debian's nbconvert HTML loads from file:// and Plotly charts use
  fonts-dejavu-core    # the font the bundled world writes text with
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: not root and no sudo; install these yourself: ${missing[*]}" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
/usr/bin/python3 scripts/jupyter-kernel.py "$PWD" "${packages%/}"
./milan notebook feed >/dev/null
echo "setup: done"
