#!/bin/sh
# chromium.sh screenshot|dom HTML OUT LOG: headless Chromium on a local HTML
# file, the one place the tests and make figures start it. screenshot: a PNG of
# 1200 x 1600 into OUT (written beside it, then renamed: never half a file);
# dom: the page's DOM after loading, as HTML, into OUT. The browser's log
# (console messages appear there as ":CONSOLE") goes to LOG. Its profile is a
# fresh folder, removed after; nothing but the file is loaded (the report's own
# policy forbids the rest). Exit status 77 when there is no chromium.
set -eu
mode=${1:?usage: chromium.sh screenshot|dom HTML OUT LOG}
html=${2:?usage: chromium.sh screenshot|dom HTML OUT LOG}
out=${3:?usage: chromium.sh screenshot|dom HTML OUT LOG}
log=${4:?usage: chromium.sh screenshot|dom HTML OUT LOG}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "chromium.sh: no chromium on PATH (Debian's package chromium; make deps-dev installs it)" >&2
    exit 77
fi
case $html in
/*) url="file://$html" ;;
*) url="file://$(pwd)/$html" ;;
esac
profile=$(mktemp -d "${TMPDIR:-/tmp}/dosesim-chromium-XXXXXX")
partial="$(dirname "$out")/.partial-$$-$(basename "$out")"
trap 'rm -rf "$profile" "$partial"' EXIT INT TERM
# --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
set -- --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --hide-scrollbars --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 --window-size=1200,1600
case $mode in
screenshot)
    timeout 90 "$chromium" "$@" --screenshot="$partial" "$url" >"$log" 2>&1
    mv "$partial" "$out"
    ;;
dom)
    timeout 90 "$chromium" "$@" --dump-dom "$url" >"$partial" 2>"$log"
    mv "$partial" "$out"
    ;;
*)
    echo "chromium.sh: mode '$mode' is not screenshot or dom" >&2
    exit 2
    ;;
esac
