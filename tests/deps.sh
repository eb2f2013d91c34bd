#!/bin/sh
# tests/deps.sh — install what VeloStream needs to build, test and benchmark.
#
# Idempotent and fast: it first checks (dpkg -s, python import) and only calls
# apt-get / pip when something is missing; the no-op run takes well under 1 s.
# Uses sudo only when not root.  Prints what it installs.
set -eu

APT_PKGS="build-essential pkg-config librdkafka-dev libprotobuf-c-dev protobuf-c-compiler
libtcc-dev tcc libpcre2-dev libjansson-dev libcmocka-dev zlib1g-dev sqlite3 clang clang-format valgrind
python3-pip time libyaml-dev kcat"

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

# One dpkg-query call for all packages keeps the no-op path fast.
missing=""
for p in $APT_PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -n "$missing" ]; then
    echo "deps: installing apt packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# The fuzzer and sanitizer runtimes of clang (make fuzz-regress) are a
# package of their own since Debian 12, named after clang's major version,
# which --no-install-recommends leaves out.
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$clang_major" ] && ! dpkg-query -W -f='${Status}' "libclang-rt-$clang_major-dev" 2>/dev/null | grep -q "install ok installed" &&
    apt-cache show "libclang-rt-$clang_major-dev" >/dev/null 2>&1; then
    echo "deps: installing apt package libclang-rt-$clang_major-dev"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "libclang-rt-$clang_major-dev"
fi

if ! python3 -c 'import duckdb' >/dev/null 2>&1; then
    echo "deps: installing PyPI package duckdb"
    python3 -m pip install --user duckdb 2>/dev/null ||
        python3 -m pip install --user --break-system-packages duckdb 2>/dev/null ||
        python3 -m pip install --break-system-packages duckdb 2>/dev/null ||
        python3 -m pip install duckdb ||
        echo "deps: warning: could not install duckdb (difftest and DuckDB baselines will fail)" >&2
fi
exit 0
