#!/usr/bin/env bash
# Bootstrap benchmark: builds bookworm minbase to tar.zst with ImageBuilder (cold and warm package
# cache) and with mmdebstrap, for amd64 and arm64 (qemu-user), and prints wall time, peak memory
# and the ratios. Needs root, mmdebstrap, qemu-user-static + binfmt-support (arm64) and GNU time.
#   scripts/benchmark.sh                      both architectures
#   scripts/benchmark.sh --arch amd64         one; other flags: --work DIR --xmx 512m --java-opts "..." --no-mmdebstrap --keep
# Board image benchmark: a bootable disk image of the board (bookworm minbase + openssh-server) built
# by ImageBuilder end to end and by mmdebstrap plus the same disk assembly, side by side.
#   scripts/benchmark.sh --board qemu-arm64   other flags: --package P,Q --warm-package P|--no-warm --work DIR --xmx 512m --java-opts "..." --keep
# Every row in one run (issue #17's table): both architectures' minbase rows, the rootless row, then
# the qemu-arm64 board image cold and warm with one more package; results in /var/tmp/ib-bench-all-*.
#   scripts/benchmark.sh --all
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in mmdebstrap /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "benchmark: $tool is missing (apt-get install -y mmdebstrap time)" >&2; exit 2; }
done
./imagebuilder --version >/dev/null   # builds samples/target/imagebuilder.jar when stale
[ -x scripts/setup-host.sh ] && scripts/setup-host.sh --binfmt --quiet   # qemu-user for arm64
main=io.imagebuilder.samples.bench.BootstrapBenchmark
if [ "${1:-}" = --all ]; then
  [ $# -eq 1 ] || { echo "benchmark: --all takes no other flag" >&2; exit 2; }
  work="/var/tmp/ib-bench-all-$$"
  java -cp samples/target/imagebuilder.jar "$main" --work "$work/minbase"
  exec java -cp samples/target/imagebuilder.jar io.imagebuilder.samples.bench.BoardImageBenchmark \
    --board qemu-arm64 --work "$work/board"
fi
for arg in "$@"; do
  if [ "$arg" = --board ]; then main=io.imagebuilder.samples.bench.BoardImageBenchmark; fi
done
exec java -cp samples/target/imagebuilder.jar "$main" "$@"
