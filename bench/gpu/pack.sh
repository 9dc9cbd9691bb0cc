#!/usr/bin/env bash
# Packs what bench/gpu/run.sh needs on a GPU machine that has PyTorch but no Node.js, into two
# folders that git ignores (.git/info/exclude) and the device tool carries: .gpu/ and .gl/.
#
#   bash bench/gpu/pack.sh        (from any directory; x86-64 Linux; about 30 MiB in all)
#
# .gpu/webgpu-step.mjs   bench/gpu/webgpu-step.ts bundled with esbuild (jax-js and src/ inside)
# .gpu/node.xz           this machine's node binary, stripped and compressed
# .gpu/node_modules/webgpu/  the `webgpu` package's loader and its linux-x64 dawn.node (compressed)
# .gpu/init/             initial weights and batch, with jax-js wasm's first losses (for torch_step.py)
# .gl/*.deb              the Vulkan and GL loaders (libglvnd) the GPU machine's image lacks
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -m)" = x86_64 ] || { echo "pack.sh: the GPU machine is x86-64; this is $(uname -m)" >&2; exit 2; }
exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
for p in /.gpu/ /.gl/; do grep -qxF "$p" "$exclude" 2>/dev/null || echo "$p" >>"$exclude"; done

rm -rf .gpu
mkdir -p .gpu/node_modules/webgpu/dist/linux-x64
npx esbuild bench/gpu/webgpu-step.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --outfile=.gpu/webgpu-step.mjs --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js .gpu/node_modules/webgpu/
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >.gpu/node_modules/webgpu/dist/linux-x64/dawn.node.xz
node_bin=$(command -v node)
tmp=$(mktemp)
cp "$node_bin" "$tmp"
strip "$tmp" 2>/dev/null || true
xz -T2 -9 -c "$tmp" >.gpu/node.xz
rm -f "$tmp"
node --import tsx bench/gpu/webgpu-step.ts --write-init .gpu/init --init-only

# The loaders, as .gl/ per the device notes (amd64 packages, whatever this machine's lists are).
mkdir -p .gl /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
# shellcheck disable=SC2086
apt-get $o update >/dev/null
# shellcheck disable=SC2086
(cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -sh .gpu .gl
