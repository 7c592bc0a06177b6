#!/usr/bin/env bash
# Install what sohoa needs, idempotently: Debian packages, then Python packages into .venv.
# Quick when everything is already there: apt is skipped when every package is installed,
# pip is skipped while pyproject.toml and constraints.txt are unchanged since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server: the Celery broker of `sohoa cluster` (the compose file's Redis, without Docker).
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd postgresql
              fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 libgl1 libglib2.0-0
              docker-compose redis-server)
# Faces with Vietnamese letters that the reader was not tuned on: the realistic sample
# profile sets pages in them (URW base35 and Caladea lack Vietnamese, so they are not here).
APT_PACKAGES+=(fonts-noto-core fonts-freefont-ttf fonts-crosextra-carlito fonts-open-sans
               fonts-roboto-unhinted)
# The test command also drives the web app in Debian's headless Chromium (Playwright's own
# browser download cannot work offline); the run command does not need it.
if [ "${1:-}" = "--test" ]; then APT_PACKAGES+=(chromium); fi
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! "$PYTHON" -c "import ensurepip, venv" 2>/dev/null; then missing+=(python3-venv); fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup: sohoa needs Python 3.11 (found $("$PYTHON" --version)); set PYTHON=python3.11" >&2
  exit 3
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

stamp=.venv/.sohoa-install
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into .venv (first time takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]"
  echo "$want" > "$stamp"
fi
