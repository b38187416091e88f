#!/usr/bin/env bash
# `npm run setup`: everything Keyhold needs to build, run and test, on a fresh Debian/Ubuntu machine.
#  1. Debian packages that are missing: compilers for the native modules (better-sqlite3, keytar),
#     libsecret for keytar, a throwaway keyring for the tests (dbus, gnome-keyring, secret-tool),
#     Chromium for the UI tests, xvfb for headed runs, PostgreSQL for the tests of the platform on it.
#  2. npm ci.
#  3. The Electron binary. Where it cannot be downloaded, the install goes on without it
#     (ELECTRON_SKIP_BINARY_DOWNLOAD=1): everything but launching Electron itself still works.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential python3 pkg-config libsecret-1-dev dbus dbus-x11 gnome-keyring libsecret-tools chromium xvfb xauth curl jq git ripgrep postgresql)

install_debian_packages() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    echo "setup: not a Debian/Ubuntu system; install the equivalents of: ${PACKAGES[*]}"
    return
  fi
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup: Debian packages already installed."
    return
  fi
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_node_modules() {
  if [[ -n "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ]]; then
    npm ci
  elif ! npm ci; then
    echo "setup: npm ci failed; trying again without the Electron binary download."
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci
    export ELECTRON_SKIP_BINARY_DOWNLOAD=1
  fi
}

install_electron_binary() {
  if [[ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ]] && timeout 300 node node_modules/electron/install.js; then
    echo "setup: Electron binary installed; building the native modules for Electron."
    npx tsx scripts/electron-native.ts
    return
  fi
  cat <<'MSG'
setup: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed).
       What that means: `npm start` cannot open the desktop window here, and the Electron-launch
       e2e test is skipped and says so. Everything else works: the services, server and keychain
       tests, and the UI in Chromium through the test harness (`npm run preview:ui`).
       Where the download is possible later: node node_modules/electron/install.js
MSG
}

install_debian_packages
install_node_modules
install_electron_binary
echo "setup: done. Next: npm start (the app) or npm test (every test)."
