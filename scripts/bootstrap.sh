#!/usr/bin/env bash
# Installs what augur needs to build and test, and nothing that is already there.
#  1. Debian 12 packages (apt-get, through sudo when not root).
#  2. DuckDB 1.4.4 LTS: the prebuilt libduckdb.so and its headers, fetched with `npm pack`
#     (a tarball download, no install scripts), checked against pinned sha256 sums and unpacked
#     under .deps/ (git-ignored). Debian has no DuckDB package; see docs/ARCHITECTURE.md,
#     decision 4.
#  3. CodeMirror 5 for the web console's editor, the same way: `npm pack`, a pinned sha256, and
#     only the files the console serves unpacked under .deps/ (the build embeds them).
# Safe to run again: every step checks first and does nothing when done.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEPS="$ROOT/.deps"
DUCKDB_VERSION=1.4.4
DUCKDB_HEADERS_TGZ=duckdb-1.4.4.tgz
DUCKDB_HEADERS_SHA=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed
# npm's dist.integrity for it is sha512-6teYk0bA0nR3QP0ihGMoxuKzpl5W80FpnHpBJpgy66NK3cZv5b/d/HY8Pn
# RvfSsCG1MTfr92u2WUl+wT0E40mQ==; sha256 as for DuckDB.
CODEMIRROR_VERSION=5.65.21
CODEMIRROR_SHA=b26d9d7ae0f42e34b44a8f7667d29a3ab0d3df88d0e79c0dad39dc03ba43f6dc
# What src/http/CMakeLists.txt embeds (AUGUR_CODEMIRROR_FILES), paths inside the package.
CODEMIRROR_FILES=(LICENSE lib/codemirror.js lib/codemirror.css mode/sql/sql.js
                  addon/hint/show-hint.js addon/hint/show-hint.css addon/hint/sql-hint.js)

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev libssl-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev prometheus-cpp-dev libzstd-dev
  libgtest-dev libgmock-dev libbenchmark-dev libabsl-dev
  postgresql-client-15 postgresql-15
  libpq-dev                 # augur import: COPY FROM STDIN through libpq
  python3 python3-pytest python3-psycopg python3-psycopg2 python3-sqlalchemy
  python3-django            # test_savepoints.py, test_django.py
  python3-asyncpg           # LISTEN/NOTIFY through asyncpg (test_notify.py)
  openjdk-17-jdk-headless libpostgresql-jdbc-java
  chromium chromium-driver fonts-liberation  # the console browser test (test_console.py)
  wrk                       # make bench-http
  clang libclang-rt-14-dev  # make fuzz: clang 14 and its libFuzzer runtime
)

log() { printf '[bootstrap] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    # dpkg-query knows only installed packages; "install ok installed" is the one state we accept.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  # npm fetches DuckDB. Some images ship Node.js from elsewhere with npm inside it; Debian's
  # nodejs/npm packages conflict with that, so they are only added when no npm is on PATH.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

verify_sha() {  # file expected-sha
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [ "$got" != "$2" ]; then
    echo "checksum mismatch for $1: expected $2, got $got" >&2
    rm -f "$1"
    exit 1
  fi
}

fetch_npm() {  # package@version tarball sha
  local spec="$1" tgz="$2" sha="$3"
  mkdir -p "$DEPS/dl"
  if [ ! -f "$DEPS/dl/$tgz" ]; then
    log "npm pack $spec"
    (cd "$DEPS/dl" && npm pack --silent "$spec" >/dev/null)
  fi
  verify_sha "$DEPS/dl/$tgz" "$sha"
}

install_duckdb() {
  local dest="$DEPS/duckdb-$DUCKDB_VERSION"
  if [ -f "$dest/.complete" ]; then
    log "DuckDB $DUCKDB_VERSION: present in $dest"
    return
  fi
  local arch lib_pkg lib_tgz lib_sha
  arch="$(uname -m)"
  case "$arch" in
    x86_64)
      lib_pkg="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
      lib_tgz="duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz"
      lib_sha=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
      ;;
    *)
      echo "augur's DuckDB pin covers x86_64 only (this machine is $arch)." >&2
      echo "Add the -linux-arm64 tarball and its sha256 to scripts/bootstrap.sh to build here." >&2
      exit 1
      ;;
  esac
  fetch_npm "duckdb@$DUCKDB_VERSION" "$DUCKDB_HEADERS_TGZ" "$DUCKDB_HEADERS_SHA"
  fetch_npm "$lib_pkg" "$lib_tgz" "$lib_sha"

  local tmp
  tmp="$(mktemp -d)"
  tar xzf "$DEPS/dl/$DUCKDB_HEADERS_TGZ" -C "$tmp" package/src/duckdb/src/include package/LICENSE
  mkdir -p "$tmp/lib"
  tar xzf "$DEPS/dl/$lib_tgz" -C "$tmp/lib" package/libduckdb.so
  rm -rf "$dest"
  mkdir -p "$dest/lib"
  mv "$tmp/package/src/duckdb/src/include" "$dest/include"
  mv "$tmp/package/LICENSE" "$dest/LICENSE"
  mv "$tmp/lib/package/libduckdb.so" "$dest/lib/libduckdb.so"
  rm -rf "$tmp"
  touch "$dest/.complete"
  log "DuckDB $DUCKDB_VERSION: unpacked into $dest"
}

install_codemirror() {
  local dest="$DEPS/codemirror-$CODEMIRROR_VERSION"
  if [ -f "$dest/.complete" ]; then
    log "CodeMirror $CODEMIRROR_VERSION: present in $dest"
    return
  fi
  local tgz="codemirror-$CODEMIRROR_VERSION.tgz"
  fetch_npm "codemirror@$CODEMIRROR_VERSION" "$tgz" "$CODEMIRROR_SHA"
  local tmp
  tmp="$(mktemp -d)"
  tar xzf "$DEPS/dl/$tgz" -C "$tmp" "${CODEMIRROR_FILES[@]/#/package/}"
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "${CODEMIRROR_FILES[@]}"; do cp "$tmp/package/$f" "$dest/$(basename "$f")"; done
  rm -rf "$tmp"
  touch "$dest/.complete"
  log "CodeMirror $CODEMIRROR_VERSION: unpacked into $dest"
}

# node-postgres for the driver tests, from Debian's node-pg package. It is unpacked (dpkg -x) into
# .deps/ rather than installed, because installing it pulls Debian's nodejs, which conflicts with
# a Node.js from elsewhere on some images; the tests point NODE_PATH at the unpacked tree.
NODE_PG_PACKAGES=(node-pg node-split2 node-xtend node-readable-stream)
install_node_pg() {
  local dest="$DEPS/node"
  if [ -f "$dest/.complete" ]; then
    log "node-pg: present in $dest"
    return
  fi
  mkdir -p "$DEPS/debs"
  if ! (cd "$DEPS/debs" && apt-get download "${NODE_PG_PACKAGES[@]}" >/dev/null 2>&1); then
    as_root apt-get update -q >/dev/null
    (cd "$DEPS/debs" && apt-get download "${NODE_PG_PACKAGES[@]}" >/dev/null 2>&1)
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  for deb in "$DEPS"/debs/*.deb; do dpkg -x "$deb" "$dest"; done
  touch "$dest/.complete"
  log "node-pg: unpacked into $dest"
}

install_packages
install_duckdb
install_codemirror
install_node_pg
