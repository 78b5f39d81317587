/* The command line: one table of every option, one parser for every command.
 * A command's spec says which options it takes and what else it needs; the
 * parser checks every value and touches no file, so that bad input is refused
 * before anything is read or written (and so that it can be fuzzed alone). */
#include "cmd.h"
#include "gnuplot.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct option all_options[] = {
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"trials", required_argument, NULL, OPT_TRIALS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"out", required_argument, NULL, OPT_OUT},
    {"trials-csv", required_argument, NULL, OPT_TRIALS_CSV},
    {"deescalate", required_argument, NULL, OPT_DEESCALATE},
    {"top-dose", required_argument, NULL, OPT_TOP_DOSE},
    {"start", required_argument, NULL, OPT_START},
    {"overdose-limit", required_argument, NULL, OPT_OVERDOSE_LIMIT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"accrual", required_argument, NULL, OPT_ACCRUAL},
    {"dlt-onset", required_argument, NULL, OPT_DLT_ONSET},
    {"dropout", required_argument, NULL, OPT_DROPOUT},
    {"trial", required_argument, NULL, OPT_TRIAL},
    {"vary", required_argument, NULL, OPT_VARY},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"step", required_argument, NULL, OPT_STEP},
    {"design", required_argument, NULL, OPT_DESIGN},
    {"rules", required_argument, NULL, OPT_RULES},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"max-paths", required_argument, NULL, OPT_MAX_PATHS},
    {"replace", no_argument, NULL, OPT_REPLACE},
    {"target", required_argument, NULL, OPT_TARGET},
    {"target-interval", required_argument, NULL, OPT_TARGET_INTERVAL},
    {"decision-table", required_argument, NULL, OPT_DECISION_TABLE},
    {"max-n", required_argument, NULL, OPT_MAX_N},
    {"cohort-size", required_argument, NULL, OPT_COHORT_SIZE},
    {"n-earlystop", required_argument, NULL, OPT_N_EARLYSTOP},
    {"p-saf", required_argument, NULL, OPT_P_SAF},
    {"p-tox", required_argument, NULL, OPT_P_TOX},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"elimination-cutoff", required_argument, NULL, OPT_ELIMINATION_CUTOFF},
    {"extrasafe", no_argument, NULL, OPT_EXTRASAFE},
    {"bound-mtd", no_argument, NULL, OPT_BOUND_MTD},
    {"optimise", required_argument, NULL, OPT_OPTIMISE},
    {"delta", required_argument, NULL, OPT_DELTA},
    {"response-days", required_argument, NULL, OPT_RESPONSE_DAYS},
    {"backfill-max", required_argument, NULL, OPT_BACKFILL_MAX},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

bool cli_parse_u64(const char *command, const char *option, const char *text, uint64_t *out)
{
    if (*text == '\0') {
        cli_error(command, "%s: the value is empty", option);
        return false;
    }
    if (text[0] == '-' && text[1] != '\0' && strspn(text + 1, "0123456789") == strlen(text + 1)) {
        cli_error(command, "%s: '%s' is negative; it is a whole number from 0 to %" PRIu64, option,
                  text, UINT64_MAX);
        return false;
    }
    if (strspn(text, "0123456789") != strlen(text)) {
        cli_error(command, "%s: '%s' is not a whole number", option, text);
        return false;
    }
    if (!ds_parse_u64(text, out)) {
        cli_error(command, "%s: '%s' is larger than %" PRIu64, option, text, UINT64_MAX);
        return false;
    }
    return true;
}

/* A seed: a whole number from 0 to DS_MAX_SEED (2^53 - 1), every refusal
 * saying so. Every file records the seed; R and pandas hold whole numbers
 * exactly only up to 2^53. */
static bool parse_seed(const char *command, const char *text, uint64_t *out)
{
    const unsigned long long max = DS_MAX_SEED;
    uint64_t seed = 0;
    if (text[0] == '-' && text[1] != '\0' && strspn(text + 1, "0123456789") == strlen(text + 1)) {
        cli_error(command,
                  "--seed: '%s' is negative; it is a whole number from 0 to %llu (2^53 - 1)", text,
                  max);
        return false;
    }
    if (text[0] != '\0' && strspn(text, "0123456789") == strlen(text) &&
        (!ds_parse_u64(text, &seed) || seed > DS_MAX_SEED)) {
        cli_error(command,
                  "--seed: %s is above %llu (2^53 - 1), the largest seed R and pandas read back "
                  "exactly",
                  text, max);
        return false;
    }
    return cli_parse_u64(command, "--seed", text, out); /* empty, or not a whole number */
}

bool cli_parse_count(const char *command, const char *option, const char *text, uint64_t min,
                     uint64_t max, uint64_t *out)
{
    uint64_t value = 0;
    const char *e = strpbrk(text, "eE");
    if (e != NULL) {
        /* 1e6 and 2.5e5 are how people write trial counts. */
        char *end = NULL;
        errno = 0;
        double x = strtod(text, &end);
        if (end == text || *end != '\0' || !isfinite(x) || x != floor(x) || x < 0.0) {
            cli_error(command, "%s: '%s' is not a whole number", option, text);
            return false;
        }
        if (x > (double)max) {
            cli_error(command, "%s: %s is more than the limit of %" PRIu64, option, text, max);
            return false;
        }
        value = (uint64_t)x;
    } else {
        if (text[0] == '-') {
            cli_error(command, "%s: '%s' is negative; it must be at least %" PRIu64, option, text,
                      min);
            return false;
        }
        if (strspn(text, "0123456789") == strlen(text) && text[0] != '\0' &&
            !ds_parse_u64(text, &value)) {
            cli_error(command, "%s: %s is outside %" PRIu64 "..%" PRIu64, option, text, min, max);
            return false;
        }
        if (!cli_parse_u64(command, option, text, &value)) {
            return false;
        }
    }
    if (value < min || value > max) {
        cli_error(command, "%s: %s is outside %" PRIu64 "..%" PRIu64, option, text, min, max);
        return false;
    }
    *out = value;
    return true;
}

static bool parse_choice(const char *command, const char *option, const char *text,
                         const char *yes_word, const char *no_word, bool *out)
{
    if (strcmp(text, yes_word) == 0) {
        *out = true;
    } else if (strcmp(text, no_word) == 0) {
        *out = false;
    } else {
        cli_error(command, "%s: '%s' is not one of %s, %s", option, text, yes_word, no_word);
        return false;
    }
    return true;
}

/* A number option: the whole text a finite number in [lo, hi]. */
static bool parse_number(const char *command, const char *option, const char *text, double lo,
                         double hi, const char *unit, double *out)
{
    if (!ds_parse_double(text, out)) {
        cli_error(command, "%s: '%s' is not a number", option, text);
        return false;
    }
    if (!(*out >= lo && *out <= hi)) {
        cli_error(command, "%s: %s is outside %g..%g%s", option, text, lo, hi, unit);
        return false;
    }
    return true;
}

static bool parse_onset(const char *command, const char *text, ds_timing_t *timing)
{
    if (strcmp(text, DS_ONSET_UNIFORM_NAME) == 0) {
        timing->onset = DS_ONSET_UNIFORM;
        return true;
    }
    if (strncmp(text, DS_ONSET_WEIBULL_NAME ":", sizeof(DS_ONSET_WEIBULL_NAME)) == 0) {
        timing->onset = DS_ONSET_WEIBULL;
        return parse_number(command, "--dlt-onset weibull:SHAPE", text + 8, DS_MIN_WEIBULL_SHAPE,
                            DS_MAX_WEIBULL_SHAPE, "", &timing->weibull_shape);
    }
    cli_error(command, "--dlt-onset: '%s' is not uniform or weibull:SHAPE (e.g. weibull:0.5)",
              text);
    return false;
}

static bool parse_shard(const char *command, const char *text, uint32_t *index, uint32_t *count)
{
    char index_text[32], count_text[32];
    uint64_t i = 0, n = 0;
    const char *slash = strchr(text, '/');
    if (slash == NULL || (size_t)(slash - text) >= sizeof(index_text) ||
        strlen(slash + 1) >= sizeof(count_text)) {
        cli_error(command, "--shard: '%s' is not of the form I/N, e.g. 3/10", text);
        return false;
    }
    snprintf(index_text, sizeof(index_text), "%.*s", (int)(slash - text), text);
    snprintf(count_text, sizeof(count_text), "%s", slash + 1);
    if (!ds_parse_u64(index_text, &i) || !ds_parse_u64(count_text, &n)) {
        cli_error(command, "--shard: '%s' is not of the form I/N, e.g. 3/10", text);
        return false;
    }
    if (n < 1 || n > DS_MAX_SHARDS || i < 1 || i > n) {
        cli_error(command, "--shard: %s: need 1 <= I <= N <= %u", text, DS_MAX_SHARDS);
        return false;
    }
    *index = (uint32_t)i;
    *count = (uint32_t)n;
    return true;
}

/* LO,HI (--target-interval, --interval): two numbers in [0, 1], each refused
 * in its option's words; example shows the form. */
static bool parse_pair(const char *command, const char *option, const char *example,
                       const char *text, double *lo, double *hi)
{
    char lo_text[64], hi_text[64], lo_name[64], hi_name[64];
    const char *comma = strchr(text, ',');
    if (comma == NULL || (size_t)(comma - text) >= sizeof(lo_text) ||
        strlen(comma + 1) >= sizeof(hi_text)) {
        cli_error(command, "%s: '%s' is not of the form LO,HI (e.g. %s)", option, text, example);
        return false;
    }
    snprintf(lo_text, sizeof(lo_text), "%.*s", (int)(comma - text), text);
    snprintf(hi_text, sizeof(hi_text), "%s", comma + 1);
    snprintf(lo_name, sizeof(lo_name), "%s LO", option);
    snprintf(hi_name, sizeof(hi_name), "%s HI", option);
    return parse_number(command, lo_name, lo_text, 0.0, 1.0, "", lo) &&
           parse_number(command, hi_name, hi_text, 0.0, 1.0, "", hi);
}

/* A file or folder name given to an option: not empty; false after saying so. */
static bool name_given(const char *cmd, const char *option, const char *what, const char *arg)
{
    if (arg[0] == '\0') {
        cli_error(cmd, "%s: the %s name is empty", option, what);
        return false;
    }
    return true;
}

/* An interval design's option: its value kept until the design is known. */
static bool take_interval_option(const char *cmd, int opt, const char *arg, cli_common_t *c)
{
    static const char *const names[] = {
        "--decision-table", "--max-n", "--cohort-size", "--n-earlystop", "--p-saf", "--p-tox",
        "--interval", "--elimination-cutoff", "--extrasafe", "--bound-mtd"};
    ds_interval_rules_t *r = &c->interval_given;
    uint64_t value = 0;
    c->interval_given_mask |= UINT32_C(1) << (opt - OPT_DECISION_TABLE);
    c->interval_option_given = names[opt - OPT_DECISION_TABLE];
    switch (opt) {
    case OPT_DECISION_TABLE:
        c->decision_table_path = arg;
        return name_given(cmd, "--decision-table", "file", arg);
    case OPT_MAX_N:
    case OPT_COHORT_SIZE:
    case OPT_N_EARLYSTOP:
        if (!cli_parse_count(cmd, names[opt - OPT_DECISION_TABLE], arg, 1,
                             opt == OPT_N_EARLYSTOP ? 1000 : DS_MAX_PATIENTS_PER_LEVEL, &value)) {
            return false;
        }
        *(opt == OPT_MAX_N ? &r->max_n : opt == OPT_COHORT_SIZE ? &r->cohort_size
                                                                : &r->n_earlystop) = (int)value;
        return true;
    case OPT_P_SAF:
        return parse_number(cmd, "--p-saf", arg, 0.0, 1.0, "", &r->p_saf);
    case OPT_P_TOX:
        return parse_number(cmd, "--p-tox", arg, 0.0, 1.0, "", &r->p_tox);
    case OPT_INTERVAL:
        /* the equivalence interval of i3+3, mTPI-2 and Keyboard */
        return parse_pair(cmd, "--interval", "0.25,0.35", arg, &r->lo, &r->hi);
    case OPT_ELIMINATION_CUTOFF:
        return parse_number(cmd, "--elimination-cutoff", arg, 0.0, 1.0, "", &r->cutoff_eli);
    case OPT_EXTRASAFE:
        r->extrasafe = true;
        return true;
    default: /* OPT_BOUND_MTD */
        r->bound_mtd = true;
        return true;
    }
}

/* Whether the interval option opt was given. */
static bool interval_given(const cli_common_t *c, int opt)
{
    return (c->interval_given_mask & (UINT32_C(1) << (opt - OPT_DECISION_TABLE))) != 0;
}

/* After every option: an interval design set at the target, with the options
 * given; a user's table is read later (cli_load_scenarios) and built then. */
static bool settle_interval_design(const char *cmd, cli_common_t *c)
{
    ds_design_t *d = &c->design;
    const bool table = c->decision_table_path != NULL;
    if (table && (c->design_given != NULL || c->rules_path != NULL)) {
        cli_error(cmd, "--decision-table and %s both name the rules; give one",
                  c->design_given != NULL ? "--design" : "--rules");
        return false;
    }
    if (!table && !ds_design_is_interval(d)) {
        if (c->interval_option_given != NULL) {
            cli_error(cmd,
                      "%s is an option of the interval designs (--design boin, i3+3, mtpi2, "
                      "keyboard, or --decision-table); %s has none",
                      c->interval_option_given, d->name);
            return false;
        }
        return true;
    }
    if (d->deescalate != true || d->top_dose != DS_TOP_EXPAND) {
        cli_error(cmd, "--deescalate and --top-dose are rules of the 3+3 family; the interval "
                       "designs move by their decision table");
        return false;
    }
    const ds_interval_kind_t kind = table ? DS_INTERVAL_TABLE : d->interval.kind;
    const ds_interval_rules_t *g = &c->interval_given;
    ds_interval_set(d, kind, c->target.target);
    ds_interval_rules_t *r = &d->interval;
    static const struct {
        int opt;
        ds_interval_kind_t only; /* the one design that reads it */
        const char *name;
    } fits[] = {{OPT_P_SAF, DS_INTERVAL_BOIN, "--p-saf"},
                {OPT_P_TOX, DS_INTERVAL_BOIN, "--p-tox"},
                {OPT_BOUND_MTD, DS_INTERVAL_BOIN, "--bound-mtd"}};
    for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++) {
        if (interval_given(c, fits[i].opt) && kind != fits[i].only) {
            cli_error(cmd, "%s is an option of boin only", fits[i].name);
            return false;
        }
    }
    if (interval_given(c, OPT_INTERVAL) &&
        !(kind == DS_INTERVAL_I3P3 || kind == DS_INTERVAL_MTPI2 || kind == DS_INTERVAL_KEYBOARD)) {
        cli_error(cmd, "--interval is an option of i3+3, mtpi2 and keyboard only");
        return false;
    }
    if (table && (interval_given(c, OPT_ELIMINATION_CUTOFF) || interval_given(c, OPT_EXTRASAFE))) {
        cli_error(cmd, "--elimination-cutoff and --extrasafe read a posterior; a decision table "
                       "of your own says where it eliminates (DU)");
        return false;
    }
    if (interval_given(c, OPT_MAX_N)) {
        r->max_n = g->max_n;
    } else if (table) {
        r->max_n = 0; /* the table's largest n */
    }
    if (interval_given(c, OPT_COHORT_SIZE)) {
        r->cohort_size = g->cohort_size;
    }
    if (interval_given(c, OPT_N_EARLYSTOP)) {
        r->n_earlystop = g->n_earlystop;
    }
    if (interval_given(c, OPT_P_SAF)) {
        r->p_saf = g->p_saf;
    }
    if (interval_given(c, OPT_P_TOX)) {
        r->p_tox = g->p_tox;
    }
    if (interval_given(c, OPT_INTERVAL)) {
        r->lo = g->lo;
        r->hi = g->hi;
    }
    if (interval_given(c, OPT_ELIMINATION_CUTOFF)) {
        r->cutoff_eli = g->cutoff_eli;
    }
    r->extrasafe = g->extrasafe;
    r->bound_mtd = g->bound_mtd;
    if (table) {
        return true;
    }
    ds_diag_t why;
    if (ds_interval_build(d, &why) != 0) {
        cli_error(cmd, "%s: %s", why.field, why.message);
        return false;
    }
    return true;
}

/* After every option: the target and its interval (given, or 0.6T,1.4T) agree. */
static bool check_target(const char *command, cli_common_t *c)
{
    ds_diag_t why;
    if (!c->target_interval_given) {
        ds_target_set(&c->target, c->target.target);
    }
    if (ds_target_check(&c->target, &why) == 0) {
        return true;
    }
    if (!c->target_interval_given && strcmp(why.field, "--target-interval") == 0) {
        cli_error(command,
                  "--target %g: its default interval %g*T,%g*T is %g,%g, which reaches 1; give "
                  "--target-interval LO,HI",
                  c->target.target, DS_TARGET_LO_FACTOR, DS_TARGET_HI_FACTOR, c->target.lo,
                  c->target.hi);
    } else {
        cli_error(command, "%s: %s", why.field, why.message);
    }
    return false;
}

/* One option's value into args; false after printing why it is bad. */
static bool take_option(const cli_command_t *command, int opt, const char *arg, cli_args_t *args)
{
    cli_common_t *c = &args->common;
    const char *cmd = command->name;
    ds_timing_t *t = &c->timing;
    bool flag = false;
    uint64_t value = 0;
    switch (opt) {
    case OPT_SCENARIO: {
        const char **grown =
            realloc(c->scenario_names, (size_t)(c->n_scenario_names + 1) * sizeof(*grown));
        if (grown == NULL) {
            cli_error(cmd, "out of memory");
            return false;
        }
        c->scenario_names = grown;
        c->scenario_names[c->n_scenario_names++] = arg;
        return true;
    }
    case OPT_TRIALS:
        args->monte_carlo_option_given = "--trials";
        return cli_parse_count(cmd, "--trials", arg, 1, DS_MAX_TRIALS, &args->trials);
    case OPT_SEED:
        args->monte_carlo_option_given = "--seed";
        return parse_seed(cmd, arg, &args->seed);
    case OPT_THREADS:
        return cli_parse_count(cmd, "--threads", arg, 1, DS_MAX_THREADS, &args->threads);
    case OPT_TRIAL:
        return cli_parse_count(cmd, "--trial", arg, 1, DS_MAX_TRIALS, &args->trial);
    case OPT_SHARD:
        args->sharded = true;
        return parse_shard(cmd, arg, &args->shard_index, &args->shard_count);
    case OPT_TRIALS_CSV:
        args->trials_csv = arg;
        return name_given(cmd, "--trials-csv", "file", arg);
    case OPT_QUIET:
        args->quiet = true;
        return true;
    case OPT_REPLACE:
        c->replace = true;
        return true;
    case OPT_OUT:
        *(command->out_is_file ? &args->out_file : &c->out_dir) = arg;
        return name_given(cmd, "--out", command->out_is_file ? "file" : "folder", arg);
    case OPT_DESIGN: {
        ds_diag_t why;
        if (ds_design_preset(&c->design, arg, &why) != 0) {
            cli_error(cmd, "--design: %s", why.message);
            return false;
        }
        c->design_given = arg;
        return true;
    }
    case OPT_RULES:
        c->rules_path = arg;
        return name_given(cmd, "--rules", "file", arg);
    case OPT_DEESCALATE:
        if (!parse_choice(cmd, "--deescalate", arg, DS_YES, DS_NO, &flag)) {
            return false;
        }
        c->design.deescalate = flag;
        return true;
    case OPT_TOP_DOSE:
        if (!parse_choice(cmd, "--top-dose", arg, DS_TOP_DOSE_ACCEPT_NAME, DS_TOP_DOSE_EXPAND_NAME,
                          &flag)) {
            return false;
        }
        c->design.top_dose = flag ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
        return true;
    case OPT_START:
        if (!cli_parse_count(cmd, "--start", arg, 1, DS_MAX_LEVELS, &value)) {
            return false;
        }
        c->design.start_level = (int)value - 1;
        return true;
    case OPT_OVERDOSE_LIMIT:
        /* Retired in the result contract 2: an overdose is a dose above the
         * target interval, whose upper end --target-interval sets. */
        (void)arg;
        cli_error(cmd,
                  "--overdose-limit is gone: a dose with p_dlt above the target interval is an "
                  "overdose; give its upper end with --target-interval LO,HI (and --target T)");
        return false;
    case OPT_OPTIMISE: {
        uint64_t n = 0;
        c->optimise_option_given = "--optimise";
        if (!cli_parse_u64(cmd, "--optimise", arg, &n)) {
            return false;
        }
        if (n > DS_MAX_ARM_PATIENTS) {
            cli_error(cmd, "--optimise: %s patients per arm is above the limit of %d", arg,
                      DS_MAX_ARM_PATIENTS);
            return false;
        }
        c->optimise.n_per_arm = (int)n;
        return true;
    }
    case OPT_DELTA:
        c->optimise_option_given = "--delta";
        return parse_number(cmd, "--delta", arg, 0.0, 1.0, "", &c->optimise.delta);
    case OPT_RESPONSE_DAYS:
        c->optimise_option_given = "--response-days";
        if (!parse_number(cmd, "--response-days", arg, 0.0, DS_MAX_RESPONSE_DAYS, " days",
                          &c->optimise.response_days)) {
            return false;
        }
        if (!(c->optimise.response_days > 0.0)) {
            cli_error(cmd, "--response-days: response is assessed after day 0, not on it");
            return false;
        }
        return true;
    case OPT_BACKFILL_MAX: {
        uint64_t n = 0;
        c->timing_option_given = "--backfill-max";
        if (!cli_parse_u64(cmd, "--backfill-max", arg, &n)) {
            return false;
        }
        if (n > DS_MAX_BACKFILL) {
            cli_error(cmd, "--backfill-max: %s patients per dose is above the limit of %d", arg,
                      DS_MAX_BACKFILL);
            return false;
        }
        t->backfill_max = (int)n;
        return true;
    }
    case OPT_ACCRUAL:
        t->on = true;
        return parse_number(cmd, "--accrual", arg, DS_MIN_ACCRUAL, DS_MAX_ACCRUAL,
                            " patients per 30 days", &t->accrual_per_30);
    case OPT_WINDOW:
        c->timing_option_given = "--window";
        return parse_number(cmd, "--window", arg, DS_MIN_WINDOW_DAYS, DS_MAX_WINDOW_DAYS, " days",
                            &t->window_days);
    case OPT_DLT_ONSET:
        c->timing_option_given = "--dlt-onset";
        return parse_onset(cmd, arg, t);
    case OPT_DROPOUT:
        c->timing_option_given = "--dropout";
        return parse_number(cmd, "--dropout", arg, 0.0, DS_MAX_DROPOUT, "", &t->dropout);
    case OPT_VARY:
        args->vary = arg;
        return true;
    case OPT_FORMAT: {
        /* The command's words, or the figures' formats (gnuplot.h). */
        const char *const *words =
            command->formats != NULL ? command->formats : cli_gp_format_names;
        int n_words = 0;
        while (command->formats != NULL ? words[n_words] != NULL : n_words < CLI_GP_N_FORMATS) {
            n_words++;
        }
        char list[128] = "";
        for (int f = 0; f < n_words; f++) {
            if (strcmp(arg, words[f]) == 0) {
                args->format = f;
                args->format_given = true;
                return true;
            }
            size_t at = strlen(list);
            snprintf(list + at, sizeof(list) - at, "%s%s",
                     f == 0            ? ""
                     : f + 1 < n_words ? ", "
                                       : " or ",
                     words[f]);
        }
        cli_error(cmd, "--format: '%s' is not %s", arg, list);
        return false;
    }
    case OPT_MAX_PATHS:
        return cli_parse_count(cmd, "--max-paths", arg, 1, DS_MAX_TRIALS, &args->max_paths);
    case OPT_TARGET:
        c->target_given = true;
        return parse_number(cmd, "--target", arg, 0.0, 1.0, "", &c->target.target);
    case OPT_TARGET_INTERVAL:
        c->target_interval_given = true;
        return parse_pair(cmd, "--target-interval", "0.15,0.35", arg, &c->target.lo,
                          &c->target.hi);
    case OPT_DECISION_TABLE:
    case OPT_MAX_N:
    case OPT_COHORT_SIZE:
    case OPT_N_EARLYSTOP:
    case OPT_P_SAF:
    case OPT_P_TOX:
    case OPT_INTERVAL:
    case OPT_ELIMINATION_CUTOFF:
    case OPT_EXTRASAFE:
    case OPT_BOUND_MTD:
        return take_interval_option(cmd, opt, arg, c);
    case OPT_FROM:
    case OPT_TO:
    case OPT_STEP: {
        const char *name = opt == OPT_FROM ? "--from" : opt == OPT_TO ? "--to" : "--step";
        double *out = opt == OPT_FROM ? &args->from : opt == OPT_TO ? &args->to : &args->step;
        return parse_number(cmd, name, arg, -1e300, 1e300, "", out);
    }
    default:
        cli_error(cmd, "internal: option %d has no handler", opt);
        return false;
    }
}

static void args_init(cli_args_t *args, const cli_command_t *command)
{
    memset(args, 0, sizeof(*args));
    args->common.command = command->name;
    args->common.default_subdir = command->default_subdir;
    ds_design_set_3plus3(&args->common.design);
    ds_target_set_defaults(&args->common.target);
    ds_timing_set_defaults(&args->common.timing);
    ds_optimise_set_defaults(&args->common.optimise);
    args->trials = DS_DEFAULT_TRIALS;
    args->seed = DS_DEFAULT_SEED;
    args->threads = (uint64_t)cli_available_cpus();
    args->trial = 1;
    args->shard_index = args->shard_count = 1;
    args->from = args->to = args->step = NAN;
    args->format = CLI_GP_PNG;
    args->max_paths = DS_DEFAULT_MAX_PATHS;
}

void cli_args_free(cli_args_t *args)
{
    free(args->common.scenario_names);
    args->common.scenario_names = NULL;
}

/* The option getopt_long could not take, in words, with the nearest option of
 * the command when it looks like a slip. */
static void bad_option(const cli_command_t *command, int opt, char *const argv[])
{
    const char *text = argv[optind - 1];
    if (opt == ':') {
        cli_error(command->name, "option '%s' needs a value (see dosesim %s --help)", text,
                  command->name);
        return;
    }
    if (optopt != 0 && opt == '?') {
        /* A short option, or a cluster of them: often a file whose name begins with '-'. */
        cli_error(command->name,
                  "unknown option '-%c' in '%s' (a file whose name begins with '-' is given as "
                  "./NAME, or after --; see dosesim %s --help)",
                  optopt, argv[optind > 0 && argv[optind - 1][0] == '-' ? optind - 1 : optind],
                  command->name);
        return;
    }
    const char *names[64];
    int n = 0;
    for (int i = 0; all_options[i].name != NULL && n < 64; i++) {
        if (all_options[i].val == OPT_HELP ||
            (command->options & CLI_OPT(all_options[i].val)) != 0) {
            names[n++] = all_options[i].name;
        }
    }
    char word[64];
    snprintf(word, sizeof(word), "%.*s", (int)strcspn(text + strspn(text, "-"), "="),
             text + strspn(text, "-"));
    const char *near = cli_suggest(word, names, n);
    if (near != NULL) {
        cli_error(command->name, "unknown option '%s'; did you mean --%s? (see dosesim %s --help)",
                  text, near, command->name);
    } else {
        cli_error(command->name,
                  "unknown option '%s' (a file whose name begins with '-' is given as ./NAME, "
                  "or after --; see dosesim %s --help)",
                  text, command->name);
    }
}

static bool check_positional(const cli_command_t *command, cli_args_t *args)
{
    const char *cmd = command->name;
    int n = args->n_positional;
    switch (command->positional) {
    case CLI_SCENARIO_FILE:
        if (n != 1) {
            cli_error(cmd,
                      n == 0 ? "needs a scenario file (see dosesim %s --help)"
                             : "takes one scenario file; '%s' is one too many",
                      n == 0 ? cmd : args->positional[n - 1]);
            return false;
        }
        args->common.scenario_path = args->positional[0];
        return true;
    case CLI_FOLDER:
        if (n != 1) {
            cli_error(cmd,
                      n == 0 ? "needs a results folder (see dosesim %s --help)"
                             : "takes one results folder; '%s' is one too many",
                      n == 0 ? cmd : args->positional[n - 1]);
            return false;
        }
        return true;
    case CLI_NOTHING:
        if (n > 0) {
            cli_error(cmd, "takes no file or folder; '%s' is one too many", args->positional[0]);
            return false;
        }
        return true;
    case CLI_SOME_FOLDERS:
        if (n == 0) {
            cli_error(cmd, "needs one or more results folders (see dosesim %s --help)", cmd);
            return false;
        }
        return true;
    case CLI_FOLDERS:
        if (n < 2) {
            cli_error(cmd, "needs two or more results folders (see dosesim %s --help)", cmd);
            return false;
        }
        return true;
    default:
        if (n == 0) {
            cli_error(cmd, "needs shard files or folders (see dosesim %s --help)", cmd);
            return false;
        }
        return true;
    }
}

int cli_parse(const cli_command_t *command, int argc, char *argv[], cli_args_t *args)
{
    args_init(args, command);
    opterr = 0;
    optind = 0; /* glibc: start afresh (a fuzzer calls this many times in one process) */
    int opt, index = -1;
    /* GNU getopt_long moves the positional arguments after the options, in order. */
    while ((opt = getopt_long(argc, argv, ":h", all_options, &index)) != -1) {
        if (opt == OPT_HELP) {
            command->usage(cli_output());
            return CLI_HELP_SHOWN;
        }
        if (opt == '?' || opt == ':') {
            bad_option(command, opt, argv);
            return EXIT_BAD_INPUT;
        }
        if ((command->options & CLI_OPT(opt)) == 0) {
            /* Another command's option: name it, not the value getopt took with it. */
            cli_error(command->name, "dosesim %s takes no option '--%s' (see dosesim %s --help)",
                      command->name, all_options[index].name, command->name);
            return EXIT_BAD_INPUT;
        }
        if (optarg != NULL && optarg == argv[optind - 1] && strncmp(optarg, "--", 2) == 0) {
            /* `--trials --out x`: the value is missing, not '--out'; a value that does start
             * so is given as --scenario=--x. */
            cli_error(command->name,
                      "option '--%s' is missing its value: '%s' looks like the next option",
                      all_options[index].name, optarg);
            return EXIT_BAD_INPUT;
        }
        if (!take_option(command, opt, optarg, args)) {
            return EXIT_BAD_INPUT;
        }
    }
    args->positional = argv + optind;
    args->n_positional = argc - optind;
    if (!check_positional(command, args)) {
        return EXIT_BAD_INPUT;
    }
    cli_common_t *c = &args->common;
    if (!check_target(command->name, c)) {
        return EXIT_BAD_INPUT;
    }
    if (!c->timing.on && c->timing_option_given != NULL) {
        cli_error(command->name,
                  "%s needs --accrual: calendar time is simulated only with an accrual rate",
                  c->timing_option_given);
        return EXIT_BAD_INPUT;
    }
    if (c->design_given != NULL && c->rules_path != NULL) {
        cli_error(command->name, "--design and --rules both name the rules; give one");
        return EXIT_BAD_INPUT;
    }
    if (!settle_interval_design(command->name, c)) {
        return EXIT_BAD_INPUT;
    }
    ds_diag_t backfill_why;
    if (ds_backfill_check(&c->timing, &c->design, &backfill_why) != 0) {
        cli_diag_error(command->name, &backfill_why);
        return EXIT_BAD_INPUT;
    }
    if (c->target_given && !ds_design_is_interval(&c->design) &&
        (command->options & CLI_TARGET_OPTIONS) != CLI_TARGET_OPTIONS) {
        cli_error(command->name,
                  "--target: dosesim %s reads a target only as an interval design's (--design "
                  "boin, i3+3, mtpi2, keyboard, --decision-table); %s has none",
                  command->name, c->design.name);
        return EXIT_BAD_INPUT;
    }
    const ds_family_t *family = c->design.family;
    if (!family->exact && command->enumerates) {
        cli_error(command->name,
                  "--design %s: %s has no exact calculation (%s); simulate it with %s",
                  c->design.name, family->title,
                  family->needs_calendar ? "its decisions depend on when outcomes arrive"
                                         : "its trials cannot be enumerated",
                  family->needs_calendar ? "dosesim run --accrual RATE" : "dosesim run");
        return EXIT_BAD_INPUT;
    }
    if (family->needs_calendar && !c->timing.on && (command->options & CLI_OPT(OPT_ACCRUAL)) != 0) {
        cli_error(command->name, "--design %s needs --accrual: %s %s, so it runs on calendar time",
                  c->design.name, family->title, family->calendar_reason);
        return EXIT_BAD_INPUT;
    }
    if (command->one_scenario && c->n_scenario_names != 1) {
        cli_error(command->name,
                  "--scenario NAME: name exactly one scenario (see dosesim %s --help)",
                  command->name);
        return EXIT_BAD_INPUT;
    }
    return 0;
}
