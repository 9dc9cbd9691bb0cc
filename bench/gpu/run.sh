#!/usr/bin/env bash
# The GPU comparison (issue #7, optional extra), run on the GPU machine from the repository root
# after bench/gpu/pack.sh has filled .gpu/ and .gl/ here:
#
#   bash bench/gpu/run.sh [PART...]   (results as JSON and logs in $OUT, else /tmp/rlev-gpu-out)
#
# Parts, in this order (default: all): eager (PyTorch eager), webgpu (jax-js on WebGPU through
# Dawn's Vulkan backend; if Dawn finds no Vulkan adapter, its OpenGL ES backend in compatibility
# mode), compile (torch.compile), graphs (torch.compile with CUDA graphs, "reduce-overhead").
# Each has its own time limit, so one that hangs costs only its share.
# WEBGPU_ARGS adds options to webgpu-step.ts (e.g. WEBGPU_ARGS="--pipelined 5,10,20").
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-/tmp/rlev-gpu-out}
work=/tmp/rlev-gpu
mkdir -p "$out"
rm -rf "$work" && mkdir -p "$work"
cd "$root"
exec > >(tee -a "$out/run.log") 2>&1

{
  date -u +%FT%TZ
  uname -srm
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  nproc
} >"$out/env.txt" 2>&1
cat "$out/env.txt"

# The Vulkan/GL loaders (the image has the NVIDIA driver's ICD but no loader).
if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1 && [ -f "$icd" ]; then
  export VK_DRIVER_FILES=$icd
fi
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} libvulkan: $(ldconfig -p | grep -c 'libvulkan\.so\.1')"

unxz() { python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; }
cp -r .gpu/node_modules .gpu/webgpu-step.mjs "$work/"
unxz .gpu/node.xz "$work/node" && chmod +x "$work/node"
unxz .gpu/node_modules/webgpu/dist/linux-x64/dawn.node.xz "$work/node_modules/webgpu/dist/linux-x64/dawn.node"
"$work/node" --version

init=()
[ -f .gpu/init/params.bin ] && init=(--init .gpu/init)
parts=" ${*:-eager webgpu compile graphs} "
want() { [[ $parts == *" $1 "* ]]; }
read -r -a webgpu_args <<<"${WEBGPU_ARGS:-}"

if want eager; then
  echo "== PyTorch eager"
  PYTHONUNBUFFERED=1 timeout 45 python3 bench/gpu/torch_step.py --mode eager "${init[@]}" --json "$out/torch-eager.json"
  echo "exit $?"
fi

if want webgpu; then
  echo "== jax-js on WebGPU (Dawn, Vulkan)"
  timeout 120 "$work/node" "$work/webgpu-step.mjs" --dawn backend=vulkan "${webgpu_args[@]}" --json "$out/webgpu.json"
  rc=$?
  echo "exit $rc"
  if [ "$rc" = 3 ]; then
    echo "== jax-js on WebGPU (Dawn, OpenGL ES, compatibility mode)"
    timeout 80 "$work/node" "$work/webgpu-step.mjs" --dawn backend=opengles --compat "${webgpu_args[@]}" \
      --json "$out/webgpu-gles.json"
    echo "exit $?"
  fi
fi

if want compile; then
  echo "== PyTorch torch.compile"
  PYTHONUNBUFFERED=1 timeout 75 python3 bench/gpu/torch_step.py --mode compile "${init[@]}" --json "$out/torch-compile.json"
  echo "exit $?"
fi

if want graphs; then
  echo "== PyTorch torch.compile, CUDA graphs"
  PYTHONUNBUFFERED=1 timeout 75 python3 bench/gpu/torch_step.py --mode reduce-overhead "${init[@]}" \
    --json "$out/torch-reduce-overhead.json"
  echo "exit $?"
fi
