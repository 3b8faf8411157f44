#!/usr/bin/env bash
# Installs the host tools ImageBuilder and its tests use, from Debian packages.
#   scripts/setup-host.sh            install what is missing
#   scripts/setup-host.sh --binfmt   also mount binfmt_misc and enable the qemu-user interpreters
#                                    (needed to build foreign-architecture images, e.g. arm64 on x86)
#   --quiet                          print nothing when all is in place
# Not root: prints the exact commands to run instead, and exits 2 if something is missing.
set -euo pipefail

PACKAGES=(
  openjdk-17-jdk-headless maven   # build the library
  dpkg-dev                        # dpkg-deb, dpkg --compare-versions: test fixtures
  debian-archive-keyring          # the archive keys, for the tests' cross-checks
  qemu-user-static binfmt-support # foreign-architecture builds
  mmdebstrap                      # the peer tool the benchmark compares against
  e2fsprogs dosfstools mtools fdisk qemu-utils  # disk images
  qemu-system-x86 qemu-system-arm ovmf qemu-efi-aarch64 qemu-efi-arm  # boot checks
  zstd xz-utils time arch-test
)

binfmt=false
quiet=false
for arg in "$@"; do
  case "$arg" in
    --binfmt) binfmt=true ;;
    --quiet) quiet=true ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup-host.sh: unknown option '$arg' (expected --binfmt, --quiet or --help)" >&2; exit 2 ;;
  esac
done

say() { $quiet || echo "setup-host: $*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-host: missing Debian packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $binfmt; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-host: --binfmt needs root; run: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable" >&2
    exit 2
  fi
  if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
    say "mounting binfmt_misc"
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  for arch in aarch64 arm armeb riscv64 ppc64le s390x; do
    if [[ -e /usr/share/binfmts/qemu-$arch ]] && ! grep -qx enabled "/proc/sys/fs/binfmt_misc/qemu-$arch" 2>/dev/null; then
      say "enabling qemu-$arch"
      update-binfmts --enable "qemu-$arch" >/dev/null 2>&1 || update-binfmts --import "qemu-$arch" >/dev/null
    fi
  done
fi
say "host is ready"
