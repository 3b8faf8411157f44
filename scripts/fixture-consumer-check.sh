#!/usr/bin/env bash
# Runs samples/fixture-consumer, a test suite of someone else's whose one test dependency is
# image-testing (it imports only our BOM), twice against the modules this build installed, and
# checks what its author would:
#   - its test declares a bookworm fixture with hello in one line, execs hello inside it and
#     gets "Hello, world!";
#   - the first run builds the fixture; the second, with nothing changed, reuses it from the stage
#     cache; both timings are printed (figures for the notes, not a timed assertion).
# Run after `mvn install`; needs root and the network as any build does. Extra Maven options
# (e.g. -o -Dmaven.repo.local=DIR) come from CONSUMER_MVN_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
consumer=samples/fixture-consumer
work=$(mktemp -d /tmp/imagebuilder-fixture-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
mvn_q=(mvn -B -ntp ${CONSUMER_MVN_OPTS:-})

if grep -rn --include=*.java -E '^import (static )?io\.imagebuilder\.([a-z]+\.)*internal\.' "$consumer/src"; then
  echo "fixture-consumer-check: the consumer imports an internal package (above)" >&2
  exit 1
fi

# A cache of this check's own, its packages from the run's shared cache (downloaded once).
shared=$(realpath -m "${IMAGEBUILDER_TEST_CACHE:-$PWD/.test-cache}")
mkdir -p "$work/cache" "$shared/packages"
ln -s "$shared/packages" "$work/cache/packages"

run() { # $1: the run's name, $2...: Maven goals
  local name=$1; shift
  "${mvn_q[@]}" -f "$consumer/pom.xml" "$@" -Dfixture.cacheDir="$work/cache" >"$work/$name.log" 2>&1 || {
    tail -80 "$work/$name.log" >&2
    echo "fixture-consumer-check: the $name run failed (above)" >&2
    exit 1
  }
  grep -h "fixture-timing:" "$work/$name.log" | tail -1 | sed 's/^fixture-timing: //'
}
first=$(run first clean test)
second=$(run second test)
echo "fixture-consumer-check: first run: fixture $first"
echo "fixture-consumer-check: second run: fixture $second"
case "$first" in built*) ;; *) echo "fixture-consumer-check: the first run did not build the fixture ($first)" >&2; exit 1 ;; esac
case "$second" in reused*) ;; *) echo "fixture-consumer-check: the second run did not reuse the fixture ($second)" >&2; exit 1 ;; esac

