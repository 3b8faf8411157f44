#!/usr/bin/env bash
# Installs the host tools ImageBuilder and its tests use, from Debian packages.
#   scripts/setup-host.sh            install what is missing
#   scripts/setup-host.sh --binfmt   also mount binfmt_misc and enable the qemu-user interpreters
#                                    (needed to build foreign-architecture images, e.g. arm64 on x86)
#   --test-user                      also create the unprivileged user 'ibtest' with a subordinate
#                                    id range (/etc/subuid, /etc/subgid), for the rootless ITs, and
#                                    'ibnosub' with none, for the check that fixtures then skip
#   --quiet                          print nothing when all is in place
# Not root: prints the exact commands to run instead, and exits 2 if something is missing.
set -euo pipefail

PACKAGES=(
  openjdk-17-jdk-headless maven   # build the library
  dpkg-dev                        # dpkg-deb, dpkg --compare-versions: test fixtures
  debian-archive-keyring          # the archive keys, for the tests' cross-checks
  qemu-user-static binfmt-support # foreign-architecture builds
  mmdebstrap                      # the peer tool the benchmark compares against
  debsums                         # MmdebstrapComparisonIT checks our tree with debsums --root
  e2fsprogs dosfstools mtools fdisk qemu-utils  # disk images
  qemu-system-x86 qemu-system-arm ovmf qemu-efi-aarch64 qemu-efi-arm  # boot checks
  openssh-client                  # ssh, ssh-keygen: the boot checks log in with a key
  uidmap                          # newuidmap/newgidmap: rootless builds
  python3                         # scripts/consumer-check.sh reads Maven's lists and the report
  rabbitmq-server                 # FarmIT: the console's build farm (scripts/rabbitmq-loopback.sh)
  python3-aiosmtpd                # NotificationsIT: an SMTP server on loopback that keeps a Maildir
  chromium chromium-driver        # ConsoleBrowserIT: the console's pages in headless Chromium
  postgresql                      # FarmIT, ImageIndexPostgresIT: the farm's database (scripts/postgres-loopback.sh)
  zstd xz-utils time arch-test
)

binfmt=false
test_user=false
quiet=false
for arg in "$@"; do
  case "$arg" in
    --binfmt) binfmt=true ;;
    --quiet) quiet=true ;;
    --test-user) test_user=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup-host.sh: unknown option '$arg' (expected --binfmt, --test-user, --quiet or --help)" >&2; exit 2 ;;
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
if $test_user; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-host: --test-user needs root; run: useradd --create-home ibtest && usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ibtest" >&2
    exit 2
  fi
  if ! id ibtest >/dev/null 2>&1; then
    say "creating the test user ibtest"
    useradd --create-home --shell /bin/bash ibtest
  fi
  # a range of 65536 ids maps every owner a Debian package uses, nobody (65534) included
  if ! grep -q '^ibtest:' /etc/subuid 2>/dev/null; then
    usermod --add-subuids 100000-165535 ibtest
  fi
  if ! grep -q '^ibtest:' /etc/subgid 2>/dev/null; then
    usermod --add-subgids 100000-165535 ibtest
  fi
  if ! id ibnosub >/dev/null 2>&1; then
    say "creating the test user ibnosub (no subordinate id range)"
    useradd --create-home --shell /bin/bash ibnosub
  fi
  # useradd may have given it a range from login.defs: it must have none
  sed -i '/^ibnosub:/d' /etc/subuid /etc/subgid
fi
say "host is ready"
