#!/usr/bin/env bash
# Entry point behind `npm start` and `npm test`: makes a fresh machine (Node 20+ and npm only)
# ready, then hands over to a pnpm script.
#   scripts/run.sh [--chromium] <pnpm script> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1 STORYBOOK_DISABLE_TELEMETRY=1
export DO_NOT_TRACK=1 COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0

want_chromium=0
if [ "${1:-}" = "--chromium" ]; then want_chromium=1; shift; fi

PNPM_VERSION=12.21.0
if ! command -v pnpm >/dev/null 2>&1; then
  echo "› installing pnpm $PNPM_VERSION" >&2
  # A global install needs a writable prefix; fall back to a project-local copy.
  if ! npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || ! command -v pnpm >/dev/null 2>&1; then
    npm install --silent --no-save --prefix .tools/pnpm "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$PWD/.tools/pnpm/node_modules/.bin:$PATH"
  fi
fi

if [ "$want_chromium" = 1 ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "› installing Debian's chromium for the browser tests" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root, or set CHROMIUM_PATH." >&2
    exit 1
  fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

echo "› installing dependencies" >&2
pnpm install --frozen-lockfile --reporter=silent

exec pnpm run "$@"
