#!/usr/bin/env bash
# Makes sure clang-16 (the reference compiler of the differential tests) and llvm-16 (llvm-objdump, to read object
# files clang wrote for foreign targets) are installed. On a Debian machine running as root it installs them with
# apt-get; elsewhere it says how, and the compiler tests skip loudly.
set -u
if command -v "${STRUCTGEN_CLANG:-clang-16}" >/dev/null 2>&1 && command -v llvm-objdump-16 >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "structgen: installing clang-16 and llvm-16 (reference compiler and object tools for the differential tests)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq clang-16 llvm-16 >/dev/null && exit 0
  echo "structgen: apt-get install clang-16 llvm-16 failed" >&2
  exit 1
fi
echo "structgen: clang-16 or llvm-16 not found; install them (Debian: apt-get install -y clang-16 llvm-16) to run the compiler tests" >&2
exit 0
