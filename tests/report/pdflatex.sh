#!/bin/sh
# pdflatex.sh TEX [fit]: compile a LaTeX report with pdflatex, the one place the
# tests start it. It runs on a copy in a fresh folder (removed after), twice so
# that longtable settles its column widths, with -no-shell-escape and
# -halt-on-error, and prints how many lines were set wider than the page
# ("Overfull \hbox"). With fit, any such line is a failure: the report of
# dosesim's own results must fit the page; one of hostile names, each a long
# word, need only compile.
# Exit status 0 if it compiled (and fits, with fit), 1 if not (the log's error
# lines printed), 77 (skipped) without pdflatex.
set -eu
tex=${1:?usage: pdflatex.sh TEX [fit]}
fit=${2:-}
if ! command -v pdflatex >/dev/null 2>&1; then
    echo "no pdflatex: the LaTeX report was not compiled (Debian's texlive-latex-base; make deps-dev installs it)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dosesim-latex-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$tex" "$tmp/report.tex"
for pass in 1 2; do
    if ! (cd "$tmp" && timeout 120 pdflatex -no-shell-escape -interaction=nonstopmode \
        -halt-on-error report.tex >"pass$pass.out" 2>&1); then
        echo "pdflatex: $tex did not compile (pass $pass):"
        grep -A3 '^!' "$tmp/report.log" | head -20 || tail -20 "$tmp/pass$pass.out"
        exit 1
    fi
done
[ -s "$tmp/report.pdf" ] || { echo "pdflatex: no PDF of $tex"; exit 1; }
pages=$(grep -o 'Output written on report.pdf ([0-9]* page' "$tmp/report.log" | grep -o '[0-9]* page' | cut -d' ' -f1)
overfull=$(grep -c '^Overfull \\hbox' "$tmp/report.log" || true)
echo "compiled: $pages pages, $overfull lines wider than their room"
if [ "$fit" = fit ] && [ "$overfull" -gt 0 ]; then
    echo "pdflatex: $tex: lines set wider than their room (a cell's or the page's):"
    grep -A1 '^Overfull \\hbox' "$tmp/report.log" | head -20
    exit 1
fi
exit 0
