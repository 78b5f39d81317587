#!/bin/sh
# Make the golden outputs of commands.txt with the program given (default
# bin/dosesim), into this folder's expected/ (the golden files were made
# with the program of commit 4576bc6, before the reshape, and remade since for the
# deliberate changes their commits name). Run from the checkout's root.
# Regenerate only for a deliberate change of the outputs, and say so.
set -eu
program=${1:-bin/dosesim}
here=tests/data/golden/reshape
rm -rf "$here/expected"
mkdir -p "$here/expected"
out=$(cd "$here/expected" && pwd)
grep -v '^#' "$here/commands.txt" | while read -r name args; do
    # shellcheck disable=SC2086 # the arguments are words, by design
    set -- $(echo "$args" | sed "s|{OUT}|$out|g")
    "$program" "$@" >"$out/$name.stdout.tmp" 2>/dev/null
    sed "s|$out|{OUT}|g" "$out/$name.stdout.tmp" >"$out/$name.stdout"
    rm "$out/$name.stdout.tmp"
done
# The folder's own name is {OUT} in every CSV too (compare records the folders
# it read); figures are not kept: they are gnuplot's bytes, not dosesim's numbers.
find "$out" -name '*.csv' | while read -r f; do
    sed -i "s|$out|{OUT}|g" "$f"
done
find "$out" \( -name '*.png' -o -name '*.svg' -o -name '*.pdf' -o -name .dosesim.lock \) -delete
