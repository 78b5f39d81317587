#!/usr/bin/env python3
"""README.md's column tables, from `dosesim schema` (results/SCHEMA.csv) on stdin.

Paste its output over README.md's "Result files" column tables after changing a
column in sim/lib/schema.c; contract/readme_documents_every_column holds README
to the schema. Only Python's standard library is used.
"""
import csv
import sys

rows = list(csv.DictReader(sys.stdin))
tables = []
for r in rows:
    if r["table"] not in tables:
        tables.append(r["table"])
key = [r for r in rows if r["table"] == tables[0]][:17]
key_names = {r["column"] for r in key}
print("<!-- schema:key -->")
print("| column | type | meaning |")
print("|---|---|---|")
for r in key:
    print(f"| {r['column']} | {r['type']} | {r['description']} |")
print()
own = {}
for t in tables:
    own[t] = [r for r in rows if r["table"] == t and r["column"] not in key_names]
for t in tables:
    cols = own[t]
    files = cols[0]["files"] if cols else ""
    if t in ("sweep", "comparison"):
        inherited = {r["column"] for r in own["summary"]} | {r["column"] for r in own["doses"]}
        cols = [r for r in cols if r["column"] not in inherited]
    print(f"<!-- schema:{t} -->")
    print(f"`{files}`: the key, then")
    print()
    print("| column | type | meaning |")
    print("|---|---|---|")
    for r in cols:
        when = f"; empty when {r['empty_when']}" if r["empty_when"] else ""
        print(f"| {r['column']} | {r['type']} | {r['description']}{when} |")
    if t in ("sweep", "comparison"):
        print()
        print("then doses.csv's columns and summary.csv's (after their key), as listed above.")
    print()
