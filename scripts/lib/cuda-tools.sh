# The CUDA compiler pieces dlx's scripts use, from PyPI (no CUDA toolkit, no GPU needed): NVRTC and ptxas,
# pinned to CUDA 12.0 so the generated PTX carries `.version 8.0`, which every driver from CUDA 12.0 on
# accepts. Installed into .build/cuda-tools (a virtual environment). Sourced by gen-ptx and check-ptx.
cuda_tools="$root/.build/cuda-tools"
cuda_tools_packages=(nvidia-cuda-nvrtc-cu12==12.0.140 nvidia-cuda-nvcc-cu12==12.0.140)

install_cuda_tools() {
    if [ ! -x "$cuda_tools/bin/python" ]; then python3 -m venv "$cuda_tools" >&2; fi
    local site
    site=$("$cuda_tools/bin/python" -c "import site; print(site.getsitepackages()[0])")
    if [ ! -e "$site/nvidia/cuda_nvrtc/lib/libnvrtc.so.12" ] || [ ! -x "$site/nvidia/cuda_nvcc/bin/ptxas" ]; then
        "$cuda_tools/bin/pip" install -q "${cuda_tools_packages[@]}" >&2
    fi
    nvrtc_library="$site/nvidia/cuda_nvrtc/lib/libnvrtc.so.12"
    ptxas="$site/nvidia/cuda_nvcc/bin/ptxas"
}
