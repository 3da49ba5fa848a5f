# Debian packages dlx needs (sourced by scripts/setup and scripts/test): installs the missing ones,
# as root or through sudo. Idempotent.
# libzmq3-dev and libssl-dev: the Jupyter kernel's transport (ZeroMQ) and message signing (OpenSSL's libcrypto).
# libpng-dev and libjpeg62-turbo-dev: PIL's Image.open (PNG and JPEG decoding).
dlx_packages=(libreadline-dev libopenblas-dev zlib1g-dev libzmq3-dev libssl-dev pkg-config dataset-fashion-mnist libpng-dev libjpeg62-turbo-dev)

# The tests also read dlx's files back with Python (PNG through zlib, SVG through an XML parser,
# notebooks through nbformat in a virtual environment); GNU parallel runs the sharded-grading recipe.
test_packages=(python3 python3-venv parallel)

install_test_packages() { install_dlx_packages "${test_packages[@]}"; }

install_dlx_packages() {
    local missing=() p sudo="" wanted=("${dlx_packages[@]}")
    [ $# -gt 0 ] && wanted=("$@")
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
