# SPDX-License-Identifier: GPL-2.0
# Common settings of the host-side scripts; sourced, not run.

CR_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CR_BUILD=${CR_BUILD:-$CR_TOP/build}

# The kernel we build on: Debian's linux-source-6.12, pinned to the version
# the patches were tested with. See README.md for what happens when the
# archive moves on.
CR_DEB_PKG=linux-source-6.12
CR_DEB_VERSION=${CR_DEB_VERSION:-6.12.117-1~deb12u1}

# Kernel flavour: "test" (debug checks on, used by tests and the demo).
CR_FLAVOUR=${CR_FLAVOUR:-test}
CR_KSRC=$CR_BUILD/linux-$CR_FLAVOUR
CR_BZIMAGE=$CR_KSRC/arch/x86/boot/bzImage

CR_JOBS=${CR_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Fixed build stamps: identical inputs give identical objects (ccache hits).
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
export KBUILD_BUILD_USER=cr KBUILD_BUILD_HOST=cr-build

# Our files, copied into the kernel tree at the same paths. Directories in
# CR_OWN_DIRS are wholly ours (files removed here are removed there too).
CR_OWN_DIRS="kernel/cr arch/x86/cr samples/cr tools/testing/selftests/cr tools/crcore Documentation/cr"
CR_OWN_FILES="fs/binfmt_cr.c include/linux/cr.h include/linux/cr_packet.h include/linux/cr_rules.h
	include/linux/cr_rules_env.h
	include/uapi/linux/cr.h
	kernel/configs/cr.config kernel/configs/cr-vm.config kernel/configs/cr-debug.config"

cr_log() { printf '>>> %s\n' "$*" >&2; }
cr_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root, or through sudo when that is available.
cr_sudo() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Content hash of files (missing ones count as empty).
cr_hash() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# Copy our files into the kernel tree. rsync -c rewrites (and so re-times)
# only changed files, so that make rebuilds only what changed; objects
# built there are kept.
cr_sync_tree() {
	local d f
	for d in $CR_OWN_DIRS; do
		[ -d "$CR_TOP/$d" ] || continue
		mkdir -p "$CR_KSRC/$d"
		rsync -rcp --delete --exclude='*.o' --exclude='.*.cmd' \
			--exclude='*.a' --exclude='*.order' \
			"$CR_TOP/$d/" "$CR_KSRC/$d/"
	done
	for f in $CR_OWN_FILES; do
		cmp -s "$CR_TOP/$f" "$CR_KSRC/$f" || cp "$CR_TOP/$f" "$CR_KSRC/$f"
	done
}
