#!/usr/bin/env bash
# Builds samples/consumer, a project of an embedder's own that imports only our BOM, against the
# modules this build installed, and checks what its author would:
#   - its code compiles against the API alone (no internal package imported; the implementation
#     modules are runtime dependencies only);
#   - every library it resolves has the version our own build resolved and tested;
#   - run, it builds a bookworm amd64 image through a RunConfiguration with the asynchronous handle
#     and a timeout, prints nothing of SLF4J's, and each artifact it reports has the sha256 it says.
# Run by scripts/test.sh after `mvn install`; needs root and the network as any build does.
set -euo pipefail
cd "$(dirname "$0")/.."
consumer=samples/consumer
work=$(mktemp -d /tmp/imagebuilder-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
mvn_q=(mvn -B -ntp -q ${CONSUMER_MVN_OPTS:-})

if grep -rn --include=*.java -E '^import (static )?io\.imagebuilder\.([a-z]+\.)*internal\.' "$consumer/src"; then
  echo "consumer-check: the consumer imports an internal package (above)" >&2
  exit 1
fi
"${mvn_q[@]}" -f "$consumer/pom.xml" clean package

# Library versions: the consumer's against our samples module's (which has every module).
list() { "${mvn_q[@]}" -f "$1" dependency:list -DincludeScope=runtime -DoutputFile="$2" -DexcludeTransitive=false; }
list "$consumer/pom.xml" "$work/consumer.txt"
list samples/pom.xml "$work/ours.txt"
python3 - "$work/consumer.txt" "$work/ours.txt" <<'PY'
import re, sys
def read(path):
    out = {}
    for line in open(path):
        m = re.match(r'\s+([^:\s]+):([^:]+):[^:]+:(?:[^:]+:)?([^:]+):(compile|runtime)', line)
        if m:
            out[(m.group(1), m.group(2))] = m.group(3)
    return out
consumer, ours = read(sys.argv[1]), read(sys.argv[2])
shared = sorted(set(consumer) & set(ours))
bad = [f"{g}:{a} {consumer[(g, a)]} (ours {ours[(g, a)]})" for g, a in shared if consumer[(g, a)] != ours[(g, a)]]
if len(shared) < 20 or bad:
    sys.exit(f"consumer-check: {len(shared)} libraries shared; versions differing from ours: {bad}")
jackson = {v for (g, a), v in ours.items() if g.startswith("com.fasterxml.jackson")}
yaml = consumer.get(("com.fasterxml.jackson.dataformat", "jackson-dataformat-yaml"))
if yaml not in jackson:
    sys.exit(f"consumer-check: the consumer's jackson-dataformat-yaml is {yaml}, ours is Jackson {jackson}")
print(f"consumer-check: {len(shared)} libraries resolved as in our build (Jackson {yaml}, yaml included)")
PY

# The build: packages from the run's shared cache, so it downloads only what is new.
mkdir -p "$work/cache" "${IMAGEBUILDER_TEST_CACHE:-$PWD/.test-cache}/packages"
ln -s "$(realpath "${IMAGEBUILDER_TEST_CACHE:-$PWD/.test-cache}")/packages" "$work/cache/packages"
"${mvn_q[@]}" -f "$consumer/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
java -cp "$consumer/target/classes:$(cat "$work/cp.txt")" com.example.consumer.BuildOnce \
  "$work/out" "$work/cache" >"$work/report.yaml" 2>"$work/stderr.txt"
cat "$work/report.yaml"
if grep -n "SLF4J" "$work/stderr.txt"; then
  echo "consumer-check: SLF4J printed to the embedder's stderr (above)" >&2
  exit 1
fi
python3 - "$work/report.yaml" "$work/out" <<'PY'
import hashlib, re, sys, os
report, out = open(sys.argv[1]).read(), sys.argv[2]
pairs = re.findall(r'file: "?([^"\n]+)"?\s+sha256: "?([0-9a-f]{64})"?', report) + \
        [(f, h) for h, f in re.findall(r'sha256: "?([0-9a-f]{64})"?\s+file: "?([^"\n]+)"?', report)]
if not pairs or not any(f.endswith(".tar.zst") or ".tar" in f for f, _ in pairs):
    sys.exit("consumer-check: the report names no tarball")
for f, h in pairs:
    with open(os.path.join(out, f), "rb") as fh:
        actual = hashlib.sha256(fh.read()).hexdigest()
    if actual != h:
        sys.exit(f"consumer-check: {f} has sha256 {actual}, the build reported {h}")
print(f"consumer-check: {len(pairs)} artifacts built through the run configuration, each with the sha256 reported")
PY
