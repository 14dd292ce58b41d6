#!/usr/bin/env bash
# Makes sure clang-16 (the reference compiler of the differential tests), llvm-16 (llvm-objdump, to read object
# files clang wrote for foreign targets), and what clang-16 needs to build WebAssembly modules (lld-16's wasm-ld,
# wasi-libc, the wasm32 compiler runtime: test/wasm/ builds a C program with them) are installed. On a Debian
# machine running as root it installs them with apt-get; elsewhere it says how, and the compiler tests skip loudly.
set -u
PACKAGES="clang-16 llvm-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32"
if command -v "${STRUCTGEN_CLANG:-clang-16}" >/dev/null 2>&1 && command -v llvm-objdump-16 >/dev/null 2>&1 \
  && command -v wasm-ld-16 >/dev/null 2>&1 && [ -f /usr/lib/wasm32-wasi/libc.a ] \
  && [ -f /usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "structgen: installing $PACKAGES (reference compiler, object tools, WebAssembly builds)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get update -qq >/dev/null && apt-get install -y -qq $PACKAGES >/dev/null && exit 0
  echo "structgen: apt-get install $PACKAGES failed" >&2
  exit 1
fi
echo "structgen: some of $PACKAGES not found; install them (Debian: apt-get install -y $PACKAGES) to run the compiler tests" >&2
exit 0
