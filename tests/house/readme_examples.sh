#!/bin/sh
# Every example of README.md run, and its lines compared with the program's, so
# that README and program cannot drift apart. An example is a fenced block whose
# first line is a command "$ ..." (more "$ " lines may follow; a trailing
# backslash continues one), then the lines printed: stdout, then stderr. A block
# that shows only output is an example when the line before its fence is
# "<!-- readme-example: $ COMMAND -->"; a block after
# "<!-- readme-example: skip (why) -->" is skipped (and counted). A line that is
# only "..." (indented or not) stands for any lines. Only elapsed times and
# rates are masked ("in 0.112 ms", "in 3.270 s", "(1.53e+06 trials/s; 1 process
# x 2 threads)": the thread count is the machine's). Each example runs in a
# fresh temporary folder holding copies of scenarios/ and tests/data/, with
# bin/dosesim there the program under test ($DOSESIM, default bin/dosesim).
# Usage: readme_examples.sh [README]; exit status 1 on the first difference of
# each example, naming the README line.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
readme=${1:-$root/README.md}
export README="${1:-README.md}"
prog=${DOSESIM:-bin/dosesim}
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
[ -x "$prog" ] || { echo "readme_examples: no program $prog (make all)"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dosesim-readme-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# Each example as $work/ex.N.cmd (its commands) and $work/ex.N.exp (README line
# number, a tab, the line), and one line "N LINE" per example on stdout; skips
# as "skip LINE why".
awk -v dir="$work" '
    function flush() {
        if (n > 0) {
            close(cmd); close(expf)
            print n, start
        }
    }
    /^```/ {
        if (!inblock) {
            inblock = 1; kind = ""; start = NR
            if (prev ~ /^<!-- readme-example: skip/) {
                why = prev; sub(/^<!-- readme-example: skip */, "", why); sub(/ *-->$/, "", why)
                print "skip", NR, why; kind = "skip"
            } else if (prev ~ /^<!-- readme-example: \$ /) {
                kind = "output"; n++
                cmd = dir "/ex." n ".cmd"; expf = dir "/ex." n ".exp"
                c = prev; sub(/^<!-- readme-example: \$ /, "", c); sub(/ *-->$/, "", c)
                print c > cmd
                printf "" > expf
            }
            first = 1
            next
        }
        inblock = 0
        if (kind == "example" || kind == "output") { close(cmd); close(expf); print n, start }
        prev = $0
        next
    }
    inblock {
        if (first && kind == "" && /^\$ /) {
            kind = "example"; n++
            cmd = dir "/ex." n ".cmd"; expf = dir "/ex." n ".exp"
            printf "" > expf
        }
        first = 0
        if (kind == "example" && (incmd || /^\$ /)) {
            line = $0
            if (!incmd) sub(/^\$ /, "", line)
            print line > cmd
            incmd = /\\$/
            next
        }
        if (kind == "example" || kind == "output") print NR "\t" $0 > expf
        next
    }
    { if ($0 !~ /^[ \t]*$/) prev = $0 }
' "$readme" >"$work/list" || exit 1

checked=0 failed=0
skipped=$(grep -c '^skip ' "$work/list")
while read -r n start; do
    [ "$n" = skip ] && continue
    checked=$((checked + 1))
    run=$work/run.$n
    mkdir -p "$run/bin" "$run/tests" && cp -R "$root/scenarios" "$run/" &&
        cp -R "$root/tests/data" "$run/tests/" && ln -s "$prog" "$run/bin/dosesim" || exit 1
    (cd "$run" && sh -e "$work/ex.$n.cmd" >"$work/out.$n" 2>"$work/err.$n")
    status=$?
    cat "$work/out.$n" "$work/err.$n" >"$work/got.$n"
    if ! CMDLINE=$(head -n 1 "$work/ex.$n.cmd") awk -v start="$start" -v status="$status" '
        function mask(s) {
            if (s !~ /^dosesim [a-z]+: /) return s
            gsub(/ in [0-9.]+ [a-zµ]+/, " in #", s)
            gsub(/\([0-9.e+-]+ trials\/s; /, "(# trials/s; ", s)
            gsub(/ x [0-9]+ threads?\)/, " x # threads)", s)
            return s
        }
        function fail(at, what) {
            printf "%s:%d: example of line %d ($ %s)%s\n", ENVIRON["README"], at, start, ENVIRON["CMDLINE"], \
                status != 0 ? " exited with status " status : ""
            printf "%s\n", what
            bad = 1
            exit 1
        }
        NR == FNR { split($0, f, "\t"); nexp++; eline[nexp] = f[1]; etext[nexp] = substr($0, length(f[1]) + 2); next }
        { ngot++; got[ngot] = $0 }
        END {
            if (bad) exit 1
            i = 1; j = 1
            while (i <= nexp) {
                if (etext[i] ~ /^[ \t]*\.\.\.[ \t]*$/) {
                    if (i == nexp) { j = ngot + 1; i++; break }
                    while (j <= ngot && mask(got[j]) != mask(etext[i + 1])) j++
                    if (j > ngot) fail(eline[i + 1], "  expected: " etext[i + 1] "\n  got:      (no such line after the ... of line " eline[i] ")")
                    i++
                    continue
                }
                if (j > ngot) fail(eline[i], "  expected: " etext[i] "\n  got:      (end of output)")
                if (mask(got[j]) != mask(etext[i]))
                    fail(eline[i], "  expected: " etext[i] "\n  got:      " got[j])
                i++; j++
            }
            if (j <= ngot) fail(nexp ? eline[nexp] + 1 : start + 1, "  expected: (end of the example)\n  got:      " got[j])
            if (status != 0) fail(start, "  the output matches, but the exit status is " status)
        }
    ' "$work/ex.$n.exp" "$work/got.$n"; then
        failed=$((failed + 1))
    fi
    rm -rf "$run"
done <"$work/list"

grep -q '^[0-9]' "$work/list" || { echo "readme_examples: no examples found in $readme"; exit 1; }
# make run's output, shown without its command: the block must stay marked.
grep -q '^<!-- readme-example: \$ bin/dosesim run scenarios/tifcemalimab.csv' "$readme" ||
    { echo "$README: make run's block is not marked <!-- readme-example: \$ bin/dosesim run ... -->"; exit 1; }
grep '^skip ' "$work/list" | while read -r _ line why; do
    echo "$readme:$line: skipped $why"
done
echo "readme examples: $checked checked, $failed failed, $skipped skipped ($README)"
[ "$failed" -eq 0 ]
