#!/usr/bin/env bash
# System packages theodoi uses beyond Python: LibreOffice (report PDF) with metric-compatible
# fonts, poppler-utils (PDF pages to images), Tesseract with its Vietnamese data (reading scans) and Chromium (the browser tests drive
# Debian's Chromium through Playwright; no browser is ever downloaded by a tool). Installed with
# apt-get where the machine allows it (Debian/Ubuntu, as root or with passwordless sudo);
# elsewhere this only says what is missing — the application still runs and says the same when
# PDF is asked for, and the browser tests fail saying how to install Chromium.
set -u

packages=()
purposes=()
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui)
[ -e /usr/share/fonts/truetype/liberation2 ] || [ -e /usr/share/fonts/truetype/liberation ] \
    || packages+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || packages+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata 2>/dev/null)" ] || packages+=(tesseract-ocr-vie)
[ ${#packages[@]} -gt 0 ] && purposes+=("xuất PDF, đọc bản chụp (OCR)")
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    packages+=(chromium)
    purposes+=("kiểm thử trên trình duyệt")
fi

if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi

# "xuất PDF và kiểm thử trên trình duyệt"
purpose="${purposes[0]}"
[ ${#purposes[@]} -gt 1 ] && purpose="${purposes[0]} và ${purposes[1]}"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "theodoi: thiếu ${packages[*]} (cần để ${purpose}); hãy cài bằng trình quản lý gói của máy."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "theodoi: thiếu ${packages[*]} (cần để ${purpose}). Cài bằng:"
    echo "    sudo apt-get install ${packages[*]}"
    exit 0
fi

echo "theodoi: cài ${packages[*]} (apt-get, cần để ${purpose})…"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null \
    && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
    || echo "theodoi: không cài được ${packages[*]}; chưa thể ${purpose} cho tới khi cài."
exit 0
