/**
 * @file design.h
 * @brief The one design interface: every design family behind it, as a pure
 *        state machine.
 *
 * Monte Carlo, exact enumeration, single-trial traces, dose-path listings,
 * sweeps and calendar time all drive ds_design_start() and ds_design_next():
 * the state of a trial goes in (patients, DLTs and outcomes still pending per
 * level, the current level, the highest level still allowed) and the next
 * action comes out: treat n patients at a level, wait for an outcome, select a
 * level as the recommended phase 2 dose (RP2D), or stop with no RP2D. The
 * caller draws (or enumerates) the outcomes and records them (ds_trial_record
 * for a cohort whose outcomes are known together, ds_trial_enrol and
 * ds_trial_outcome for patients one at a time).
 *
 * A design is a family (ds_family_t: its rules, and what it declares of
 * itself) plus a stage table and the options. The families:
 * - the stage tables (stages.c): each stage gives the cumulative patients at a
 *   dose once it is complete and the cumulative DLT counts that escalate or
 *   mark the dose too toxic (in between: the next stage). The 3+3 is
 *       stage 1: 3 patients, escalate on 0 DLTs, too toxic on >= 2;
 *       stage 2: 6 patients, escalate on <= 1 DLT, too toxic on >= 2;
 *   "3+3+3" (Hansen et al. 2014), "ab:A,B,C,D,E" (Lin & Shih 2001) and a
 *   user's table (ds_design_load_rules) are other tables.
 * - the rolling six (rolling_six.c; Skolnik et al. 2008): up to the table's
 *   full count (six) enrolled one by one at a dose while earlier ones are still
 *   in their DLT window, by its published table; it needs calendar time.
 * What every family shares, the moves after a dose's verdict (too toxic: go
 * down; escalation rule met: up, or at the top expand or accept; a dose
 * returned to rests on the full count), is written once (design.c). The
 * registry of families and the named designs are presets.h.
 *
 * Levels are 0-based inside the library (level 0 is the lowest dose); files
 * and the command line count from 1.
 */
#ifndef DOSESIM_DESIGN_H
#define DOSESIM_DESIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "dosesim/error.h"

/** Most dose levels a scenario may have. */
#define DS_MAX_LEVELS 100
/** Most stages in a design's rule table. */
#define DS_MAX_STAGES 8
/** Most patients one dose may receive under any design. */
#define DS_MAX_PATIENTS_PER_LEVEL 64
/** Room for a design's name (as written to the CSVs), its NUL included. */
#define DS_MAX_DESIGN_NAME 96
/** Largest rule-table file read, in bytes. */
#define DS_MAX_RULES_FILE_BYTES (1L << 20)

/** What happens when the highest dose still allowed meets the escalation rule early. */
typedef enum {
    DS_TOP_EXPAND = 0, /**< treat the next stage there, so the RP2D rests on the full count */
    DS_TOP_ACCEPT = 1  /**< declare it the RP2D as it stands */
} ds_top_dose_t;

/** One stage of a rule table; DLT counts are cumulative at the dose. */
typedef struct {
    int n_cum;   /**< patients at the dose once this stage is complete */
    int esc_max; /**< escalate if DLTs <= esc_max */
    int tox_min; /**< too toxic if DLTs >= tox_min; otherwise go on to the next stage */
} ds_stage_t;

typedef struct ds_family ds_family_t;

/** The interval designs (interval.h): which rule made the decision table. */
typedef enum {
    DS_INTERVAL_NONE = 0, /**< not an interval design */
    DS_INTERVAL_BOIN,     /**< Liu & Yuan 2015 */
    DS_INTERVAL_I3P3,     /**< Liu, Wang & Ji 2020 */
    DS_INTERVAL_MTPI2,    /**< Guo et al. 2017 */
    DS_INTERVAL_KEYBOARD, /**< Yan, Mandrekar & Yuan 2017 */
    DS_INTERVAL_TABLE     /**< a user's decision table (--decision-table) */
} ds_interval_kind_t;

/**
 * @brief An interval design's options and its decision table on the patients n
 *        and DLTs y at the current dose (interval.c builds and reads it).
 *
 * For n = 1..max_n: escalate if y <= esc_max[n] (-1: never), de-escalate if
 * y >= deesc_min[n], eliminate the dose and those above if y >= elim_min[n]
 * (n + 1: never; the conduct eliminates only from n >= 3), and, with
 * --extrasafe, stop the trial at the lowest dose if y >= stop_min[n].
 */
typedef struct {
    ds_interval_kind_t kind;
    int cohort_size; /**< --cohort-size */
    int max_n;       /**< --max-n: the trial's patients, a multiple of the cohort size */
    int n_earlystop; /**< --n-earlystop */
    double target;   /**< --target */
    double p_saf, p_tox; /**< BOIN: --p-saf, --p-tox */
    double lo, hi;       /**< i3+3, mTPI-2, Keyboard: --interval LO,HI */
    double cutoff_eli;   /**< --elimination-cutoff */
    double offset;       /**< --extrasafe's offset (BOIN's 0.05) */
    bool extrasafe;      /**< --extrasafe */
    bool bound_mtd;      /**< --bound-mtd (BOIN) */
    double lambda_e, lambda_d; /**< BOIN's boundaries (0 for the others) */
    int table_n; /**< a user's table: the largest n it gives (0 for the others) */
    signed char esc_max[DS_MAX_PATIENTS_PER_LEVEL + 1];
    signed char deesc_min[DS_MAX_PATIENTS_PER_LEVEL + 1];
    signed char elim_min[DS_MAX_PATIENTS_PER_LEVEL + 1];
    signed char stop_min[DS_MAX_PATIENTS_PER_LEVEL + 1];
} ds_interval_rules_t;

/** A design: its family, the stage table the family reads, and the options. */
typedef struct {
    char name[DS_MAX_DESIGN_NAME]; /**< as written to the CSVs, e.g. "3+3" */
    const ds_family_t *family;     /**< the rules (ds_family_stages, ds_family_rolling_six, ...) */
    int n_stages;                  /**< the rolling six reads the 3+3's table: its counts */
    ds_stage_t stages[DS_MAX_STAGES];
    bool deescalate;        /**< --deescalate yes|no */
    ds_top_dose_t top_dose; /**< --top-dose expand|accept */
    int start_level;        /**< 0-based starting level (--start counts from 1) */
    ds_interval_rules_t interval; /**< the interval designs' (kind DS_INTERVAL_NONE otherwise) */
} ds_design_t;

/** What a trial does next. */
typedef enum {
    DS_ACTION_TREAT = 0, /**< treat n patients at level (one at a time: n = 1) */
    DS_ACTION_SELECT,    /**< level is the RP2D; the trial ends */
    DS_ACTION_STOP,      /**< no RP2D (every dose tried is too toxic); the trial ends */
    DS_ACTION_INVALID,   /**< the state is not one the rules can reach */
    DS_ACTION_WAIT       /**< enrol nobody until an outcome is known (one at a time) */
} ds_action_kind_t;

/** Why the rules chose an action (for traces and path listings). */
typedef enum {
    DS_WHY_START = 0,      /**< first cohort, at the starting level */
    DS_WHY_ESCALATE,       /**< the dose below met the escalation rule */
    DS_WHY_EXPAND,         /**< DLTs between the rule's bounds: next stage at the same dose */
    DS_WHY_TOP_EXPAND,     /**< highest allowed dose met the rule early: expand it */
    DS_WHY_TOP_ACCEPT,     /**< highest allowed dose met the rule early: accept it */
    DS_WHY_TOP_COMPLETE,   /**< highest allowed dose met the rule on its full count */
    DS_WHY_LOWER_FRESH,    /**< dose above too toxic; this lower dose was never given */
    DS_WHY_LOWER_CONFIRM,  /**< dose above too toxic; de-escalate and add patients */
    DS_WHY_LOWER_COMPLETE, /**< dose above too toxic; this lower dose already has its full count */
    DS_WHY_LOWER_AS_IS,    /**< dose above too toxic; no de-escalation: lower dose as it stands */
    DS_WHY_NONE_BELOW,     /**< the lowest dose is too toxic */
    DS_WHY_BAD_STATE,      /**< the state cannot be reached under these rules */
    DS_WHY_SAME,           /**< one at a time: the next patient at the same dose */
    DS_WHY_SUSPEND,        /**< one at a time: the full count enrolled, outcomes pending */
    /* the interval designs (interval.h) */
    DS_WHY_STAY,             /**< the decision table says stay */
    DS_WHY_DEESCALATE,       /**< the decision table says de-escalate */
    DS_WHY_ELIMINATE,        /**< the dose and those above are eliminated: de-escalate */
    DS_WHY_LOWEST_ELIMINATED, /**< the lowest dose is eliminated (or --extrasafe): no MTD */
    DS_WHY_END_SELECT,       /**< the trial's patients are all in (or --n-earlystop): selected */
    DS_WHY_END_NONE          /**< the trial ended and no dose can be selected */
} ds_why_t;

/** The next action: kind, level (0-based; -1 for STOP), patients to treat, reason. */
typedef struct {
    ds_action_kind_t kind;
    int level;
    int n;
    ds_why_t why;
} ds_action_t;

/** An action, as the families build them. */
static inline ds_action_t ds_action_make(ds_action_kind_t kind, int level, int n, ds_why_t why)
{
    return (ds_action_t){.kind = kind, .level = level, .n = n, .why = why};
}

/**
 * @brief The state of one trial. Only the first n_levels entries of the arrays are used.
 *
 * Three counts of patients, per level and in total, which at the end of every
 * trial satisfy treated = patients + nonevaluable exactly:
 * - treated[]: every patient dosed at the level, those not evaluable included;
 * - nonevaluable[]: of them, those who left the DLT window early without a
 *   DLT (so far; at the end, after every patient is followed to the end of
 *   their own window);
 * - patients[]: the count the rules read: patients treated and not known to be
 *   non-evaluable. At the end of a trial they are the evaluable patients
 *   (a DLT, or the window completed); while it runs, pending[] of them have
 *   an outcome still to come (families that enrol one at a time). Families
 *   that treat whole cohorts count each cohort's n places here as it is
 *   decided (ds_trial_record): on calendar time a place may then still hold a
 *   patient in the window, whose outcome could not change the decision; when
 *   the trial ends, the calendar's follow-up (ds_calendar_count_trial) takes
 *   out each place whose last patient left early with nobody after them.
 * Without calendar time nobody leaves early: treated == patients.
 */
typedef struct {
    int n_levels;
    int current;         /**< level of the latest patients */
    int highest_allowed; /**< levels above this were found too toxic */
    int n_total;         /**< sum of patients[]: at the end, the evaluable patients */
    int dlt_total;       /**< DLTs seen so far */
    int n_treated;       /**< sum of treated[]: every patient dosed */
    int n_nonevaluable;  /**< sum of nonevaluable[] */
    int patients[DS_MAX_LEVELS];
    int dlts[DS_MAX_LEVELS];
    int pending[DS_MAX_LEVELS];
    int treated[DS_MAX_LEVELS];      /**< patients dosed at the level, the not evaluable included */
    int nonevaluable[DS_MAX_LEVELS]; /**< of them, those who left the window early without a DLT */
    /** With backfill (backfill.h), [n_levels] the backfilled evaluable patients
     *  whose outcome is known, and their DLTs, outside the counts above until
     *  the trial ends; NULL without backfill (ds_design_start). Families that
     *  pool (ds_family_t.pools_backfill) add them to their own. */
    const int *backfilled_patients;
    const int *backfilled_dlts;
} ds_trial_t;

/** What a dose's counts say under a family's rules. */
typedef enum {
    DS_BAND_ESCALATE = 0, /**< the escalation rule is met */
    DS_BAND_MORE,         /**< more patients at the dose (the next stage, the next patient) */
    DS_BAND_TOO_TOXIC,    /**< the dose is too toxic */
    DS_BAND_UNREACHABLE   /**< counts the rules never produce */
} ds_band_t;

/**
 * @brief The rule a cohort's DLTs meet, in the cohort's own terms.
 *
 * For a cohort of n at a level whose counts before it are (patients, dlts):
 * with x DLTs in the cohort the rules escalate if x <= esc_max, go on to the
 * next stage if esc_max < x < tox_min, and find the dose too toxic if x >= tox_min.
 */
typedef struct {
    int esc_max;
    int tox_min;
    /** The rules read the exact count, not a band (the interval designs):
     *  the cohort is decided only once every outcome is known. */
    bool every_outcome;
} ds_cohort_rule_t;

/**
 * @brief A design family: its rules behind one interface, and what it declares.
 *
 * A new family is one module that defines one of these, plus its line in
 * the registry (presets.c).
 */
struct ds_family {
    const char *name;  /**< as shards record it: "cohorts", "rolling6" */
    const char *title; /**< in messages: "the stage tables", "the rolling six" */
    /** Why it needs calendar time, for messages ("enrols patients while ..."); NULL if it does not.
     */
    const char *calendar_reason;
    /** Whole cohorts, each decided by its DLT count (ds_family_t.cohort_rule):
     *  the exact calculator, path listings, sweeps and the engine's decision
     *  tree can enumerate it. */
    bool enumerable;
    /** Patients one at a time while others are in their window: TREAT has n = 1
     *  and WAIT occurs (enrol.h runs such trials). */
    bool one_at_a_time;
    /** Runs only on calendar time (its decisions depend on when outcomes arrive). */
    bool needs_calendar;
    /** Checks the family makes of a design beyond the stage table (may be NULL). */
    int (*check)(const ds_design_t *design, int n_levels, ds_diag_t *diag);
    /** Patients of the first cohort at a dose never given. */
    int (*first_cohort)(const ds_design_t *design);
    /** What the counts at level say now. */
    ds_band_t (*verdict)(const ds_design_t *design, const ds_trial_t *trial, int level);
    /** More patients at level (the verdict was MORE, or the dose is expanded or
     *  confirmed), with the reason the shared moves give. */
    ds_action_t (*more)(const ds_design_t *design, const ds_trial_t *trial, int level,
                        ds_why_t why);
    /** Enumerable families: the rule the DLTs of a cohort of n at level meet. */
    ds_cohort_rule_t (*cohort_rule)(const ds_design_t *design, const ds_trial_t *before, int level,
                                    int n);
    /** Families with moves of their own (the interval designs), NULL for the
     *  shared moves: the next action after a cohort at trial->current. */
    ds_action_t (*next)(const ds_design_t *design, ds_trial_t *trial);
    /** Patients one trial can treat at most, NULL for the stage table's count at every level. */
    int (*max_patients)(const ds_design_t *design, int n_levels);
    /** ds_exact_oc() computes it (the stage tables by the memo of exact.c, the
     *  interval designs by merging equal states). */
    bool exact;
    /** Backfill (backfill.h), NULL for a family that does not backfill: whether
     *  a dose's pooled counts (the escalation's and the backfilled patients')
     *  show it too toxic, by the family's own bound ... */
    bool (*pooled_too_toxic)(const ds_design_t *design, int patients, int dlts);
    /** ... and its move when a backfilled dose at `level` has closed and the
     *  rules' next action was `next`. */
    ds_action_t (*backfill_closed)(const ds_design_t *design, ds_trial_t *trial, int level,
                                   ds_action_t next);
    /** Its rules read the backfilled outcomes known so far as well
     *  (ds_trial_t.backfilled_patients): at the end, the final decision is
     *  taken again once every backfilled outcome is in. */
    bool pools_backfill;
};

/**
 * @brief Read a user's rule table, CSV with the header DS_RULES_HEADER
 *        (schema.h; columns in any order), a row per stage in order: the
 *        cumulative patients at the dose once the stage is complete, and the
 *        cumulative DLT counts that escalate (at most) or make the dose too
 *        toxic (from); in between, the next stage. The design is named
 *        "rules:<file name>"; options are left as they are.
 * @return 0; DS_ERR_IO; DS_ERR_PARSE with file, line and column in diag; DS_ERR_NOMEM.
 */
int ds_design_load_rules(ds_design_t *self, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/** ds_design_load_rules on text in memory; path is used in messages and the name. */
int ds_design_parse_rules(ds_design_t *self, const char *path, const char *text, size_t len,
                          ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Check stage s (0-based) of a table against the stage before it.
 * @return 0, or DS_ERR_BAD_PARAM with diag's field naming the rule-file column
 *         at fault (a DS_RULES_* name of schema.h).
 */
int ds_design_check_stage(const ds_design_t *self, int s, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Check a design's table and options against a number of levels.
 * @return 0, or DS_ERR_BAD_PARAM with the reason in diag (field names the option).
 */
int ds_design_check(const ds_design_t *self, int n_levels, ds_diag_t *diag) DS_WARN_UNUSED;

/** Patients one trial can treat at most over n_levels levels. */
int ds_design_max_patients(const ds_design_t *self, int n_levels);

/** The count a dose's RP2D rests on: the last stage's patients (6 in the 3+3). */
static inline int ds_design_full_count(const ds_design_t *self)
{
    return self->stages[self->n_stages - 1].n_cum;
}

/** Whether the design backfills (backfill.h): its family says how. */
static inline bool ds_design_backfills(const ds_design_t *self)
{
    return self->family->backfill_closed != NULL;
}

/** A level's patients and DLTs as a pooling family reads them: its own, and
 *  the backfilled ones known so far. */
static inline int ds_trial_pooled_patients(const ds_trial_t *trial, int level)
{
    return trial->patients[level] +
           (trial->backfilled_patients != NULL ? trial->backfilled_patients[level] : 0);
}
static inline int ds_trial_pooled_dlts(const ds_trial_t *trial, int level)
{
    return trial->dlts[level] +
           (trial->backfilled_dlts != NULL ? trial->backfilled_dlts[level] : 0);
}

/** Largest cohort the design ever treats (the largest step between stages). */
int ds_design_max_cohort(const ds_design_t *self);

/** DS_TOP_DOSE_EXPAND_NAME or DS_TOP_DOSE_ACCEPT_NAME (schema.h). */
const char *ds_top_dose_name(ds_top_dose_t top_dose);

/** Whether two designs have the same family and stage table (options and names aside). */
bool ds_design_same_table(const ds_design_t *a, const ds_design_t *b);

/** Record the outcome of a cohort of n patients with dlt DLTs at level (its n
 *  places, each counted as one patient treated and evaluable; on calendar time
 *  ds_calendar_count_trial corrects both at the end of the trial). */
static inline void ds_trial_record(ds_trial_t *trial, int level, int n, int dlt)
{
    trial->patients[level] += n;
    trial->dlts[level] += dlt;
    trial->n_total += n;
    trial->dlt_total += dlt;
    trial->treated[level] += n;
    trial->n_treated += n;
}

/** A patient treated at level, their outcome pending. */
static inline void ds_trial_enrol(ds_trial_t *trial, int level)
{
    trial->patients[level]++;
    trial->n_total++;
    trial->pending[level]++;
    trial->treated[level]++;
    trial->n_treated++;
}

/** A pending patient's outcome: a DLT, the window completed, or left early (not
 *  evaluable: no longer in the rules' count, still treated). */
static inline void ds_trial_outcome(ds_trial_t *trial, int level, bool dlt, bool evaluable)
{
    trial->pending[level]--;
    if (dlt) {
        trial->dlts[level]++;
        trial->dlt_total++;
    } else if (!evaluable) {
        trial->patients[level]--;
        trial->n_total--;
        trial->nonevaluable[level]++;
        trial->n_nonevaluable++;
    }
}

/**
 * @brief Begin a trial over n_levels levels (1..DS_MAX_LEVELS): its first action,
 *        the first patients at the starting level.
 */
ds_action_t ds_design_start(const ds_design_t *self, ds_trial_t *trial, int n_levels);

/**
 * @brief The rules: the next action for a trial in this state.
 *
 * Moves trial->current and trial->highest_allowed as the rules direct; the
 * caller then records the outcomes of the patients a DS_ACTION_TREAT treats.
 */
ds_action_t ds_design_next(const ds_design_t *self, ds_trial_t *trial);

/** The rule for a cohort of n at level, in a trial whose state before it is
 *  `before` (enumerable families only). */
static inline ds_cohort_rule_t ds_design_cohort_rule(const ds_design_t *self,
                                                     const ds_trial_t *before, int level, int n)
{
    return self->family->cohort_rule(self, before, level, n);
}

/** Which way a cohort's x DLTs send the rules. */
static inline ds_band_t ds_cohort_rule_band(ds_cohort_rule_t rule, int x)
{
    return x >= rule.tox_min  ? DS_BAND_TOO_TOXIC
           : x > rule.esc_max ? DS_BAND_MORE
                              : DS_BAND_ESCALATE;
}

/**
 * @brief Whether the rules' choice after a cohort is settled part-way through it:
 *        with `seen` DLTs so far and `pending` patients who may still have one,
 *        can the outcome still change what the rules do? (For the 3+3: a second
 *        DLT at a dose settles it, whatever the others show.) The band can only
 *        rise with more DLTs, and the rules act on the band alone.
 */
static inline bool ds_cohort_rule_settled(ds_cohort_rule_t rule, int seen, int pending)
{
    if (rule.every_outcome) {
        return pending == 0;
    }
    return ds_cohort_rule_band(rule, seen) == ds_cohort_rule_band(rule, seen + pending);
}

/**
 * @brief The lowest level whose counts the rules may still read in this state.
 *
 * What happened below it can no longer change any decision; the exact
 * calculator uses this to treat states that differ only there as one.
 */
int ds_design_lowest_readable(const ds_design_t *self, const ds_trial_t *trial);

/* ---- for the families' modules: the moves every family shares (design.c) ---- */

/**
 * The moves after the verdict on the current dose:
 * - too toxic: that dose and all above are closed; the next lower one is
 *   considered (ds_moves_down);
 * - escalation rule met below the highest dose allowed: a fresh cohort at the
 *   next dose;
 * - escalation rule met at the highest dose allowed: the RP2D on the full
 *   count; early, accepted as it stands (--top-dose accept) unless the trial
 *   returned to it, else expanded;
 * - more: the family's next patients there.
 */
ds_action_t ds_moves_after(const ds_design_t *design, ds_trial_t *trial, ds_band_t verdict);

/** The dose above `level` was found too toxic: close it and every dose above,
 *  and say what becomes of `level` (and, if it too is too toxic now, below). */
ds_action_t ds_moves_down(const ds_design_t *design, ds_trial_t *trial, int level);

/**
 * @brief The shared moves' answer to a backfilled dose closed at level
 *        (backfill.h): the dose is found too toxic; if the next action was
 *        to treat or select it or one above, the moves down from it
 *        (ds_moves_down), else the escalation never goes up to it.
 */
ds_action_t ds_moves_backfill_closed(const ds_design_t *design, ds_trial_t *trial, int level,
                                     ds_action_t next);

/**
 * @brief The stage tables' bound for pooled counts (backfill.h): the DLT rate
 *        that marks a dose too toxic on the full count or above (the last
 *        stage's too_toxic_from over its patients: 2 of 6, one in three, in
 *        the 3+3).
 */
bool ds_stages_pooled_too_toxic(const ds_design_t *design, int patients, int dlts);

/** Whether, when the dose above `level` is found too toxic, the rules take
 *  `level` as the RP2D at once: without de-escalation any dose given, with it a
 *  dose that passes on its full count. */
bool ds_moves_taken_at_once(const ds_design_t *design, const ds_trial_t *trial, int level);

/** Whether the trial came back to `level` after a dose above it was too toxic,
 *  so that under de-escalation it must rest on the full count. */
bool ds_moves_returned_to(const ds_design_t *design, const ds_trial_t *trial, int level);

#endif
