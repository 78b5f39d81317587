#!/bin/sh
# browser.sh DOSESIM PNGCHECK: dosesim report's HTML in a real browser (the test
# report_cmd/in_a_browser runs it). The report of the fixture folder
# (tests/data/report/edited) beside a timed Monte Carlo run and an exact run of
# its scenarios (hostile names and labels: <script>, &, </svg>,
# $\input{/etc/passwd}$, |, backquotes), rendered by headless Chromium
# (chromium.sh), must give
#   - no console message at all: an error, or the page's policy refusing
#     something (a script that would run, a file or font that would load);
#   - a screenshot of 1200 x 1600 that is not blank and shows the figures in
#     colour (pngcheck);
#   - a DOM with the report's tables and figures, no script element, and the
#     hostile names as text.
# Exit status 0 if so, 1 if not (saying why), 77 (skipped) without chromium or
# pngcheck.
set -eu
dosesim=${1:?usage: browser.sh DOSESIM PNGCHECK}
pngcheck=${2:?usage: browser.sh DOSESIM PNGCHECK}
# Shell built-ins only until chromium is known to be there.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    echo "no chromium: the report was not tried in a browser (make deps-dev installs it)"
    exit 77
fi
if [ ! -x "$pngcheck" ]; then
    echo "no $pngcheck (make check builds it where zlib is installed)"
    exit 77
fi
here=$(dirname "$0")
start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dosesim-browser-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() {
    echo "browser: $*"
    exit 1
}
mkdir "$tmp/edited"
cp tests/data/report/edited/*.csv "$tmp/edited/"
"$dosesim" run tests/data/report/scenarios.csv --trials 4000 --accrual 3 --dropout 0.05 \
    --out "$tmp/mc" --quiet 2>"$tmp/run.log" || fail "run: $(cat "$tmp/run.log")"
"$dosesim" exact tests/data/report/scenarios.csv --design 3+3+3 --out "$tmp/exact" --quiet \
    2>"$tmp/exact.log" || fail "exact: $(cat "$tmp/exact.log")"
"$dosesim" report "$tmp/edited" "$tmp/mc" "$tmp/exact" --out "$tmp/report.html" >/dev/null \
    2>"$tmp/report.log" || fail "report: $(cat "$tmp/report.log")"

"$here/chromium.sh" screenshot "$tmp/report.html" "$tmp/shot.png" "$tmp/shot.log" ||
    fail "chromium could not take the screenshot: $(tail -5 "$tmp/shot.log")"
"$here/chromium.sh" dom "$tmp/report.html" "$tmp/dom.html" "$tmp/dom.log" ||
    fail "chromium could not load the page: $(tail -5 "$tmp/dom.log")"

if grep -h ':CONSOLE' "$tmp/shot.log" "$tmp/dom.log" >"$tmp/console.txt"; then
    fail "the page wrote to the console: $(head -5 "$tmp/console.txt")"
fi
shot=$("$pngcheck" "$tmp/shot.png" 1200 1600 2>&1) || fail "$shot"

dom="$tmp/dom.html"
count() { grep -o "$1" "$dom" | wc -l | tr -d ' '; }
tables=$(count '<table>')
figures=$(count '<svg ')
rects=$(count '<rect ')
[ "$tables" -eq 7 ] || fail "the DOM has $tables tables, not 7"
[ "$figures" -eq 4 ] || fail "the DOM has $figures figures, not 4"
[ "$rects" -ge 30 ] || fail "the figures have $rects rectangles"
! grep -q '<script' "$dom" || fail "the DOM has a script element"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; $\\input{/etc/passwd}$ | `x`' "$dom" ||
    fail "the hostile scenario name is not in the DOM as text"
grep -q '100 mg &lt;/svg&gt;' "$dom" || fail "the label '100 mg </svg>' is not in the DOM as text"
grep -q '<figcaption>Figure 4\.' "$dom" || fail "the DOM lacks figure 4"
echo "browser: ok in $(($(date +%s) - start)) s: no console message; $tables tables, $figures figures ($rects rectangles); $shot"
