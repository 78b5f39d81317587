/* What the commands print on stdout about a design and its results: the
 * table of results, the line naming the rules (and the calendar), and the
 * rules' actions in words (trace, paths). */
#include "cmd.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "dosesim/accuracy.h"
#include "dosesim/optimise.h"

/* The table's Monte Carlo margin: the normal quantile of the CSVs'
 * DS_OC_CONFIDENCE interval, to the two decimals its header shows ("+-1.96se"
 * for 95%). */
static double table_z(void)
{
    return nearbyint(100.0 * gsl_cdf_ugaussian_Pinv(0.5 + DS_OC_CONFIDENCE / 2.0)) / 100.0;
}

static int clamp_width(size_t len, int lo, int hi)
{
    int w = len > (size_t)hi ? hi : (int)len;
    return w < lo ? lo : w;
}

/* A probability, or "-" where it has no value (NaN). */
static void print_prob(FILE *out, const char *what, double p)
{
    if (isnan(p)) {
        fprintf(out, "%s -", what);
    } else {
        fprintf(out, "%s %.4f", what, p);
    }
}

static void print_optimisation(FILE *out, const cli_table_layout_t *layout,
                               const ds_result_t *result);

void cli_print_results_begin(FILE *out, cli_table_layout_t *layout, const ds_run_key_t *key,
                             const ds_scenario_t *const *scenarios, int n_scenarios, bool mc)
{
    layout->target = (ds_target_t){.target = key->target, .lo = key->target_lo, .hi = key->target_hi};
    layout->key = key;
    size_t name_len = 8;
    size_t label_len = 4;
    for (int i = 0; i < n_scenarios; i++) {
        const ds_scenario_t *sc = scenarios[i];
        name_len = strlen(sc->name) > name_len ? strlen(sc->name) : name_len;
        for (int d = 0; d < sc->n_levels; d++) {
            label_len = strlen(sc->labels[d]) > label_len ? strlen(sc->labels[d]) : label_len;
        }
    }
    layout->wn = clamp_width(name_len, 8, 28);
    layout->wl = clamp_width(label_len, 4, 16);
    layout->mc = mc;
    layout->z = table_z();
    char margin[16];
    snprintf(margin, sizeof(margin), "+-%.2fse", layout->z);
    fprintf(out, "%-*s  %-*s  %6s  %8s  %9s  %8s  %6s\n", layout->wn, "scenario", layout->wl,
            "dose", "p_dlt", "P(RP2D)", mc ? margin : "", "patients", "DLTs");
}

void cli_print_result(FILE *out, const cli_table_layout_t *layout, const ds_result_t *result)
{
    const int wn = layout->wn, wl = layout->wl;
    const bool mc = layout->mc;
    const double z = layout->z;
    const ds_scenario_t *sc = result->scenario;
    const ds_oc_t *oc = result->oc;
    for (int d = 0; d < sc->n_levels; d++) {
        fprintf(out, "%-*.*s  %-*.*s  %6.3f  %8.4f  ", wn, wn, d == 0 ? sc->name : "", wl, wl,
                sc->labels[d], sc->p_dlt[d], oc->prob_rp2d[d]);
        if (mc) {
            fprintf(out, "%9.4f", z * oc->prob_rp2d_se[d]);
        } else {
            fprintf(out, "%9s", "");
        }
        fprintf(out, "  %8.3f  %6.3f\n", oc->mean_treated[d], oc->mean_dlt[d]);
    }
    fprintf(out, "%-*s  %-*s  %6s  %8.4f  ", wn, "", wl, "none", "", oc->prob_none);
    if (mc) {
        fprintf(out, "%9.4f\n", z * oc->prob_none_se);
    } else {
        fprintf(out, "%9s\n", "");
    }
    ds_accuracy_t acc;
    ds_diag_t diag;
    if (ds_accuracy_from_oc(&acc, oc, sc, &layout->target, &diag) != 0) {
        return; /* the target was checked when given: cannot happen */
    }
    fprintf(out,
            "%-*s  N: mean %.3f treated, %.3f evaluable (sd %.2f, median %d, range %d-%d); "
            "DLTs %.3f\n",
            wn, "", oc->mean_treated_total, oc->mean_evaluable_total, oc->sd_n, oc->n_p50,
            oc->min_n, oc->max_n_seen, oc->mean_dlt_total);
    fprintf(out, "%-*s  true MTD %s:", wn, "",
            acc.true_mtd < 0 ? DS_NO_DOSE_LABEL : sc->labels[acc.true_mtd]);
    print_prob(out, " P(correct)", acc.pcs);
    print_prob(out, ", P(RP2D above interval)", acc.prob_above);
    print_prob(out, ", P(below)", acc.prob_below);
    fprintf(out, "; patients at/below/above MTD %.2f/%.2f/%.2f\n", acc.mean_at,
            acc.mean_below, acc.mean_above);
    if (oc->timed) {
        fprintf(out,
                "%-*s  time: mean %.1f days (sd %.1f), median %.1f, 10-90%%: %.1f-%.1f; "
                "evaluable %.2f, not evaluable %.2f, turned away %.2f\n",
                wn, "", oc->mean_duration_days, oc->sd_duration_days, oc->duration_p50,
                oc->duration_p10, oc->duration_p90, oc->mean_evaluable_total,
                oc->mean_nonevaluable, oc->mean_turned_away);
    }
    if (ds_run_key_backfills(layout->key)) {
        fprintf(out, "%-*s  backfill: %.2f patients a trial of the %.2f treated (se %.3f)\n", wn,
                "", oc->mean_backfilled, oc->mean_treated_total, oc->mean_backfilled_se);
    }
    if (sc->p_response != NULL) {
        print_optimisation(out, layout, result);
    }
}

/* A scenario with p_response: its responses, the optimal dose, and the final
 * dose after the stage (optimisation.csv's numbers). */
static void print_optimisation(FILE *out, const cli_table_layout_t *layout,
                               const ds_result_t *result)
{
    const ds_scenario_t *sc = result->scenario;
    const ds_oc_t *oc = result->oc;
    const ds_optimise_t *opt = ds_run_key_optimise(layout->key);
    ds_optimise_oc_t o;
    if (ds_report_optimise_oc(layout->key, result, &o) != 0) {
        fprintf(out, "%-*s  response: out of memory\n", layout->wn, "");
        return;
    }
    const int wn = layout->wn;
    fprintf(out, "%-*s  response:", wn, "");
    for (int d = 0; d < sc->n_levels; d++) {
        fprintf(out, "%s %s %.3f (%.2f of %.2f evaluable)", d > 0 ? "," : "", sc->labels[d],
                sc->p_response[d], o.mean_response[d], oc->mean_evaluable[d]);
    }
    fprintf(out, "; optimal %s\n", o.optimal < 0 ? DS_NO_DOSE_LABEL : sc->labels[o.optimal]);
    if (opt->n_per_arm > 0) {
        fprintf(out, "%-*s  after %d a dose randomised (delta %g):", wn, "", opt->n_per_arm,
                opt->delta);
    } else {
        fprintf(out, "%-*s  final dose = RP2D (no --optimise):", wn, "");
    }
    for (int d = 0; opt->n_per_arm > 0 && d < sc->n_levels; d++) {
        fprintf(out, " %s %.4f,", sc->labels[d], o.prob_final[d]);
    }
    fprintf(out, " P(optimal) %.4f, P(above) %.4f", o.prob_optimal, o.prob_above);
    if (opt->n_per_arm > 0) {
        fprintf(out, "; patients +%.2f", o.mean_randomised_total);
        if (o.timed) {
            fprintf(out, ", days +%.1f", o.mean_stage_days);
        }
    }
    fputc('\n', out);
    ds_optimise_oc_free(&o);
}

void cli_print_design(FILE *out, const ds_design_t *design, const ds_timing_t *timing)
{
    if (ds_design_is_interval(design)) {
        char target[DS_DOUBLE_CHARS];
        ds_format_double(design->interval.target, target);
        fprintf(out,
                "rules: %s, target %s, %d patients in cohorts of %d (its decision table: dosesim "
                "table), start at level %d\n",
                design->name, target, design->interval.max_n, design->interval.cohort_size,
                design->start_level + 1);
    } else {
        fprintf(out, "rules: %s, de-escalation %s, top dose %s, start at level %d\n",
                design->name, design->deescalate ? DS_YES : DS_NO,
                ds_top_dose_name(design->top_dose), design->start_level + 1);
    }
    if (timing != NULL && timing->on) {
        char onset[64];
        ds_timing_onset_name(timing, onset, sizeof(onset));
        fprintf(out,
                "calendar: %g patients per 30 days, %g-day DLT window, DLT onset %s, "
                "dropout %g\n",
                timing->accrual_per_30, timing->window_days, onset, timing->dropout);
        if (timing->backfill_max > 0) {
            fprintf(out,
                    "backfill: up to %d patients a dose, at the highest cleared dose below the "
                    "escalation's\n",
                    timing->backfill_max);
        }
    }
}

void cli_describe_action(const ds_action_t *a, const ds_scenario_t *scenario, char *buf,
                         size_t size)
{
    const char *label = a->level >= 0 ? scenario->labels[a->level] : "";
    char who[32]; /* "3", or for one patient (the rolling six) "the next patient" */
    if (a->n == 1) {
        snprintf(who, sizeof(who), "the next patient");
    } else {
        snprintf(who, sizeof(who), "%d", a->n);
    }
    switch (a->why) {
    case DS_WHY_START:
        snprintf(buf, size, "start: %s at %s", who, label);
        break;
    case DS_WHY_ESCALATE:
        snprintf(buf, size, "escalate: %s at %s", who, label);
        break;
    case DS_WHY_EXPAND:
        snprintf(buf, size, "%d more at %s", a->n, label);
        break;
    case DS_WHY_SAME:
        snprintf(buf, size, "%s at %s", who, label);
        break;
    case DS_WHY_SUSPEND:
        snprintf(buf, size, "enrolment suspended: six at %s, outcomes pending", label);
        break;
    case DS_WHY_TOP_EXPAND:
        snprintf(buf, size, "%s%s at %s (highest dose allowed)", who, a->n == 1 ? "" : " more",
                 label);
        break;
    case DS_WHY_TOP_ACCEPT:
        snprintf(buf, size, "RP2D %s (highest dose allowed, accepted as it stands)", label);
        break;
    case DS_WHY_TOP_COMPLETE:
        snprintf(buf, size, "RP2D %s", label);
        break;
    case DS_WHY_LOWER_FRESH:
        snprintf(buf, size, "too toxic; de-escalate: %s at %s", who, label);
        break;
    case DS_WHY_LOWER_CONFIRM:
        snprintf(buf, size, "too toxic; de-escalate: %s%s at %s", who, a->n == 1 ? "" : " more",
                 label);
        break;
    case DS_WHY_LOWER_COMPLETE:
    case DS_WHY_LOWER_AS_IS:
        snprintf(buf, size, "too toxic; RP2D %s", label);
        break;
    case DS_WHY_NONE_BELOW:
        snprintf(buf, size, "too toxic; no RP2D");
        break;
    case DS_WHY_STAY:
        snprintf(buf, size, "stay: %s at %s", who, label);
        break;
    case DS_WHY_DEESCALATE:
        snprintf(buf, size, "de-escalate: %s at %s", who, label);
        break;
    case DS_WHY_ELIMINATE:
        snprintf(buf, size, "eliminated with every dose above; de-escalate: %s at %s", who, label);
        break;
    case DS_WHY_LOWEST_ELIMINATED:
        snprintf(buf, size, "the lowest dose is too toxic (eliminated): stop, no MTD");
        break;
    case DS_WHY_END_SELECT:
        snprintf(buf, size, "trial complete; selected (isotonic estimate nearest the target): %s",
                 label);
        break;
    case DS_WHY_END_NONE:
        snprintf(buf, size, "trial complete; no dose can be selected");
        break;
    default:
        snprintf(buf, size, "(a state the rules cannot handle)");
        break;
    }
}
