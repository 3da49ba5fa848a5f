# Debian packages dlx needs (sourced by scripts/setup and scripts/test): installs the missing ones,
# as root or through sudo. Idempotent.
dlx_packages=(libreadline-dev libopenblas-dev zlib1g-dev pkg-config dataset-fashion-mnist)

install_dlx_packages() {
    local missing=() p sudo=""
    for p in "${dlx_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
