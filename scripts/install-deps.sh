#!/usr/bin/env bash
# Install every Debian package Kestrel needs to build, test, run and debug,
# and only those that are missing. Safe to run again: it does nothing when
# everything is present. Uses sudo when not run as root. (Busybox for the
# system image is not installed here: scripts/fetch-busybox downloads the
# i386 package into build/ when the image is built.)
set -euo pipefail

PACKAGES=(
	make
	gcc			# host compiler: unit tests, build tools
	libc6-dev
	gcc-i686-linux-gnu	# the kernel's cross compiler
	binutils-i686-linux-gnu
	libc6-dev-i386-cross	# static glibc for i386 user programs
	nasm
	qemu-system-x86
	grub-pc-bin
	grub-common
	xorriso
	mtools
	gdb
	sparse
	clang-format
	python3
	cpio
	e2fsprogs		# mke2fs -d, e2fsck, debugfs: the ext2 test images
)

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "install-deps: missing ${missing[*]}"
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A failed index download is a warning, not an error: the packages we need
# may still be known. apt-get install below reports what is really missing.
$SUDO apt-get update -q || echo "install-deps: apt-get update reported errors; continuing"
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
