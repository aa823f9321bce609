#!/usr/bin/env bash
# Prepares this checkout on a fresh Debian machine: Python 3.11+, a virtualenv with
# Sijill and its pinned dependencies, and (with --browser) Debian's Chromium and an
# Arabic font for the end-to-end tests, (with --bench) the benchmarks' optional extras.
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0 want_bench=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --bench) want_bench=1 ;;  # Splink and DuckDB, for the dedup benchmark's comparison
    *) echo "usage: $0 [--browser] [--bench]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo "$@";
  else echo "need root for: $*" >&2; return 1; fi
}
apt_install() {
  say "installing Debian packages: $*"
  if [ ! -f /tmp/.sijill-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.sijill-apt-updated; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null || ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt_install python3 python3-venv python3-pip
  PY=python3
fi
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3-venv; fi

if [ ! -x .venv/bin/python ]; then
  say "creating the virtualenv (.venv) with $("$PY" --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.sijill-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing Sijill and its pinned dependencies"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
bench_stamp=.venv/.sijill-bench-installed
if [ "$want_bench" = 1 ] && { [ ! -f "$bench_stamp" ] || [ pyproject.toml -nt "$bench_stamp" ]; }; then
  say "installing the benchmarks' pinned dependencies (Splink, DuckDB, aiohttp)"
  .venv/bin/python -m pip install -q -e '.[dev,bench]'
  touch "$bench_stamp"
fi

if [ "$want_browser" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -d /usr/share/fonts/opentype/fonts-hosny-amiri ] || [ -d /usr/share/fonts/truetype/fonts-hosny-amiri ] || missing+=(fonts-hosny-amiri)
  # Documents: pdftotext/pdftoppm check the PDFs, DejaVu Sans draws Tifinagh names.
  command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}" || echo "could not install ${missing[*]}: the browser tests will be skipped" >&2
  fi
fi
