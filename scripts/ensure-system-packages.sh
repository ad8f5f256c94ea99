#!/usr/bin/env bash
# Install the system packages the test suite needs (Debian/Ubuntu, apt-get).
#
# For each package, check whether the command it provides is present; if not,
# install it non-interactively. `apt-get update` runs at most once, and only
# when something is missing, so this is a fast no-op on a ready machine.
#
# Prints one line per package: "ok: X" or "installing: X".
# Must run as root (or via sudo) when something has to be installed.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# Run privileged commands directly as root, otherwise through sudo (non-interactive).
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo -n)
fi

have_postgresql() {
    local f
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$f" ] && return 0
    done
    return 1
}

have_redis_server() {
    command -v redis-server >/dev/null 2>&1
}

have_chromium() {
    [ -x /usr/bin/chromium ]
}

# package name -> check function
PACKAGES=(postgresql redis-server chromium)
declare -A CHECKS=(
    [postgresql]=have_postgresql
    [redis-server]=have_redis_server
    [chromium]=have_chromium
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if "${CHECKS[$pkg]}"; then
        echo "ok: $pkg"
    else
        echo "installing: $pkg"
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: apt-get not found; install these packages by hand: ${missing[*]}" >&2
    exit 1
fi

"${SUDO[@]}" apt-get update </dev/null
"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null

# Verify that the installs actually provided what we check for.
failed=0
for pkg in "${missing[@]}"; do
    if ! "${CHECKS[$pkg]}"; then
        echo "error: $pkg installed but its command is still missing" >&2
        failed=1
    fi
done
exit "$failed"
