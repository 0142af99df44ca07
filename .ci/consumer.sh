#!/usr/bin/env bash
# A package that depends on GradLab by version, as a new user's would: clone this checkout
# (committed state) into a temporary folder, tag it 1.0.0 (its only tag), and build and run
# .ci/consumer against it. SwiftPM refuses versioned dependencies with unsafe build flags,
# so this fails if Package.swift ever carries one again.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks . "$work/GradLab"
git -C "$work/GradLab" tag -l | xargs -r git -C "$work/GradLab" tag -d >/dev/null
git -C "$work/GradLab" tag 1.0.0
cp -R .ci/consumer "$work/consumer"
cd "$work/consumer"
swift build -q
swift run -q consumer
