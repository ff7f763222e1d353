#!/usr/bin/env bash
# Renders an HTML export of a notebook in headless Chromium and checks that the
# screenshot shows a drawn plot.
#
#   scripts/screenshot.sh NOTEBOOK.html OUT.png
set -euo pipefail
html=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
png=$2
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1200,2400 --virtual-time-budget=5000 \
  --screenshot="$png" "file://$html" >/dev/null 2>&1
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
go run ./scripts/pngcheck "$png"
