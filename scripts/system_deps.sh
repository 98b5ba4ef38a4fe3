#!/usr/bin/env bash
# The Debian packages that `make test` needs, installed only when missing (as root, or with sudo):
#   postgresql      the throwaway test cluster (its binaries only; no service is used)
#   chromium        the browser tests (Playwright drives /usr/bin/chromium)
#   fonts-noto-cjk  Chinese text in the browser and in generated PDFs
#   gettext         msgfmt for compilemessages
#   libreoffice-*-nogui, poppler-utils  the report tests open generated xlsx/docx in LibreOffice (PDF, then text)
#   redis-server, nginx-light  scripts/multihost.py: several app hosts behind nginx sharing Redis
#   make, nodejs, npm  the build itself
set -euo pipefail

packages=(postgresql chromium fonts-noto-cjk gettext make libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils
          redis-server nginx-light)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
((${#missing[@]})) || exit 0

if ! command -v apt-get >/dev/null; then
    echo "Missing packages: ${missing[*]} (not a Debian system: install them by hand)" >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
