#!/usr/bin/env bash
# The test command: sets up the host (Debian packages, binfmt for qemu-user), then runs every
# unit test and integration test (*IT: real bootstraps from the Debian archive, qemu, disk images).
#   scripts/test.sh               everything
#   scripts/test.sh -DskipITs     unit tests only (no root, no network)
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-host.sh --binfmt
# One package cache for every test of this run, so each .deb is downloaded once.
export IMAGEBUILDER_TEST_CACHE="${IMAGEBUILDER_TEST_CACHE:-$PWD/.test-cache}"
exec mvn -B -ntp verify -DskipITs=false "$@"
