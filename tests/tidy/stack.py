#!/usr/bin/python3
"""dosesim's result sets in pandas: stacked, joined and made into the protocol table.

Usage: stack.py [DOSESIM] [-v]   (DOSESIM defaults to $DOSESIM, then bin/dosesim)

It runs dosesim itself into a temporary folder, on scenarios/tifcemalimab.csv:

  mc-3+3        run   --design 3+3   --trials 20000 --seed 20261126
  mc-3+3+3      run   --design 3+3+3 --trials 20000 --seed 20261126
  exact-3+3     exact --design 3+3
  exact-3+3+3   exact --design 3+3+3
  timed-3+3     run   --design 3+3   --trials 20000 --seed 9007199254740991
                      --accrual 3 --dropout 0.1
                (2^53 - 1, the largest seed dosesim takes: read back exactly)

and holds the files to the result contract (README.md, "Output files";
results/SCHEMA.csv) the way a pandas user reads them: pd.read_csv with no
options, pd.concat, DataFrame.merge. The exact-vs-MC checks are at the seeds
and the 20,000 trials above, within 4 standard errors. Every number is read
from the files or the program's output, none is written here: the
accuracy measures (true MTD, PCS, P(above/below), patients at/below/above
it) are held to what the README defines them as from doses.csv's rows, the
*_n_evaluable statistics to sample_size.csv's distribution. It ends
"stack.py: N passed, N failed" and exits 1 on any failure. -v prints the
protocol table.

Only Debian's python3-pandas (/usr/bin/python3) and the standard library.
"""

import csv
import fnmatch
import io
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(ROOT, "scenarios", "tifcemalimab.csv")
SHIPPED_SCHEMA = os.path.join(ROOT, "results", "SCHEMA.csv")

TRIALS = 20000
SEED = 20261126
TIMED_SEED = 2**53 - 1
N_SE = 4  # exact vs Monte Carlo: within this many standard errors
TABLES = ("summary", "doses", "sample_size")  # the tables stacked (duration.csv is
# header-only without calendar time, and pandas makes an empty frame's columns object)

# (name, arguments after the scenario file, seed, trials); seed and trials are
# what the files must say (0 and 0 for exact results).
RUNS = [
    ("mc-3+3", ["run", "--design", "3+3", "--trials", str(TRIALS), "--seed", str(SEED)],
     SEED, TRIALS),
    ("mc-3+3+3", ["run", "--design", "3+3+3", "--trials", str(TRIALS), "--seed", str(SEED)],
     SEED, TRIALS),
    ("exact-3+3", ["exact", "--design", "3+3"], 0, 0),
    ("exact-3+3+3", ["exact", "--design", "3+3+3"], 0, 0),
    ("timed-3+3", ["run", "--design", "3+3", "--trials", str(TRIALS), "--seed", str(TIMED_SEED),
                   "--accrual", "3", "--dropout", "0.1"], TIMED_SEED, TRIALS),
]
UNTIMED = [r[0] for r in RUNS if "--accrual" not in r[1]]
# Each Monte Carlo set and the exact set it must agree with.
AGAINST = {"mc-3+3": "exact-3+3", "mc-3+3+3": "exact-3+3+3", "timed-3+3": "exact-3+3"}

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)
    return ok


def is_empty(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def same(a, b):
    """Equal cells, an empty one (NaN) equal only to another."""
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    return a == b


def shown(text, value):
    """Does the printed text show value, to the digits printed?"""
    if text == "-":
        return is_empty(value)
    if is_empty(value):
        return False
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(float(text) - value) <= 0.5 * 10.0**-decimals * (1 + 1e-9) + 1e-12


# ---- the schema ----------------------------------------------------------------

def read_schema(text):
    """{table: {"files": pattern, "columns": [(name, type, empty_when)]}}, in position order."""
    tables = {}
    rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        t = tables.setdefault(r["table"], {"files": r["files"], "columns": []})
        check(int(r["position"]) == len(t["columns"]) + 1,
              f"SCHEMA.csv: {r['table']}.{r['column']} at position {r['position']}")
        t["columns"].append((r["column"], r["type"], r["empty_when"]))
    return tables


def key_columns(schema):
    """The key: the columns every table starts with (README: 'Every file starts with the same key
    columns'), read off SCHEMA.csv as the longest prefix all its tables share."""
    lists = [[c[0] for c in t["columns"]] for t in schema.values()]
    key = []
    for cols in zip(*lists):
        if len(set(cols)) != 1:
            break
        key.append(cols[0])
    return key


def table_of(schema, filename):
    for name, t in schema.items():
        if " " not in t["files"] and fnmatch.fnmatchcase(filename, t["files"]):
            return name
    return None


# ---- the program's printed table ------------------------------------------------

def parse_printed(stdout):
    """The table dosesim run/exact print: {scenario: {"doses": [fields], "none": [...],
    "n": match, "mtd": match, "time": match or None}}, and the first line's words."""
    lines = stdout.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("scenario "))
    header = lines[head]
    wn = header.index("dose") - 2       # "%-*s  %-*s  %6s": the name, the label, " p_dlt"
    wl = header.index("p_dlt") - 1 - 2 - (wn + 2)
    z = re.search(r"\+-([0-9.]+)se", header)
    out = {"_first": lines[0], "_z": float(z.group(1)) if z else None, "_scenarios": []}
    cur = None
    for line in lines[head + 1:]:
        if line == "" or line.startswith("wrote "):
            break
        name = line[:wn].strip()
        rest = line[wn + 2:]
        if name:
            cur = {"doses": [], "none": None, "n": None, "mtd": None, "time": None}
            out[name] = cur
            out["_scenarios"].append(name)
        body = rest.strip()
        if body.startswith("N: "):
            cur["n"] = re.fullmatch(r"N: mean (\S+) treated, (\S+) evaluable \(sd (\S+), "
                                    r"median (\d+), range (\d+)-(\d+)\); DLTs (\S+)", body)
        elif body.startswith("true MTD "):
            cur["mtd"] = re.fullmatch(r"true MTD (.*): P\(correct\) (\S+), P\(RP2D above interval\) "
                                      r"(\S+), P\(below\) (\S+); patients at/below/above MTD "
                                      r"(\S+)/(\S+)/(\S+)", body)
        elif body.startswith("time: "):
            cur["time"] = re.fullmatch(r"time: mean (\S+) days \(sd (\S+)\), median (\S+), "
                                       r"10-90%: (\S+)-(\S+); evaluable (\S+), not evaluable (\S+), "
                                       r"turned away (\S+)", body)
        else:
            label = rest[:wl].strip()
            fields = rest[wl + 2:].split()
            if label == "none" and len(fields) <= 2:
                cur["none"] = fields
            else:
                cur["doses"].append([label] + fields)
    return out


# ---- the checks ----------------------------------------------------------------

def main():
    verbose = "-v" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a != "-v"]
    dosesim = os.path.abspath(args[0] if args else os.environ.get("DOSESIM", "bin/dosesim"))
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dosesim-tidy-") as tmp:
        run_all(dosesim, tmp, verbose)
    print(f"stack.py: {passed} passed, {failed} failed ({time.monotonic() - t0:.1f} s, "
          f"pandas {pd.__version__})")
    return 1 if failed else 0


def run_all(dosesim, tmp, verbose):
    # The schema: the program's, and the shipped copy when there is one (the same bytes).
    schema_text = subprocess.run([dosesim, "schema"], check=True, capture_output=True,
                                 text=True).stdout
    if os.path.exists(SHIPPED_SCHEMA):
        with open(SHIPPED_SCHEMA, newline="") as f:
            check(f.read() == schema_text, "results/SCHEMA.csv is not what `dosesim schema` prints")
    schema = read_schema(schema_text)
    key = key_columns(schema)
    check(len(key) > 0 and key[0] == "run_id", f"the key read off SCHEMA.csv: {key}")

    printed = {}
    for name, argv, _, _ in RUNS:
        out = os.path.join(tmp, name)
        p = subprocess.run([dosesim, argv[0], SCENARIOS] + argv[1:] + ["--out", out],
                           capture_output=True, text=True)
        if not check(p.returncode == 0, f"{name}: exit status {p.returncode}: {p.stderr}"):
            raise SystemExit(1)
        printed[name] = parse_printed(p.stdout)

    # 5. Every written file's header is its table's columns in SCHEMA.csv, in order; a cell is
    # empty only in a column SCHEMA.csv says may be; pandas reads each column as its type.
    frames = {}
    raw = {}
    for name, _, _, _ in RUNS:
        for fn in sorted(os.listdir(os.path.join(tmp, name))):
            if fn.startswith("."):  # .dosesim.lock, the folder's lock, is no result file
                continue
            path = os.path.join(tmp, name, fn)
            table = table_of(schema, fn)
            if not check(table is not None, f"{name}/{fn}: no table of SCHEMA.csv names this file"):
                continue
            cols = schema[table]["columns"]
            with open(path, newline="") as f:
                rows = list(csv.reader(f))
            if not check(rows[0] == [c[0] for c in cols],
                         f"{name}/{fn}: header differs from SCHEMA.csv's {table} columns: "
                         f"{[c for c in rows[0] if c not in [c[0] for c in cols]]} not in it, "
                         f"{[c[0] for c in cols if c[0] not in rows[0]]} missing"):
                continue
            for j, (col, _, empty_when) in enumerate(cols):
                if not empty_when:
                    check(all(r[j] != "" for r in rows[1:]), f"{name}/{fn}: {col} has an empty cell")
            df = read(path)
            for j, (col, kind, _) in enumerate(cols):
                if len(df) == 0:  # a header alone (duration.csv without calendar time) has no types
                    continue
                check(dtype_fits(kind, df[col]),
                      f"{name}/{fn}: {col} ({kind}) read as {df[col].dtype}")
                if df[col].dtype != "object":
                    check(all(same(num(r[j]), v) for r, v in zip(rows[1:], df[col])),
                          f"{name}/{fn}: {col} does not read back to the numbers written")
            frames[name, table] = df
            raw[name, table] = rows

    if failed:
        print("stack.py: the files are not the contract's; nothing stacked")
        return

    # 2. Stacked as they are: the four untimed sets, then all five.
    for sets in (UNTIMED, [r[0] for r in RUNS]):
        for table in TABLES:
            stack_checks(schema, table, [(s, frames[s, table]) for s in sets])
    stacked = {t: pd.concat([frames[s, t] for s, _, _, _ in RUNS], ignore_index=True)
               for t in TABLES}
    for name, _, seed, trials in RUNS:
        s = frames[name, "summary"]
        check(list(s["seed"]) == [seed] * len(s) and list(s["n_trials"]) == [trials] * len(s),
              f"{name}: seed and n_trials are not {seed} and {trials}")
    big = stacked["summary"]["seed"]
    check(big.dtype == "int64" and int(big.max()) == TIMED_SEED,
          f"the stacked seed {big.dtype} {big.max()} is not {TIMED_SEED} exactly")

    # 3. Joined on the key, which is all the two tables share: no suffixes, no row lost.
    doses, summary = stacked["doses"], stacked["summary"]
    check(set(doses.columns) & set(summary.columns) == set(key),
          "doses.csv and summary.csv share columns beyond the key: "
          f"{sorted(set(doses.columns) & set(summary.columns) - set(key))}")
    joined = doses.merge(summary, on=key, how="inner", validate="many_to_one",
                         suffixes=(False, False))
    check(list(joined.columns) == key + list(doses.columns[len(key):])
          + list(summary.columns[len(key):]), "the joined columns are not key, doses', summary's")
    check(not any(c.endswith(("_x", "_y", ".x", ".y")) for c in joined.columns),
          "a suffixed name in the join")
    check(len(joined) == len(doses), f"the join has {len(joined)} rows, doses.csv {len(doses)}")
    check(len(joined.drop_duplicates(key)) == len(summary), "a summary row matched no dose row")
    none = joined[joined["dose_level"] == 0]
    check(len(none) == len(summary), "not one dose_level 0 row per scenario and run")
    check((none["dose_label"] == "none").all() and none["p_dlt"].isna().all(),
          "the dose_level 0 row is not labelled none with no p_dlt")
    for a, b in (("prob_rp2d", "prob_no_rp2d"), ("prob_rp2d_se", "prob_no_rp2d_se"),
                 ("prob_rp2d_lo", "prob_no_rp2d_lo"), ("prob_rp2d_hi", "prob_no_rp2d_hi")):
        check((none[a] == none[b]).all(), f"P(no RP2D): {a} of the dose_level 0 row is not {b}")
    sums = joined.groupby(key)["prob_rp2d"].sum()
    check(((sums - 1).abs() < 1e-12).all(), "the selections of a scenario do not sum to 1")
    mtd = joined[joined["true_mtd"] == "yes"]
    check(len(mtd) == len(summary) and (mtd["dose_level"] == mtd["true_mtd_level"]).all()
          and (mtd["dose_label"] == mtd["true_mtd_label"]).all(),
          "not one true_mtd row per scenario and run, at true_mtd_level")

    # 4. The protocol table: per scenario x design x method, P(RP2D) of each dose and of none,
    # PCS, P(overdose selection) and E[N], by filters of the join alone. PCS is P(RP2D) on the
    # true MTD's row (on the none row when there is no true MTD), where summary.csv gives one
    # (not when there is no true MTD and a dose is below the interval).
    untimed = joined[joined["accrual_per_30_days"] == 0]
    by = ["scenario", "design", "method"]
    protocol = untimed[by + ["dose_level", "dose_label", "prob_rp2d", "prob_select_above",
                             "mean_n_treated", "run_id"]]
    pcs = untimed[untimed["true_mtd"] == "yes"][by + ["prob_rp2d", "prob_correct_selection",
                                                     "run_id"]]
    n_cells = len(summary[summary["accrual_per_30_days"] == 0])
    check(len(protocol.drop_duplicates(by)) == n_cells == len(pcs) == len(UNTIMED)
          * len(frames["exact-3+3", "summary"]), "the protocol table is not one row per scenario "
          "x design x method, with one PCS each")
    pcs_checked = {}
    for _, r in pcs.iterrows():
        if not is_empty(r["prob_correct_selection"]):
            pcs_checked[r["run_id"]] = pcs_checked.get(r["run_id"], 0) + 1
            check(r["prob_rp2d"] == r["prob_correct_selection"],
                  f"{r['scenario']} {r['design']} {r['method']}: PCS from doses.csv "
                  f"{r['prob_rp2d']} is not summary.csv's {r['prob_correct_selection']}")
    # ... and that check ran: in every untimed set, for every scenario with a PCS, and for
    # several scenarios (PCS is empty only for a scenario with no true MTD and a dose below
    # the interval, which accuracy_checks holds the files to).
    for name in UNTIMED:
        rid = frames[name, "summary"]["run_id"][0]
        given = int(frames[name, "summary"]["prob_correct_selection"].notna().sum())
        check(pcs_checked.get(rid, 0) == given and given >= 2,
              f"{name}: PCS = prob_rp2d on the true MTD's row checked for "
              f"{pcs_checked.get(rid, 0)} scenarios, {given} with a PCS (at least 2 wanted)")
    accuracy_checks(joined, key, stacked["sample_size"])
    if verbose:
        show = protocol.pivot(index=by, columns="dose_label", values="prob_rp2d")
        show = show.join(pcs.set_index(by)["prob_correct_selection"].rename("PCS"))
        show = show.join(protocol.drop_duplicates(by).set_index(by)[["prob_select_above",
                                                                     "mean_n_treated"]])
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(show.round(4))

    # ... its numbers are the cells dosesim wrote (read as text, each set on its own) and the
    # table dosesim printed, to the digits printed.
    run_of = {frames[n, "summary"]["run_id"][0]: n for n, _, _, _ in RUNS}
    for _, r in protocol.iterrows():
        name = run_of[r["run_id"]]
        cell = cells(raw[name, "doses"], scenario=r["scenario"], dose_level=str(r["dose_level"]))
        scell = cells(raw[name, "summary"], scenario=r["scenario"])
        where = f"{name} {r['scenario']} level {r['dose_level']}"
        check(float(cell["prob_rp2d"]) == r["prob_rp2d"], f"{where}: prob_rp2d is not the cell")
        for col in ("prob_select_above", "mean_n_treated"):
            check(same(num(scell[col]), r[col]), f"{where}: {col} is not the cell")
    for _, r in pcs.iterrows():
        scell = cells(raw[run_of[r["run_id"]], "summary"], scenario=r["scenario"])
        check(same(num(scell["prob_correct_selection"]), r["prob_correct_selection"]),
              f"{r['scenario']}: prob_correct_selection is not the cell")
    for name, _, seed, trials in RUNS:
        printed_checks(name, printed[name], joined[joined["run_id"] == frames[name, "summary"]
                                                   ["run_id"][0]], seed, trials)

    # ... and exact and Monte Carlo agree within N_SE standard errors (20,000 trials, seeds
    # 20261126 and 2^53 - 1). The MC standard error is the file's, or, where the MC estimate
    # is 0 or 1 (a standard error of 0), the one the exact probability implies.
    for mc, ex in AGAINST.items():
        agree(mc, ex, frames[mc, "doses"], frames[ex, "doses"], ["scenario", "dose_level"],
              [("prob_rp2d", "prob_rp2d_se", True)])
        cols = [("prob_no_rp2d", "prob_no_rp2d_se", True),
                ("prob_correct_selection", "prob_correct_selection_se", True),
                ("prob_select_above", "prob_select_above_se", True),
                ("prob_select_below", "prob_select_below_se", True)]
        if mc in UNTIMED:  # with dropout and accrual the patients are not exact's: untimed only
            # E[N]: evaluable patients (mean_n_treated is the same number here, accuracy_checks)
            cols += [("mean_n_evaluable", "mean_n_evaluable_se", False),
                     ("mean_n_treated_at_mtd", "mean_n_treated_at_mtd_se", False),
                     ("mean_n_treated_below_mtd", "mean_n_treated_below_mtd_se", False),
                     ("mean_n_treated_above_mtd", "mean_n_treated_above_mtd_se", False),
                     ("prob_over_60pct_above_mtd", "prob_over_60pct_above_mtd_se", True),
                     ("prob_over_80pct_above_mtd", "prob_over_80pct_above_mtd_se", True)]
        agree(mc, ex, frames[mc, "summary"], frames[ex, "summary"], ["scenario"], cols)


def close(a, b, tol=1e-9):
    """Equal to within tol, relative to the larger (at least 1): sums the program makes in
    another order."""
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def accuracy_checks(joined, key, sample_size):
    """The accuracy measures and the sample size of summary.csv, every run, against what the
    README defines them as from doses.csv's rows and sample_size.csv's distribution."""
    eps = 1e-12  # the README: p_dlt compared to within 1e-12
    seen = {"pcs": [], "above": [], "below": [], "at": [], "n_below": [], "n_above": [],
            "over60": []}
    for k, g in joined.groupby(key, sort=False):
        s = g.iloc[0]
        where = f"{s['method']} {s['design']} {s['scenario']} (accrual {s['accrual_per_30_days']})"
        lo, hi, target = s["target_lo"], s["target_hi"], s["target"]
        d = g[g["dose_level"] > 0].sort_values("dose_level")
        none = g[g["dose_level"] == 0].iloc[0]
        inside = d[(d["p_dlt"] >= lo - eps) & (d["p_dlt"] <= hi + eps)]
        mtd = 0
        if len(inside):
            dist = (inside["p_dlt"] - target).abs()
            mtd = int(inside[dist <= dist.min() + eps]["dose_level"].min())
        check(s["true_mtd_level"] == mtd, f"{where}: true_mtd_level {s['true_mtd_level']}, "
                                          f"the doses' p_dlt make it {mtd}")
        above, below = d[d["p_dlt"] > hi + eps], d[d["p_dlt"] < lo - eps]
        pcs_empty = mtd == 0 and len(below) > 0
        if check(is_empty(s["prob_correct_selection"]) == pcs_empty
                 and is_empty(s["prob_correct_selection_se"]) == pcs_empty,
                 f"{where}: prob_correct_selection {s['prob_correct_selection']}, "
                 f"empty is {pcs_empty}") and not pcs_empty:
            row = g[g["true_mtd"] == "yes"].iloc[0]
            check(int(row["dose_level"]) == mtd and s["prob_correct_selection"] == row["prob_rp2d"],
                  f"{where}: PCS {s['prob_correct_selection']} is not prob_rp2d "
                  f"{row['prob_rp2d']} on the true MTD's row (level {row['dose_level']})")
        check(close(s["prob_select_above"], above["prob_rp2d"].sum(), 1e-12),
              f"{where}: prob_select_above {s['prob_select_above']}, the doses above the "
              f"interval {above['prob_rp2d'].sum()}")
        check(close(s["prob_select_below"], below["prob_rp2d"].sum(), 1e-12),
              f"{where}: prob_select_below {s['prob_select_below']}, the doses below the "
              f"interval {below['prob_rp2d'].sum()}")
        if len(inside):
            check(s["prob_no_rp2d_despite_acceptable"] == none["prob_rp2d"],
                  f"{where}: prob_no_rp2d_despite_acceptable is not P(no RP2D)")
        else:
            check(is_empty(s["prob_no_rp2d_despite_acceptable"]),
                  f"{where}: prob_no_rp2d_despite_acceptable without an acceptable dose")
        # patients at, below and above the true MTD (with none: above from the first dose above
        # the interval up), of the patients treated at each dose
        cut = mtd if mtd else (int(above["dose_level"].min()) if len(above) else len(d) + 1)
        at = d[d["dose_level"] == mtd]["mean_n_treated_at_dose"].sum()
        n_below = d[d["dose_level"] < cut]["mean_n_treated_at_dose"].sum()
        n_above = d[d["dose_level"] > cut - (0 if mtd else 1)]["mean_n_treated_at_dose"].sum()
        for col, want in (("mean_n_treated_at_mtd", at), ("mean_n_treated_below_mtd", n_below),
                          ("mean_n_treated_above_mtd", n_above),
                          ("mean_n_treated", d["mean_n_treated_at_dose"].sum()),
                          ("mean_n_evaluable", d["mean_n_evaluable_at_dose"].sum()),
                          ("mean_n_dlt", d["mean_n_dlt_at_dose"].sum()),
                          ("mean_n_treated", s["mean_n_evaluable"] + s["mean_n_nonevaluable"])):
            check(close(s[col], want), f"{where}: {col} {s[col]}, the doses say {want}")
        if s["accrual_per_30_days"] == 0:
            check(s["mean_n_treated"] == s["mean_n_evaluable"] and s["mean_n_nonevaluable"] == 0,
                  f"{where}: without calendar time mean_n_treated {s['mean_n_treated']} is not "
                  f"mean_n_evaluable {s['mean_n_evaluable']}, or some patient not evaluable")
            for name, v in (("pcs", s["prob_correct_selection"]), ("above", s["prob_select_above"]),
                            ("below", s["prob_select_below"]), ("at", at),
                            ("n_below", n_below), ("n_above", n_above),
                            ("over60", s["prob_over_60pct_above_mtd"])):
                seen[name].append(v)
        # the sample-size statistics are of evaluable patients: sample_size.csv's distribution
        ss = sample_size.merge(pd.DataFrame([s[key]]), on=key).sort_values("n_evaluable")
        n, p = list(ss["n_evaluable"]), list(ss["prob"])
        if not check(len(ss) > 0 and all(x > 0 for x in p) and len(set(n)) == len(n)
                     and abs(sum(p) - 1) < 1e-12,
                     f"{where}: sample_size.csv is not a distribution of n_evaluable"):
            continue
        mean = sum(a * b for a, b in zip(n, p))
        sd = math.sqrt(sum((a - s["mean_n_evaluable"]) ** 2 * b for a, b in zip(n, p)))

        def quantile(q):
            cum = 0.0
            for a, b in zip(n, p):
                cum += b
                if cum >= q - 1e-12:
                    return a
            return n[-1]
        check(close(s["mean_n_evaluable"], mean) and close(s["sd_n_evaluable"], sd)
              and s["min_n_evaluable"] == n[0] and s["max_n_evaluable"] == n[-1]
              and [s["p10_n_evaluable"], s["p50_n_evaluable"], s["p90_n_evaluable"]]
              == [quantile(0.1), quantile(0.5), quantile(0.9)],
              f"{where}: the *_n_evaluable statistics are not sample_size.csv's: mean "
              f"{s['mean_n_evaluable']}/{mean}, sd {s['sd_n_evaluable']}/{sd}, range "
              f"{s['min_n_evaluable']}-{s['max_n_evaluable']}/{n[0]}-{n[-1]}, p10/50/90 "
              f"{s['p10_n_evaluable']}/{s['p50_n_evaluable']}/{s['p90_n_evaluable']} vs "
              f"{quantile(0.1)}/{quantile(0.5)}/{quantile(0.9)}")
    # The measures are real: on these scenarios, not 0 (or 1) everywhere.
    for name, vals in seen.items():
        vals = [v for v in vals if not is_empty(v)]
        check(len({v for v in vals if 0 < v < (1 if name in ("pcs", "above", "below", "over60")
                                                 else math.inf)}) >= 2,
              f"the untimed runs' {name} is not 0 < {name} (< 1) in two scenarios or more: {vals}")


def read(path):
    """pd.read_csv as it is, but with the parser that reads every number back to the double
    dosesim wrote: pandas' default one (float_precision None or "high") is one unit in the last
    place off for about a third of the 17-digit numbers of an exact doses.csv."""
    return pd.read_csv(path, float_precision="round_trip")


def dtype_fits(kind, s):
    """pandas' plain read of a column of SCHEMA.csv's type: integer columns int64, numbers float
    (int64 where every value is whole, as exact's standard errors of 0), text object (float NaN
    when every cell is empty, as dose_unit without a dose_unit column)."""
    if kind == "integer":
        return s.dtype == "int64"
    if kind in ("number", "probability"):
        return s.dtype in ("float64", "int64")
    return s.dtype == "object" or (s.dtype == "float64" and s.isna().all())


def stack_checks(schema, table, parts):
    names = "+".join(n for n, _ in parts)
    first = list(parts[0][1].columns)
    for n, df in parts:
        check(list(df.columns) == first, f"{table}.csv of {n} has other columns than {parts[0][0]}")
    stack = pd.concat([df for _, df in parts], ignore_index=True)
    check(list(stack.columns) == first and len(stack) == sum(len(df) for _, df in parts),
          f"{table}.csv of {names}: the stack has other columns or rows")
    for col, kind, _ in schema[table]["columns"]:
        kinds = {str(df[col].dtype) for _, df in parts if not df[col].isna().all()}
        if kind == "integer":
            ok = stack[col].dtype == "int64" and kinds == {"int64"}
        elif kind in ("number", "probability"):
            ok = stack[col].dtype in ("float64", "int64") and kinds <= {"float64", "int64"}
        else:
            ok = kinds <= {"object"} and (stack[col].dtype == "object" or not kinds)
        check(ok, f"{table}.csv of {names}: {col} ({kind}) is {sorted(kinds)} in the parts, "
                  f"{stack[col].dtype} stacked")


def cells(rows, **match):
    """The row of a file (read as text) whose cells match."""
    header = rows[0]
    found = [dict(zip(header, r)) for r in rows[1:]
             if all(r[header.index(k)] == v for k, v in match.items())]
    check(len(found) == 1, f"{len(found)} rows with {match}")
    return found[0]


def num(text):
    return float("nan") if text == "" else float(text)


def printed_checks(name, p, rows, seed, trials):
    """The printed table against the joined rows of one run."""
    first = p["_first"]
    if trials:
        check(f", {trials} trials each, seed {seed}" in first, f"{name}: first line {first!r}")
    summaries = rows.drop_duplicates("scenario")
    check(p["_scenarios"] == list(summaries["scenario"]), f"{name}: printed scenarios")
    for _, s in summaries.iterrows():
        sc = s["scenario"]
        t = p.get(sc)
        if not check(t is not None and t["n"] and t["mtd"] and t["none"] is not None,
                     f"{name} {sc}: not printed in full"):
            continue
        doses = rows[(rows["scenario"] == sc) & (rows["dose_level"] > 0)]
        check(len(t["doses"]) == len(doses), f"{name} {sc}: printed doses")
        for fields, (_, d) in zip(t["doses"], doses.iterrows()):
            label, vals = fields[0], fields[1:]
            want = [d["p_dlt"], d["prob_rp2d"]]
            if p["_z"] is not None:
                want.append(p["_z"] * d["prob_rp2d_se"])
            want += [d["mean_n_treated_at_dose"], d["mean_n_dlt_at_dose"]]
            check(label == d["dose_label"] and len(vals) == len(want)
                  and all(shown(v, w) for v, w in zip(vals, want)),
                  f"{name} {sc} {label}: printed {vals}, the files say {want}")
        want = [s["prob_no_rp2d"]] + ([p["_z"] * s["prob_no_rp2d_se"]] if p["_z"] else [])
        check(len(t["none"]) == len(want) and all(shown(v, w) for v, w in zip(t["none"], want)),
              f"{name} {sc} none: printed {t['none']}, the files say {want}")
        # N: patients treated, then evaluable, whose spread the rest tells (sample_size.csv's)
        n = t["n"].groups()
        want = [s["mean_n_treated"], s["mean_n_evaluable"], s["sd_n_evaluable"],
                s["p50_n_evaluable"], s["min_n_evaluable"], s["max_n_evaluable"], s["mean_n_dlt"]]
        check(len(n) == len(want) and all(shown(v, w) for v, w in zip(n, want)),
              f"{name} {sc}: printed N {n}, the files say {want}")
        if s["accrual_per_30_days"] == 0:
            check(n[0] == n[1], f"{name} {sc}: printed N treated {n[0]} is not evaluable {n[1]} "
                                "without calendar time")
        m = t["mtd"].groups()
        want = [s["prob_correct_selection"], s["prob_select_above"], s["prob_select_below"],
                s["mean_n_treated_at_mtd"], s["mean_n_treated_below_mtd"],
                s["mean_n_treated_above_mtd"]]
        check(m[0] == s["true_mtd_label"] and len(m) - 1 == len(want)
              and all(shown(v, w) for v, w in zip(m[1:], want)),
              f"{name} {sc}: printed MTD {m}, the files say {s['true_mtd_label']} {want}")
        if s["accrual_per_30_days"] != 0:
            if check(t["time"] is not None, f"{name} {sc}: no time line"):
                want = [s["mean_duration_days"], s["sd_duration_days"], s["p50_duration_days"],
                        s["p10_duration_days"], s["p90_duration_days"], s["mean_n_evaluable"],
                        s["mean_n_nonevaluable"], s["mean_n_turned_away"]]
                got = t["time"].groups()
                check(len(got) == len(want) and all(shown(v, w) for v, w in zip(got, want)),
                      f"{name} {sc}: printed time {got}, the files say {want}")
        else:
            check(t["time"] is None, f"{name} {sc}: a time line without calendar time")


def agree(mc, ex, fm, fe, on, cols):
    m = fm.merge(fe, on=on, suffixes=("_mc", "_exact"), validate="one_to_one")
    check(len(m) == len(fm) == len(fe), f"{mc} and {ex}: rows differ")
    for _, r in m.iterrows():
        for col, se_col, is_prob in cols:
            a, b, se = r[col + "_mc"], r[col + "_exact"], r[se_col + "_mc"]
            if is_empty(a) or is_empty(b):
                check(is_empty(a) and is_empty(b), f"{mc} {r['scenario']}: {col} empty in one")
                continue
            if is_prob:
                se = max(se, math.sqrt(b * (1 - b) / r["n_trials_mc"]))
            check(abs(a - b) <= N_SE * se,
                  f"{mc} vs {ex} {r['scenario']} {' '.join(str(r[k]) for k in on[1:])}: {col} "
                  f"{a} vs {b}, {abs(a - b) / se if se else math.inf:.1f} standard errors "
                  f"(seed {r['seed_mc']}, {r['n_trials_mc']} trials)")


if __name__ == "__main__":
    sys.exit(main())
