#!/usr/bin/env bash
# Runs a command with an OS keychain available.
#
# On Linux without a session bus (CI, containers, SSH) it starts a private D-Bus session with a
# throwaway, unlocked gnome-keyring whose files live in a fresh temporary folder, so no real
# keyring is ever touched, and tears both down afterwards. Where a session bus already exists
# (a desktop), or on macOS/Windows, the command runs as it is.
set -euo pipefail

if [[ "$(uname -s)" != "Linux" || -n "${DBUS_SESSION_BUS_ADDRESS:-}" || -n "${KEYHOLD_IN_KEYRING:-}" ]]; then
  exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "with-keyring: $tool is missing; run 'npm run setup' (Debian packages dbus, gnome-keyring)." >&2
    exit 1
  fi
done

sandbox=$(mktemp -d -t keyhold-keyring.XXXXXX)
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox"/{data,config,cache,runtime}
chmod 700 "$sandbox/runtime"

export XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" \
  XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime" KEYHOLD_IN_KEYRING=1

# Inside the session (dbus-daemon's harmless fd-limit warning is filtered out): create and unlock a 'login' keyring with a throwaway password, then run.
# shellcheck disable=SC2016
dbus-run-session -- bash -c '
  printf "keyhold-throwaway" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@" 2> >(grep -v --line-buffered 'Failed to set fd limit' >&2)
