#!/usr/bin/env bash
# Runs samples/fixture-consumer, a test suite of someone else's whose one test dependency is
# image-testing (it imports only our BOM), twice against the modules this build installed, and
# checks what its author would:
#   - its test declares a bookworm fixture with hello in one line, execs hello inside it and
#     gets "Hello, world!";
#   - the first run builds the fixture; the second, with nothing changed, reuses it from the stage
#     cache; both timings are printed (figures for the notes, not a timed assertion);
#   - as root, a third run as the ordinary user ibnosub, who has no subordinate id range (made by
#     setup-host.sh --test-user): the test is skipped, not failed, and the reason names the range.
# Run after `mvn install`; needs root and the network as any build does. Extra Maven options
# (e.g. -o) come from CONSUMER_MVN_OPTS; a local repository other than ~/.m2/repository from
# MAVEN_REPO_LOCAL.
set -euo pipefail
cd "$(dirname "$0")/.."
consumer=samples/fixture-consumer
work=$(mktemp -d /tmp/imagebuilder-fixture-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
mvn_q=(mvn -B -ntp ${CONSUMER_MVN_OPTS:-} ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local=$MAVEN_REPO_LOCAL})

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
  grep -h "fixture-log:" "$work/$name.log" | tail -1 | sed "s/^fixture-log: /fixture-consumer-check: $name run's builds.log: /" >&2
  grep -h "fixture-timing:" "$work/$name.log" | tail -1 | sed 's/^fixture-timing: //'
}
first=$(run first clean test)
second=$(run second test)
echo "fixture-consumer-check: first run: fixture $first"
echo "fixture-consumer-check: second run: fixture $second"
case "$first" in built*) ;; *) echo "fixture-consumer-check: the first run did not build the fixture ($first)" >&2; exit 1 ;; esac
case "$second" in reused*) ;; *) echo "fixture-consumer-check: the second run did not reuse the fixture ($second)" >&2; exit 1 ;; esac


if [[ $(id -u) -ne 0 ]] || ! id ibnosub >/dev/null 2>&1; then
  echo "fixture-consumer-check: not root or no user ibnosub (setup-host.sh --test-user): the unprivileged run is left out"
  exit 0
fi
# The user gets copies of the project and of the Maven repository it resolved from (root's is
# not readable by others), and a cache of its own.
nosub="$work/ibnosub"
mkdir -p "$nosub"
cp -a "$consumer" "$nosub/consumer"
rm -rf "$nosub/consumer/target"
cp -a "${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" "$nosub/m2"
chown -R ibnosub: "$nosub"
chmod 755 "$work"
if ! runuser -u ibnosub -- mvn -B -ntp -o ${CONSUMER_MVN_OPTS:-} -f "$nosub/consumer/pom.xml" test \
    -Dmaven.repo.local="$nosub/m2" -Dfixture.cacheDir="$nosub/cache" >"$work/ibnosub.log" 2>&1; then
  tail -80 "$work/ibnosub.log" >&2
  echo "fixture-consumer-check: the run as ibnosub failed instead of skipping (above)" >&2
  exit 1
fi
# Surefire keeps a skipped test's reason as <skipped ...><![CDATA[TestAbortedException: reason
reason=$(grep -h -o 'CDATA\[org.opentest4j.TestAbortedException: .*' "$nosub"/consumer/target/surefire-reports/TEST-*.xml |
  head -1 | sed 's/^CDATA\[org.opentest4j.TestAbortedException: //')
if ! grep -q "Skipped: 1" "$work/ibnosub.log" || ! grep -q "no subordinate uid range" <<<"$reason"; then
  grep -m1 "Tests run" "$work/ibnosub.log" >&2 || true
  echo "fixture-consumer-check: the run as ibnosub did not skip naming the missing subordinate range (reason: '${reason}')" >&2
  exit 1
fi
echo "fixture-consumer-check: as ibnosub (no subordinate range): skipped: $reason"
