#!/usr/bin/env bash
# Runs one embedded SafetyNet node (SQLite, 68,000-camera demo city, working video) on a fresh machine:
# installs ffmpeg if it is missing, then builds and starts the node. Extra arguments go to the node.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ffmpeg >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "Installing ffmpeg and the DejaVu font (relays and stamped snapshots need them)..."
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg fonts-dejavu-core >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg fonts-dejavu-core >/dev/null; fi
fi

urls="${SAFETYNET_URLS:-http://127.0.0.1:8080}"
# This one-command demo mints its own development tokens (POST /api/v1/auth/token; the node warns about it at start).
# A production node gets its tokens from an OpenID Connect issuer instead: Auth__Authority=https://...
if [ -z "${Auth__Authority:-}" ]; then export Auth__DevelopmentTokens="${Auth__DevelopmentTokens:-true}"; fi
echo "Starting SafetyNet on $urls (data in silo/data; Ctrl+C stops it)"
exec dotnet run --project silo -c Release -- --urls "$urls" "$@"
