#!/usr/bin/env bash
# Builds scripts/usermodule/main.go as a GoMLX v0.28 user would: in a scratch
# module outside the repository that requires github.com/regnb/regnb through a
# replace directive to this checkout, then runs it (a few training steps with
# fnn + Regularizer, train.Trainer and the terms as metrics).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/goenv.sh
. "$repo/scripts/goenv.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$repo/scripts/usermodule/main.go" "$dir/"
cp "$repo/scripts/usermodule/go.mod.in" "$dir/go.mod"
cp "$repo/go.sum" "$dir/go.sum" # The same versions: nothing new to download.
cd "$dir"
go mod edit -replace="github.com/regnb/regnb=$repo"
go mod tidy >/dev/null
go run .
