#!/bin/sh
# No circle between the files of the library and the program: no two files,
# or chain of files, that call each other (or use each other's data) in a
# loop. Read from the objects' symbols (nm), so that a call through a table
# counts too. Usage: no_circle.sh OBJECT... ; prints each file on a loop and
# exits 1 if there is one.
set -eu
for o in "$@"; do
    nm -P -g --defined-only "$o" | awk -v f="$o" '$2 != "U" { print "D", f, $1 }'
    nm -P -u "$o" | awk -v f="$o" '{ print "U", f, $1 }'
done | awk '
    $1 == "D" { owner[$3] = $2; files[$2] = 1; next }
    { use[$2, $3] = 1; files[$2] = 1; uses[++n] = $2 SUBSEP $3 }
    END {
        for (k = 1; k <= n; k++) {
            split(uses[k], p, SUBSEP)
            if ((p[2] in owner) && owner[p[2]] != p[1]) {
                edge[p[1], owner[p[2]]] = 1
                why[p[1], owner[p[2]]] = p[2]
            }
        }
        m = 0
        for (f in files) name[++m] = f
        for (i = 1; i <= m; i++) for (j = 1; j <= m; j++)
            reach[i, j] = ((name[i], name[j]) in edge)
        for (k = 1; k <= m; k++) for (i = 1; i <= m; i++) if (reach[i, k])
            for (j = 1; j <= m; j++) if (reach[k, j]) reach[i, j] = 1
        bad = 0
        for (i = 1; i <= m; i++) if (reach[i, i]) {
            print "on a circle: " name[i]; bad = 1
        }
        if (!bad) print "no circle between " m " files"
        exit bad
    }'
