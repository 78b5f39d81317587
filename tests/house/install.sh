#!/bin/sh
# install.sh MAKE: what make install installs, used as a C user would (make
# check runs it, for the release build): into a scratch DESTDIR, then a
# program built against it by pkg-config, with the shared library and with the
# static one, gives dosesim exact's answer for the bench scenario (p = 0.10,
# 0.25: P(200 mg) 0.4838, P(100 mg) 0.4128, none 0.1034); the manual page sets without a
# warning (where groff is); make uninstall leaves no file behind.
set -eu
make=${1:-make}
fail() {
    echo "install: $*"
    exit 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dosesim-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix=/usr/local
root="$tmp$prefix"
$make --no-print-directory -s install DESTDIR="$tmp" PREFIX="$prefix" >"$tmp/install.log" 2>&1 ||
    fail "make install failed: $(tail -5 "$tmp/install.log")"
for f in bin/dosesim lib/libdosesim.a lib/libdosesim.so lib/pkgconfig/dosesim.pc \
    share/man/man1/dosesim.1 include/dosesim/dosesim.h; do
    [ -e "$root/$f" ] || fail "no $prefix/$f"
done
command -v pkg-config >/dev/null 2>&1 || fail "no pkg-config (make deps installs it)"
pc() { PKG_CONFIG_PATH="$root/lib/pkgconfig" pkg-config --define-variable=prefix="$root" "$@"; }
version=$(pc --modversion dosesim)
[ "$version" = "$("$root/bin/dosesim" --version | cut -d' ' -f2)" ] ||
    fail "dosesim.pc's version ($version) is not the program's"
cat >"$tmp/use.c" <<'C'
#include <stdio.h>
#include "dosesim/dosesim.h"
int main(void)
{
    double p[2] = {0.10, 0.25};
    char a[] = "100 mg", b[] = "200 mg", name[] = "bench";
    char *labels[2] = {a, b};
    ds_scenario_t scenario = {.name = name, .n_levels = 2, .labels = labels, .p_dlt = p};
    ds_design_t design;
    ds_design_set_3plus3(&design);
    ds_oc_t oc;
    ds_diag_t diag;
    if (ds_exact_oc(&scenario, &design, &oc, &diag) != 0) {
        fprintf(stderr, "%s\n", diag.message);
        return 1;
    }
    printf("%.4f %.4f %.4f\n", oc.prob_rp2d[1], oc.prob_rp2d[0], oc.prob_none);
    ds_oc_free(&oc);
    return 0;
}
C
want="0.4838 0.4128 0.1034"
cc=${CC:-cc}
# shellcheck disable=SC2046
$cc -std=c11 $(pc --cflags dosesim) "$tmp/use.c" $(pc --libs dosesim) -o "$tmp/use_shared" ||
    fail "a program does not build against the shared library"
got=$(LD_LIBRARY_PATH="$root/lib" "$tmp/use_shared") || fail "the program on the shared library failed"
[ "$got" = "$want" ] || fail "on the shared library: '$got', not '$want'"
LD_LIBRARY_PATH="$root/lib" ldd "$tmp/use_shared" | grep -q "libdosesim.so.0 => $root/lib/" ||
    fail "the program is not linked to the installed libdosesim.so.0"
# shellcheck disable=SC2046
$cc -std=c11 $(pc --cflags dosesim) "$tmp/use.c" "$root/lib/libdosesim.a" $(pc --static --libs dosesim) \
    -o "$tmp/use_static" || fail "a program does not build against the static library"
! ldd "$tmp/use_static" | grep -q libdosesim || fail "the static build needs libdosesim.so"
got=$("$tmp/use_static") || fail "the program on the static library failed"
[ "$got" = "$want" ] || fail "on the static library: '$got', not '$want'"
man_note="groff absent: the page was not set"
if command -v groff >/dev/null 2>&1; then
    warnings=$(groff -man -Tutf8 -ww -z "$root/share/man/man1/dosesim.1" 2>&1)
    [ -z "$warnings" ] || fail "the manual page: $warnings"
    groff -man -Tutf8 "$root/share/man/man1/dosesim.1" 2>/dev/null | grep -q 'dosesim run SCENARIO_FILE' ||
        fail "the manual page lacks run's usage"
    man_note="the manual page sets without a warning"
fi
$make --no-print-directory -s uninstall DESTDIR="$tmp" PREFIX="$prefix" >/dev/null 2>&1 ||
    fail "make uninstall failed"
left=$(find "$tmp$prefix" -type f -o -type l | head -3)
[ -z "$left" ] || fail "make uninstall left $left"
echo "install: ok: pkg-config $version, shared and static builds give $want; $man_note; uninstall leaves nothing"
