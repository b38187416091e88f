#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "typecheck (node: main, preload, server, shared, tests; web: renderer, shared; dom: the DOM tests)"
npm run --silent typecheck
step "lint (biome)"
npm run --silent lint
step "Electron security audit (Electronegativity; reviewed exceptions in scripts/electron-audit-exceptions.json)"
npm run --silent audit:electron
step "lint the OpenAPI document (Redocly, recommended rules, warnings are errors)"
npm run --silent lint:api
step "build (electron-vite: main, preload, renderer; esbuild: the keyhold command)"
npx electron-vite build --logLevel warn
npm run --silent build:cli

# Keychain tests and the UI need an OS keychain: a private one on headless Linux.
step "unit and integration tests (vitest), then e2e (Playwright in Chromium)"
# The CLI's tests start the bundle just built (test/support/keyhold-command.ts): a third of tsx's start.
KEYHOLD_TEST_CLI=bundle bash scripts/with-keyring.sh bash -c 'npx vitest run && npx playwright test --fail-on-flaky-tests'
