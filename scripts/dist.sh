#!/usr/bin/env bash
# `npm run dist [-- --linux|--mac|--win]`: the installers in dist/ for this OS (or the one named).
# Needs the Electron binary download, so it runs where that works (docs/release.md), not here.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
# electron-builder rebuilds better-sqlite3 and keytar in node_modules for Electron's ABI (npmRebuild).
npx electron-builder --publish never "$@"
# ...so put back the builds for Node that the tests, the server and the CLI load.
npm rebuild better-sqlite3 keytar
