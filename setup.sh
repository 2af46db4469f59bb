#!/usr/bin/env bash
# Set up nnviz on a fresh Debian or Ubuntu machine, then run one job:
#   bash setup.sh lesson   install everything, render the lesson on the embedded defaults
#   bash setup.sh test     install everything (with the test tools), run the whole test suite
# Safe to re-run: installed pieces are skipped.
set -euo pipefail
cd "$(dirname "$0")"

job="${1:-lesson}"
case "$job" in lesson|test) ;; *) echo "usage: bash setup.sh lesson|test" >&2; exit 2 ;; esac

APT_PACKAGES=(
  # manim: building pycairo and manimpango, and encoding video
  build-essential python3-dev pkg-config libcairo2-dev libpango1.0-dev ffmpeg
  # MathTex
  texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-latex-extra dvisvgm
)
if [ "$job" = test ]; then
  # The slide-deck tests open a deck in Debian's headless Chromium (Selenium downloads no browser);
  # the PowerPoint deck and PDF handout tests open them in LibreOffice Impress and poppler.
  APT_PACKAGES+=(chromium chromium-driver libreoffice-impress poppler-utils)
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  python3 -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    local unknown=()
    for p in "${missing[@]}"; do apt-cache show "$p" >/dev/null 2>&1 || unknown+=("$p"); done
    if [ ${#unknown[@]} -gt 0 ]; then
      echo "setup.sh: no package ${unknown[*]} in this system's apt sources (Ubuntu has Chromium only as a snap);" \
        "the $job job needs it: install it by hand, or run the tests on Debian 12" >&2
      exit 2
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

make_venv() {  # make_venv DIR EXTRAS
  local dir="$1" extras="$2"
  [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
  echo "== installing nnviz[$extras] into $dir"
  "$dir/bin/python" -m pip install -q --upgrade pip
  "$dir/bin/python" -m pip install -q -e ".[$extras]"
}

install_apt
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "nnviz needs Python >= 3.10" >&2; exit 1; }

run_pytest() {  # run_pytest VENV ARGS...: a skipped test fails (NNVIZ_STRICT), so does exit code 5
  local venv="$1"; shift
  set +e
  NNVIZ_STRICT=1 "$venv/bin/python" -m pytest "$@"
  local status=$?
  set -e
  # pytest exits 5 when it collected no tests: that is a failure, never a pass.
  if [ $status -eq 5 ]; then echo "no tests were collected ($*)" >&2; return 1; fi
  return $status
}

if [ "$job" = lesson ]; then
  make_venv .venv dev
  .venv/bin/nnviz info
  .venv/bin/nnviz grids --out output/grids
  echo "== rendering the whole lesson (720p30, with one clip per beat)"
  .venv/bin/nnviz render --all -q m --sections --media-dir output/media
  exit 0
fi

make_venv .venv dev,slides,handout,cluster,serve
status=0
echo "== lint and types: ruff check, ruff format --check, mypy"
.venv/bin/ruff check --quiet . || status=1
.venv/bin/ruff format --check --quiet . || status=1
.venv/bin/mypy || status=1
echo "== running the tests"
run_pytest .venv -n 2 "${@:2}" || status=$?
exit $status
