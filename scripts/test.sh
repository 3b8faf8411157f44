#!/usr/bin/env bash
# The test command: sets up the host (Debian packages, binfmt for qemu-user), then runs every
# unit test and integration test (*IT: real bootstraps from the Debian archive, qemu, disk images).
#   scripts/test.sh               everything (as root: it installs and sets up what the ITs need),
#                                 then scripts/consumer-check.sh: a project of an embedder's own,
#                                 importing only the BOM, built against the installed modules,
#                                 and scripts/fixture-consumer-check.sh: a test suite using image-testing
#   scripts/test.sh -DskipITs     unit tests only: no root, no network. As root it installs the
#                                 missing Debian packages; as another user it only checks for them
#                                 and warns, and the unit tests run anyway.
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

unit_only=false
for arg in "$@"; do
  case "$arg" in
    -DskipITs|-DskipITs=true) unit_only=true ;;
    -DskipITs=*) unit_only=false ;;
  esac
done

if ! $unit_only; then
  scripts/setup-host.sh --binfmt --test-user
  # FarmIT's broker and database (ImageIndexPostgresIT's too), on loopback, for this run: each
  # stopped at the end if this run started it (one EXIT trap for both)
  started=()
  stop_started() {
    for s in "${started[@]}"; do scripts/"$s"-loopback.sh stop || true; done
  }
  trap stop_started EXIT
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    scripts/rabbitmq-loopback.sh start
    started+=(rabbitmq)
  fi
  if ! (exec 3<>/dev/tcp/127.0.0.1/5433) 2>/dev/null; then
    scripts/postgres-loopback.sh start
    started+=(postgres)
  fi
elif [[ $(id -u) -eq 0 ]]; then
  scripts/setup-host.sh --quiet
else
  scripts/setup-host.sh --quiet ||
    echo "test.sh: the host lacks some of the tools above; running the unit tests anyway (the ITs need them)" >&2
fi
# One package cache for every test of this run, so each .deb is downloaded once.
export IMAGEBUILDER_TEST_CACHE="${IMAGEBUILDER_TEST_CACHE:-$PWD/.test-cache}"
if $unit_only; then
  exec mvn -B -ntp verify -DskipITs=false "$@"
fi
# The full run installs the modules, then builds an embedder's own project against them.
mvn -B -ntp install -DskipITs=false "$@"
scripts/consumer-check.sh
scripts/fixture-consumer-check.sh
