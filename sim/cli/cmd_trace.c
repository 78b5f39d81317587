/* dosesim trace: one trial told cohort by cohort (and day by day with calendar
 * time), exactly as `dosesim run` simulated it: the same stream, the same
 * draws, the same result as its row of --trials-csv. */
#include "cmd.h"

#include <ctype.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const trace_formats[] = {"text", "csv", NULL};
enum { FORMAT_TEXT, FORMAT_CSV };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dosesim trace SCENARIO_FILE --scenario NAME [--seed S] [--trial I]\n"
            "                     [--format text|csv] [design options] [calendar options]\n"
            "                     [--backfill-max M]\n"
            "\n"
            "Tells trial I of a run with seed S (as dosesim run and its --trials-csv row I have\n"
            "it), cohort by cohort, and day by day with calendar time.\n"
            "\n"
            "  --scenario NAME          the scenario (required)\n"
            "  --seed S                 the run's seed (default %" PRIu64 ")\n"
            "  --trial I                the trial, from 1 (default 1)\n"
            "  --format text|csv        the story in words (default), or a CSV row per event,\n"
            "                           on standard output\n"
            "%s%s%s",
            DS_DEFAULT_SEED, CLI_DESIGN_HELP, CLI_TIMING_HELP, CLI_BACKFILL_HELP);
}

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* A patient's outcome, in words. */
static const char *outcome_words(ds_patient_fate_t fate)
{
    switch (fate) {
    case DS_PATIENT_DLT:
        return "has a DLT";
    case DS_PATIENT_COMPLETES:
        return "completes the window without a DLT";
    default:
        return "leaves the window early without a DLT: not evaluable, the place goes to the "
               "next arrival";
    }
}

/* One event of a cohort's calendar, for telling them in order of day. */
typedef struct {
    double day;
    int patient; /* index in the cohort's log (of patients, or of earlier outcomes) */
    bool is_outcome;
    bool earlier; /* an outcome of an earlier cohort's patient at the dose */
} event_t;

static int compare_events(const void *a, const void *b)
{
    const event_t *x = a, *y = b;
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    return x->is_outcome - y->is_outcome; /* an enrolment comes before an outcome the same day */
}

/* Days of a timed cohort: enrolments and outcomes up to the decision, then who
 * is still in the window. first_patient numbers the cohort's first patient. */
static int tell_days(const ds_cohort_log_t *log, int first_patient)
{
    event_t *events = malloc((size_t)(2 * log->n_patients + log->n_earlier + 1) * sizeof(*events));
    if (events == NULL) {
        return -1;
    }
    int n = 0;
    for (int i = 0; i < log->n_patients; i++) {
        events[n++] = (event_t){log->patients[i].enrolled, i, false, false};
        if (log->patients[i].outcome <= log->decided) {
            events[n++] = (event_t){log->patients[i].outcome, i, true, false};
        }
    }
    for (int i = 0; i < log->n_earlier; i++) {
        events[n++] = (event_t){log->earlier[i].at, i, true, true};
    }
    qsort(events, (size_t)n, sizeof(*events), compare_events);
    for (int k = 0; k < n; k++) {
        if (events[k].earlier) {
            const ds_carried_t *e = &log->earlier[events[k].patient];
            fprintf(cli_output(), "  day %6.1f: patient %d, of an earlier cohort here, %s\n", e->at,
                    e->patient, outcome_words(e->fate));
            continue;
        }
        const ds_patient_log_t *p = &log->patients[events[k].patient];
        int number = first_patient + events[k].patient;
        if (events[k].is_outcome) {
            fprintf(cli_output(), "  day %6.1f: patient %d %s", events[k].day, number,
                    outcome_words(p->fate));
            if (p->fate == DS_PATIENT_DLT) {
                fprintf(cli_output(), " (day %.1f of their window)", p->outcome - p->enrolled);
            }
            fputc('\n', cli_output());
        } else {
            fprintf(cli_output(), "  day %6.1f: patient %d enrolled\n", events[k].day, number);
        }
    }
    free(events);
    return 0;
}

static void tell_still_in_window(const ds_cohort_log_t *log, int first_patient)
{
    for (int i = 0; i < log->n_patients; i++) {
        const ds_patient_log_t *p = &log->patients[i];
        if (p->outcome > log->decided) {
            fprintf(cli_output(),
                    "  (patient %d is still in the window at the decision: on day %.1f they %s)\n",
                    first_patient + i, p->outcome,
                    p->fate == DS_PATIENT_DLT         ? "will have a DLT, which counts"
                    : p->fate == DS_PATIENT_COMPLETES ? "will complete it: evaluable"
                                                      : "will leave it early: not evaluable");
        }
    }
}

/* A rolling-six trial, event by event; the rules' next move when it changes. */
static void tell_rolling(const ds_event_log_t *log, const ds_scenario_t *scenario)
{
    ds_action_t shown = {.kind = DS_ACTION_INVALID, .level = -2};
    if (log->n_events > 0) {
        /* The first event is the first enrolment, at the starting dose. */
        fprintf(cli_output(),
                "  day %6.1f: the trial opens; the first patient to arrive goes to %s\n", 0.0,
                scenario->labels[log->events[0].level]);
    }
    for (int k = 0; k < log->n_events; k++) {
        const ds_event_t *e = &log->events[k];
        const char *label = scenario->labels[e->level];
        if (e->kind == DS_EVENT_ENROL) {
            fprintf(cli_output(), "  day %6.1f: patient %d enrolled at %s", e->day, e->patient,
                    label);
        } else {
            fprintf(cli_output(), "  day %6.1f: patient %d (%s) %s", e->day, e->patient, label,
                    outcome_words(e->fate));
        }
        /* The table reads the patients not known to be non-evaluable (evaluable
         * or pending), the DLTs among them and those pending. */
        fprintf(cli_output(),
                "  [%s: %d treated: %d evaluable, %d not evaluable, %d pending; %d %s]\n", label,
                e->treated, e->patients - e->pending, e->nonevaluable, e->pending, e->dlts,
                plural(e->dlts, "DLT", "DLTs"));
        if (e->next.kind != shown.kind || e->next.level != shown.level ||
            e->next.why != shown.why) {
            char what[160];
            cli_describe_action(&e->next, scenario, what, sizeof(what));
            fprintf(cli_output(), "             -> %s\n", what);
            shown = e->next;
        }
    }
}

/* A timed cohort's decision: on whom the rules decided, this cohort's
 * patients and every patient at the dose (DLTs / evaluable, as the rules saw
 * them), those still in the window, whose outcomes could not change it. */
static void tell_decision(const ds_traced_cohort_t *c, const char *label)
{
    const ds_standing_t *own = &c->cohort_at_decision, *all = &c->level_at_decision;
    fprintf(cli_output(), "decided on %d evaluable of %d treated", own->evaluable, own->treated);
    if (own->nonevaluable > 0 || own->pending > 0) {
        fprintf(cli_output(), " (");
        if (own->nonevaluable > 0) {
            fprintf(cli_output(), "%d not evaluable%s", own->nonevaluable,
                    own->pending > 0 ? ", " : "");
        }
        if (own->pending > 0) {
            fprintf(cli_output(), "%d in the window", own->pending);
        }
        fputc(')', cli_output());
    }
    fprintf(cli_output(), ": %d %s; %s: %d/%d evaluable", own->dlts,
            plural(own->dlts, "DLT", "DLTs"), label, all->dlts, all->evaluable);
    if (all->pending > 0) {
        fprintf(cli_output(), ", %d in the window", all->pending);
    }
    if (all->vacant > 0) {
        fprintf(cli_output(), ", %d %s empty", all->vacant, plural(all->vacant, "place", "places"));
    }
}

/* The patients of a finished timed trial: treated = evaluable + not evaluable,
 * in total and at each dose given. */
static void tell_counts(const ds_trial_t *t, const ds_scenario_t *scenario)
{
    for (int d = 0; d < t->n_levels; d++) {
        if (t->treated[d] > 0) {
            fprintf(cli_output(), "  %s: %d treated: %d evaluable, %d not evaluable; %d %s\n",
                    scenario->labels[d], t->treated[d], t->patients[d], t->nonevaluable[d],
                    t->dlts[d], plural(t->dlts[d], "DLT", "DLTs"));
        }
    }
}

static bool same_action(const ds_action_t *a, const ds_action_t *b)
{
    return a->kind == b->kind && a->level == b->level && a->n == b->n && a->why == b->why;
}

/* What the backfill made of a cohort's decision: the wait of an RP2D for the
 * backfilled outcomes, and the trial's move when it changed the rules' own. */
static void tell_backfill_change(const ds_traced_cohort_t *c, const ds_scenario_t *scenario)
{
    if (c->waited) {
        fprintf(cli_output(),
                "  day %6.1f: the last backfilled patient's outcome is in (the RP2D waited for "
                "them)\n",
                c->changed_on);
    }
    if (same_action(&c->rules_next, &c->next)) {
        return;
    }
    char what[160];
    cli_describe_action(&c->next, scenario, what, sizeof(what));
    if (c->closed_level >= 0) {
        fprintf(cli_output(), "  day %6.1f: %s closed to backfill -> %s\n", c->changed_on,
                scenario->labels[c->closed_level], what);
    } else {
        fprintf(cli_output(), "  day %6.1f: decided again on every backfilled outcome -> %s\n",
                c->changed_on, what);
    }
}

/* A backfilled patient's enrolment, outcome, or a dose's closing, for telling them in order. */
typedef struct {
    double day;
    int kind;  /* 0 enrolment, 1 outcome, 2 closing (as on the same day) */
    int index; /* the patient's in trace->backfilled, or the level closed */
} backfill_event_t;

static int compare_backfill_events(const void *a, const void *b)
{
    const backfill_event_t *x = a, *y = b;
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    return x->kind != y->kind ? x->kind - y->kind : x->index - y->index;
}

/* The backfilled patients, numbered after the escalation's from first_patient,
 * and the doses closed to backfill, in order of day. */
static int tell_backfill(const ds_trace_t *trace, const ds_scenario_t *scenario, int first_patient)
{
    const int n_levels = trace->state.n_levels;
    backfill_event_t *events =
        malloc(((size_t)2 * (size_t)trace->n_backfilled + (size_t)n_levels) * sizeof(*events));
    if (events == NULL) {
        return -1;
    }
    int n = 0;
    for (int i = 0; i < trace->n_backfilled; i++) {
        events[n++] = (backfill_event_t){trace->backfilled[i].enrolled, 0, i};
        events[n++] = (backfill_event_t){trace->backfilled[i].outcome, 1, i};
    }
    for (int d = 0; d < n_levels; d++) {
        if (trace->backfill_closed[d]) {
            events[n++] = (backfill_event_t){trace->backfill_closed_on[d], 2, d};
        }
    }
    qsort(events, (size_t)n, sizeof(*events), compare_backfill_events);
    fprintf(cli_output(),
            "Backfilled (at the highest cleared dose below the escalation's): %d %s\n",
            trace->n_backfilled, plural(trace->n_backfilled, "patient", "patients"));
    for (int k = 0; k < n; k++) {
        if (events[k].kind == 2) {
            fprintf(cli_output(),
                    "  day %6.1f: %s closes to backfill: its pooled counts reach the design's "
                    "bound\n",
                    events[k].day, scenario->labels[events[k].index]);
            continue;
        }
        const ds_backfilled_t *p = &trace->backfilled[events[k].index];
        const int number = first_patient + events[k].index;
        if (events[k].kind == 0) {
            fprintf(cli_output(), "  day %6.1f: patient %d backfilled at %s\n", p->enrolled, number,
                    scenario->labels[p->level]);
        } else {
            fprintf(cli_output(), "  day %6.1f: patient %d (%s) %s\n", p->outcome, number,
                    scenario->labels[p->level],
                    p->fate == DS_PATIENT_DLT         ? "has a DLT"
                    : p->fate == DS_PATIENT_COMPLETES ? "completes the window without a DLT"
                                                      : "leaves the window early: not evaluable");
        }
    }
    free(events);
    return 0;
}

static int tell(const ds_trace_t *trace, const ds_design_t *design, const ds_scenario_t *scenario)
{
    int patient = 1;
    if (trace->events.n_events > 0) {
        const char *title = design->family->title;
        fprintf(cli_output(), "%c%s, patient by patient (the table acts on every event):\n",
                toupper((unsigned char)title[0]), title + 1);
        tell_rolling(&trace->events, scenario);
    }
    for (int k = 0; k < trace->n_cohorts; k++) {
        const ds_traced_cohort_t *c = &trace->cohorts[k];
        char what[160];
        cli_describe_action(&c->rules_next, scenario, what, sizeof(what));
        const char *label = scenario->labels[c->level];
        if (trace->timed) {
            fprintf(cli_output(), "Cohort %d (%s), opened on day %.1f:\n", k + 1, label,
                    c->calendar.opened);
            if (tell_days(&c->calendar, patient) != 0) {
                return -1;
            }
            fprintf(cli_output(), "  day %6.1f: ", c->calendar.decided);
            tell_decision(c, label);
            fprintf(cli_output(), " -> %s\n", what);
            tell_backfill_change(c, scenario);
        } else {
            fprintf(cli_output(), "Cohort %d (%s): %d patients, %d %s (%d/%d) -> %s\n", k + 1,
                    label, c->n, c->dlt, plural(c->dlt, "DLT", "DLTs"), c->level_dlts,
                    c->level_patients, what);
        }
        if (trace->timed) {
            tell_still_in_window(&c->calendar, patient);
            patient += c->calendar.n_patients;
        }
    }
    if (trace->backfills && tell_backfill(trace, scenario, patient) != 0) {
        return -1;
    }
    fputc('\n', cli_output());
    const ds_trial_t *t = &trace->state;
    if (trace->rp2d >= 0) {
        fprintf(cli_output(), "RP2D: %s", scenario->labels[trace->rp2d]);
    } else {
        fprintf(cli_output(), "No RP2D: every dose tried was too toxic");
    }
    if (trace->timed) {
        const ds_calendar_t *cal = &trace->calendar;
        fprintf(
            cli_output(),
            ", on day %.1f. %d patients treated: %d evaluable, %d not evaluable; %d %s; %" PRIu64
            " %s turned away.\n",
            cal->clock, t->n_treated, t->n_total, t->n_nonevaluable, t->dlt_total,
            plural(t->dlt_total, "DLT", "DLTs"), cal->turned_away,
            cal->turned_away == 1 ? "arrival" : "arrivals");
        tell_counts(t, scenario);
    } else {
        fprintf(cli_output(), ", after %d patients and %d %s.\n", t->n_total, t->dlt_total,
                plural(t->dlt_total, "DLT", "DLTs"));
    }
    /* The same numbers as the trial's row of --trials-csv, to check one against the other. */
    /* The per-trial CSV's names and values (run --trials-csv), so that the two compare. */
    fprintf(cli_output(),
            "result: " DS_COL_RP2D_LEVEL "=%d " DS_COL_N_TREATED "=%d " DS_COL_N_EVALUABLE
            "=%d " DS_COL_N_NONEVALUABLE "=%d " DS_COL_N_DLT "=%d",
            trace->rp2d + 1, t->n_treated, t->n_total, t->n_nonevaluable, t->dlt_total);
    if (trace->timed) {
        char days[32];
        ds_format_duration(trace->calendar.clock, days, sizeof(days));
        fprintf(cli_output(), " " DS_COL_DURATION_DAYS "=%s " DS_COL_N_TURNED_AWAY "=%" PRIu64,
                days, trace->calendar.turned_away);
    }
    if (trace->backfills) {
        fprintf(cli_output(), " " DS_COL_N_BACKFILLED "=%d", trace->n_backfilled);
    }
    fputc('\n', cli_output());
    return 0;
}

/* ---- the trace as CSV (schema.h's DS_TABLE_TRACE): a row per event ---- */

/* One row of a timed cohort trial, for putting them in order of day. */
typedef enum { ROW_ENROL, ROW_OUTCOME, ROW_CLOSE, ROW_DECISION } row_kind_t;
typedef struct {
    double day;
    row_kind_t kind; /* on the same day: enrolments, outcomes, closings, then the decision */
    int cohort;      /* 0-based; -1 for a backfilled patient's row or a closing */
    int patient;     /* index in the cohort's log, or in the backfilled; the level closed */
    int order;       /* as listed, so that ties keep it */
} timed_row_t;

static int compare_timed_rows(const void *a, const void *b)
{
    const timed_row_t *x = a, *y = b;
    if (x->day != y->day) {
        return x->day < y->day ? -1 : 1;
    }
    if (x->kind != y->kind) {
        return (int)x->kind - (int)y->kind;
    }
    return x->order - y->order;
}

static const char *fate_event(ds_patient_fate_t fate)
{
    return fate == DS_PATIENT_DLT         ? DS_TRACE_DLT
           : fate == DS_PATIENT_COMPLETES ? DS_TRACE_COMPLETE
                                          : DS_TRACE_LEAVE;
}

static void csv_int_or_empty(ds_csv_row_t *w, bool given, long long x)
{
    if (given) {
        ds_csv_int(w, x);
    } else {
        ds_csv_empty(w);
    }
}

/* The row's start: key, trial, event, day, cohort, patient, dose. */
typedef struct {
    const ds_run_key_t *key;
    const ds_scenario_t *scenario;
    uint64_t trial; /* 1-based */
    bool timed;
} trace_csv_t;

static void row_begin(ds_csv_row_t *w, const trace_csv_t *t, const char *event, double day,
                      int cohort, int patient, int level)
{
    ds_run_key_cells(w, t->key, t->scenario);
    ds_csv_u64(w, t->trial);
    ds_csv_text(w, event);
    if (t->timed) {
        ds_csv_double(w, day);
    } else {
        ds_csv_empty(w);
    }
    csv_int_or_empty(w, cohort > 0, cohort);
    csv_int_or_empty(w, patient > 0, patient);
    ds_csv_int(w, level + 1);
    ds_csv_text(w, t->scenario->labels[level]);
}

/* The standing at the dose and the rules' next action: a decision's cells. */
static void row_decision(ds_csv_row_t *w, const trace_csv_t *t, int treated, int evaluable,
                         int pending, int dlts, const ds_action_t *next)
{
    ds_csv_int(w, treated);
    ds_csv_int(w, evaluable);
    ds_csv_int(w, pending);
    ds_csv_int(w, dlts);
    const char *action = next->kind == DS_ACTION_TREAT    ? DS_NEXT_TREAT
                         : next->kind == DS_ACTION_WAIT   ? DS_NEXT_WAIT
                         : next->kind == DS_ACTION_SELECT ? DS_NEXT_SELECT
                                                          : DS_NEXT_STOP;
    const bool at_dose = next->kind != DS_ACTION_STOP && next->level >= 0;
    ds_csv_text(w, action);
    ds_csv_int(w, at_dose ? next->level + 1 : 0);
    ds_csv_text(w, at_dose ? t->scenario->labels[next->level] : DS_NO_DOSE_LABEL);
    csv_int_or_empty(w, next->kind == DS_ACTION_TREAT, next->n);
    char what[160];
    cli_describe_action(next, t->scenario, what, sizeof(what));
    ds_csv_text(w, what);
}

/* A row without a decision's cells. */
static void row_no_decision(ds_csv_row_t *w)
{
    for (int k = 0; k < 9; k++) {
        ds_csv_empty(w);
    }
}

static int trace_csv_timed_cohorts(const ds_trace_t *trace, const trace_csv_t *t)
{
    int n_rows = 2 * trace->n_backfilled + trace->state.n_levels;
    for (int k = 0; k < trace->n_cohorts; k++) {
        n_rows += 2 * trace->cohorts[k].calendar.n_patients + 2; /* the backfill's change too */
    }
    timed_row_t *rows = malloc((size_t)n_rows * sizeof(*rows));
    int *first_patient = malloc((size_t)trace->n_cohorts * sizeof(*first_patient) + 1);
    if (rows == NULL || first_patient == NULL) {
        free(rows);
        free(first_patient);
        return -1;
    }
    int n = 0, patient = 1;
    for (int k = 0; k < trace->n_cohorts; k++) {
        const ds_cohort_log_t *log = &trace->cohorts[k].calendar;
        first_patient[k] = patient;
        patient += log->n_patients;
        for (int i = 0; i < log->n_patients; i++) {
            rows[n] = (timed_row_t){log->patients[i].enrolled, ROW_ENROL, k, i, n};
            n++;
            rows[n] = (timed_row_t){log->patients[i].outcome, ROW_OUTCOME, k, i, n};
            n++;
        }
        rows[n] = (timed_row_t){log->decided, ROW_DECISION, k, -1, n};
        n++;
        const ds_traced_cohort_t *c = &trace->cohorts[k];
        if (!same_action(&c->rules_next, &c->next)) {
            rows[n] = (timed_row_t){c->changed_on, ROW_DECISION, k, 1, n}; /* patient 1: changed */
            n++;
        }
    }
    for (int i = 0; i < trace->n_backfilled; i++) {
        rows[n] = (timed_row_t){trace->backfilled[i].enrolled, ROW_ENROL, -1, i, n};
        n++;
        rows[n] = (timed_row_t){trace->backfilled[i].outcome, ROW_OUTCOME, -1, i, n};
        n++;
    }
    for (int d = 0; trace->backfills && d < trace->state.n_levels; d++) {
        if (trace->backfill_closed[d]) {
            rows[n] = (timed_row_t){trace->backfill_closed_on[d], ROW_CLOSE, -1, d, n};
            n++;
        }
    }
    qsort(rows, (size_t)n, sizeof(*rows), compare_timed_rows);
    for (int r = 0; r < n; r++) {
        ds_csv_row_t w = {.file = cli_output(), .at_start = true};
        if (rows[r].cohort < 0) {
            /* backfill: the patients numbered after the escalation's */
            if (rows[r].kind == ROW_CLOSE) {
                row_begin(&w, t, DS_TRACE_CLOSE, rows[r].day, 0, 0, rows[r].patient);
            } else {
                const ds_backfilled_t *p = &trace->backfilled[rows[r].patient];
                row_begin(&w, t,
                          rows[r].kind == ROW_ENROL ? DS_TRACE_BACKFILL : fate_event(p->fate),
                          rows[r].day, 0, patient + rows[r].patient, p->level);
            }
            ds_csv_empty(&w);
            ds_csv_empty(&w);
            row_no_decision(&w);
            ds_csv_end(&w);
            continue;
        }
        const ds_traced_cohort_t *c = &trace->cohorts[rows[r].cohort];
        if (rows[r].kind == ROW_DECISION) {
            /* the rules' decision, then (if it changed it) the backfill's */
            const bool changed = rows[r].patient == 1;
            const ds_standing_t *own = &c->cohort_at_decision, *all = &c->level_at_decision;
            row_begin(&w, t, DS_TRACE_DECISION, rows[r].day, rows[r].cohort + 1, 0, c->level);
            ds_csv_int(&w, own->treated);
            ds_csv_int(&w, own->dlts);
            row_decision(&w, t, all->treated, all->evaluable, all->pending, all->dlts,
                         changed ? &c->next : &c->rules_next);
        } else {
            const ds_patient_log_t *p = &c->calendar.patients[rows[r].patient];
            const char *event = rows[r].kind == ROW_ENROL ? DS_TRACE_ENROL : fate_event(p->fate);
            row_begin(&w, t, event, rows[r].day, rows[r].cohort + 1,
                      first_patient[rows[r].cohort] + rows[r].patient, c->level);
            ds_csv_empty(&w);
            ds_csv_empty(&w);
            row_no_decision(&w);
        }
        ds_csv_end(&w);
    }
    free(rows);
    free(first_patient);
    return 0;
}

static int compare_days(const void *a, const void *b)
{
    const ds_event_t *x = a, *y = b;
    return x->outcome_day < y->outcome_day ? -1 : x->outcome_day > y->outcome_day;
}

/* One at a time: the outcomes of patients still in the window when the trial
 * ended, which its events do not hold (the rules no longer act on them, but
 * the trial's counts include them), in order of day. */
static int trace_csv_after_end(const ds_event_log_t *log, const trace_csv_t *t)
{
    ds_event_t *pending = malloc((size_t)log->n_events * sizeof(*pending));
    bool *known = calloc((size_t)log->n_events + 2, sizeof(*known));
    if (pending == NULL || known == NULL) {
        free(pending);
        free(known);
        return -1;
    }
    /* Patients are numbered 1..(enrolments), so at most n_events of them. */
    for (int k = 0; k < log->n_events; k++) {
        const ds_event_t *e = &log->events[k];
        if (e->kind == DS_EVENT_OUTCOME && e->patient >= 1 && e->patient <= log->n_events) {
            known[e->patient] = true;
        }
    }
    int n = 0;
    for (int k = 0; k < log->n_events; k++) {
        const ds_event_t *e = &log->events[k];
        if (e->kind == DS_EVENT_ENROL && e->patient >= 1 && e->patient <= log->n_events &&
            !known[e->patient]) {
            pending[n++] = *e;
        }
    }
    qsort(pending, (size_t)n, sizeof(*pending), compare_days);
    for (int k = 0; k < n; k++) {
        ds_csv_row_t w = {.file = cli_output(), .at_start = true};
        row_begin(&w, t, fate_event(pending[k].fate), pending[k].outcome_day, 0, pending[k].patient,
                  pending[k].level);
        ds_csv_empty(&w);
        ds_csv_empty(&w);
        row_no_decision(&w);
        ds_csv_end(&w);
    }
    free(pending);
    free(known);
    return 0;
}

/* The trial as CSV rows, in the order things happened: a row per cohort
 * without calendar time; with it, each enrolment, outcome and decision; one
 * at a time (the rolling six), each event with the rules' next move. */
static int trace_csv(const ds_trace_t *trace, const ds_run_key_t *key,
                     const ds_scenario_t *scenario, uint64_t trial)
{
    const trace_csv_t t = {key, scenario, trial, trace->timed};
    ds_report_header(cli_output(), DS_TABLE_TRACE, 0);
    for (int k = 0; k < trace->events.n_events; k++) {
        const ds_event_t *e = &trace->events.events[k];
        ds_csv_row_t w = {.file = cli_output(), .at_start = true};
        row_begin(&w, &t, e->kind == DS_EVENT_ENROL ? DS_TRACE_ENROL : fate_event(e->fate), e->day,
                  0, e->patient, e->level);
        ds_csv_empty(&w);
        ds_csv_empty(&w);
        row_decision(&w, &t, e->treated, e->patients - e->pending, e->pending, e->dlts, &e->next);
        ds_csv_end(&w);
    }
    if (trace->events.n_events > 0 && trace_csv_after_end(&trace->events, &t) != 0) {
        return -1;
    }
    if (trace->timed && trace->n_cohorts > 0) {
        return trace_csv_timed_cohorts(trace, &t);
    }
    for (int k = 0; k < trace->n_cohorts; k++) {
        const ds_traced_cohort_t *c = &trace->cohorts[k];
        ds_csv_row_t w = {.file = cli_output(), .at_start = true};
        row_begin(&w, &t, DS_TRACE_COHORT, 0.0, k + 1, 0, c->level);
        ds_csv_int(&w, c->n);
        ds_csv_int(&w, c->dlt);
        row_decision(&w, &t, c->level_patients, c->level_patients, 0, c->level_dlts, &c->next);
        ds_csv_end(&w);
    }
    return 0;
}

static int run_trace(cli_args_t *args, const cli_cluster_t *cluster)
{
    cli_common_t common = args->common;
    const uint64_t seed = args->seed, trial = args->trial;
    int status = EXIT_BAD_INPUT;
    ds_scenario_file_t file;
    const ds_scenario_t **chosen = NULL;
    int n_chosen = 0;
    ds_engine_t engine;
    ds_trace_t trace;
    ds_diag_t diag;
    (void)cluster;

    memset(&trace, 0, sizeof(trace));
    ds_diag_clear(&diag);
    memset(&engine, 0, sizeof(engine)); /* freed at out whatever happens */
    ds_scenario_file_init(&file);
    status = cli_load_scenarios(&common, false, &file, &chosen, &n_chosen);
    if (status != 0) {
        goto out;
    }
    status = EXIT_RUN_FAILED;
    const ds_scenario_t *scenario = chosen[0];
    if (ds_engine_init(&engine, scenario, &common.design, &common.timing, &diag) != 0) {
        cli_diag_error("trace", &diag);
        goto out;
    }
    int traced = ds_engine_trace(&engine, seed, trial - 1, &trace);
    if (traced != 0) {
        ds_engine_failure(&engine, traced, &diag); /* a calendar too extreme, say: in words */
        cli_diag_error("trace", &diag);
        goto out;
    }
    if (args->format == FORMAT_CSV) {
        ds_run_key_t key;
        cli_run_key(&key, &common, DS_KEY_KIND_TRACE, DS_METHOD_MC, 1, seed, &scenario, 1);
        if (trace_csv(&trace, &key, scenario, trial) != 0) {
            cli_error("trace", "out of memory");
            goto out;
        }
        status = cli_stdout_check("trace");
        goto out;
    }
    fprintf(cli_output(),
            "dosesim trace: trial %" PRIu64 " of seed %" PRIu64 ", scenario '%s' of %s (", trial,
            seed, scenario->name, file.path);
    for (int d = 0; d < scenario->n_levels; d++) {
        fprintf(cli_output(), "%s%s: %g", d > 0 ? ", " : "", scenario->labels[d],
                scenario->p_dlt[d]);
    }
    fprintf(cli_output(), ")\n");
    cli_print_design(cli_output(), &common.design, &common.timing);
    fputc('\n', cli_output());
    if (tell(&trace, &common.design, scenario) != 0) {
        cli_error("trace", "out of memory");
        goto out;
    }
    status = 0;
out:
    ds_trace_free(&trace);
    ds_engine_free(&engine);
    free(chosen);
    ds_scenario_file_free(&file);
    return status;
}

const cli_command_t cli_command_trace = {
    .name = "trace",
    .summary = "one simulated trial told cohort by cohort (and day by day)",
    .options = CLI_OPT(OPT_SCENARIO) | CLI_OPT(OPT_SEED) | CLI_OPT(OPT_TRIAL) |
               CLI_OPT(OPT_FORMAT) | CLI_DESIGN_OPTIONS | CLI_TIMING_OPTIONS |
               CLI_OPT(OPT_BACKFILL_MAX),
    .formats = trace_formats,
    .positional = CLI_SCENARIO_FILE,
    .one_scenario = true,
    .usage = usage,
    .run = run_trace,
};
