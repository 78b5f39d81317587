#!/usr/bin/env python3
"""README.md's two dose-optimisation tables, made again from dosesim's own runs.

Each table sets several runs side by side (the 3+3 alone, with backfill, with a
randomised stage, BOIN), so it is the output of no single command and the
readme-example harness (readme_examples.sh) cannot hold it. This script runs the
commands the README names, in a temporary folder, builds each table from the
CSVs they write, and checks README's copy line by line (exit status 1, naming
the first README line that differs), or with --write puts the tables it made in
README's place. A table is found by its header line; its rows are everything up
to the closing fence. A month is 365.25/12 days.

Usage: [DOSESIM=bin/dosesim] python3 tests/house/readme_tables.py [--write] [README]
(run from the checkout's root).
"""
import csv
import os
import subprocess
import sys
import tempfile

DAYS_PER_MONTH = 365.25 / 12
SCENARIOS = "scenarios/tifcemalimab_response.csv"
CALENDAR = ["--accrual", "3", "--dropout", "0.05", "--dlt-onset", "weibull:2"]
# Each run's CSVs by its arguments: a run both tables show (the 3+3 alone, and
# with a stage of 20, on the calendar) runs once.
made = {}


def dosesim(program, args, work):
    """Run dosesim with args into a folder of work (once); return optimisation.csv's rows and doses.csv's."""
    if tuple(args) in made:
        return made[tuple(args)]
    out = os.path.join(work, "run%d" % len(made))
    subprocess.run([program] + args + ["--out", out, "--quiet"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "optimisation.csv"), newline="") as f:
        optimisation = list(csv.DictReader(f))
    with open(os.path.join(out, "doses.csv"), newline="") as f:
        doses = list(csv.DictReader(f))
    made[tuple(args)] = optimisation, doses
    return made[tuple(args)]


def overall(rows, scenario):
    """The scenario's overall row of optimisation.csv (dose level 0)."""
    return next(r for r in rows if r["scenario"] == scenario and r["dose_level"] == "0")


def per_dose(rows, scenario):
    """The scenario's rows of its doses, lowest first."""
    return sorted((r for r in rows if r["scenario"] == scenario and r["dose_level"] != "0"),
                  key=lambda r: int(r["dose_level"]))


def stage_table(program, work):
    """P(optimal), P(above it) and patients exact; months from the calendar's runs."""
    header = ("scenario          p_response   optimal  stage    P(optimal)  P(above it)"
              "  patients  months")
    lines = [header]
    stages = [0, 20, 40]
    exact, timed = {}, {}
    for n in stages:
        stage = ["--optimise", str(n)] if n > 0 else []
        exact[n] = dosesim(program, ["exact", SCENARIOS] + stage, work)
        timed[n] = dosesim(program, ["run", SCENARIOS] + CALENDAR + stage, work)
    optimisation, doses = exact[0]
    scenarios = list(dict.fromkeys(r["scenario"] for r in optimisation))
    for scenario in scenarios:
        top = overall(optimisation, scenario)
        rates = ", ".join("%.2f" % float(r["p_response"]) for r in per_dose(optimisation, scenario))
        # A dose above the acceptable interval is why a better response does not make it optimal.
        too_toxic = [r for r in doses if r["scenario"] == scenario and r["dose_level"] != "0"
                     and float(r["p_dlt"]) > float(r["target_hi"])]
        note = "".join(" (p_dlt %.2f at %s)" % (float(r["p_dlt"]), r["dose_label"]) for r in too_toxic)
        for i, n in enumerate(stages):
            e = overall(exact[n][0], scenario)
            months = float(overall(timed[n][0], scenario)["mean_overall_days"]) / DAYS_PER_MONTH
            if i == 0:
                lead = "%-18s%-13s%-9s" % (scenario, rates, top["true_optimal_label"])
            else:
                lead = "%-40s" % (note if i == 1 else "")
            lines.append("%s%-9s%8.3f%12.3f%12.1f%8.1f" % (
                lead, "%d a dose" % n if n > 0 else "none", float(e["prob_select_optimal"]),
                float(e["prob_select_above_optimal"]), float(e["mean_n_overall"]), months))
    return header, lines


def backfill_table(program, work):
    """Every column from runs on the calendar: backfill needs one."""
    designs = [("3+3 alone", []), ("3+3, backfill 6", ["--backfill-max", "6"]),
               ("3+3, backfill 12", ["--backfill-max", "12"]), ("3+3, stage 20", ["--optimise", "20"]),
               ("3+3, backfill 6, stage 20", ["--backfill-max", "6", "--optimise", "20"]),
               ("BOIN (30) alone", ["--design", "boin", "--max-n", "30"]),
               ("BOIN (30), backfill 6", ["--design", "boin", "--max-n", "30", "--backfill-max", "6"])]
    runs = [dosesim(program, ["run", SCENARIOS] + CALENDAR + options, work)[0]
            for _, options in designs]
    lowest = per_dose(runs[0], "flat")[0]["dose_label"]
    header = ("scenario   design                   P(optimal)  P(above it)  patients  backfilled"
              "  responses at %s  months" % lowest)
    lines = [header]
    for scenario in ["flat", "rising"]:
        for i, ((name, options), rows) in enumerate(zip(designs, runs)):
            r = overall(rows, scenario)
            backfilled = ("%9.1f" % float(r["mean_n_backfilled"]) if "--backfill-max" in options
                          else "%8s " % "-")
            lines.append("%-11s%-25s%8.3f%12.3f%12.1f%s%17.2f%15.1f" % (
                scenario if i == 0 else "", name, float(r["prob_select_optimal"]),
                float(r["prob_select_above_optimal"]), float(r["mean_n_overall"]), backfilled,
                float(per_dose(rows, scenario)[0]["mean_n_response_at_dose"]),
                float(r["mean_overall_days"]) / DAYS_PER_MONTH))
    return header, lines


def main():
    write = "--write" in sys.argv[1:]
    paths = [a for a in sys.argv[1:] if a != "--write"]
    readme = paths[0] if paths else "README.md"
    program = os.path.abspath(os.environ.get("DOSESIM", "bin/dosesim"))
    with open(readme, encoding="utf-8") as f:
        text = f.read().split("\n")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dosesim-readme-tables-") as work:
        for make in (stage_table, backfill_table):
            header, made = make(program, work)
            if text.count(header) != 1:
                print("%s: the table headed '%s' is not there once" % (readme, header))
                return 1
            start = text.index(header)
            end = next(i for i in range(start, len(text)) if text[i].startswith("```"))
            if write:
                text[start:end] = made
                continue
            for k, line in enumerate(made):
                have = text[start + k] if start + k < end else "(the closing fence)"
                if have != line:
                    print("%s:%d: README's table differs from the runs'\n  README: %s\n  runs:   %s"
                          % (readme, start + k + 1, have, line))
                    failed += 1
                    break
            else:
                if start + len(made) != end:
                    print("%s:%d: README's table has rows the runs do not make: %s"
                          % (readme, start + len(made) + 1, text[start + len(made)]))
                    failed += 1
    if write:
        with open(readme, "w", encoding="utf-8") as f:
            f.write("\n".join(text))
        print("readme tables: written into %s" % readme)
        return 0
    print("readme tables: 2 checked, %d differ (%s)" % (failed, readme))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
