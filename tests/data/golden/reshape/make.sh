#!/bin/sh
# Make the golden outputs of commands.txt with the program given (default
# bin/dosesim), into this folder's expected/. Run from the checkout's root.
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
