# dosesim's result sets in base R: stacked, joined and made into the protocol table.
#
# Usage: Rscript stack.R [DOSESIM] [-v]   (DOSESIM defaults to $DOSESIM, then bin/dosesim)
#
# It runs dosesim itself into a temporary folder, on scenarios/tifcemalimab.csv:
#
#   mc-3+3        run   --design 3+3   --trials 20000 --seed 20261126
#   mc-3+3+3      run   --design 3+3+3 --trials 20000 --seed 20261126
#   exact-3+3     exact --design 3+3
#   exact-3+3+3   exact --design 3+3+3
#   timed-3+3     run   --design 3+3   --trials 20000 --seed 9007199254740991
#                       --accrual 3 --dropout 0.1
#                 (2^53 - 1, the largest seed dosesim takes: R holds it exactly, as a double)
#
# and holds the files to the result contract (README.md, "Output files";
# results/SCHEMA.csv) the way an R user reads them: read.csv with no options,
# rbind, merge. The exact-vs-MC checks are at the seeds and the 20,000 trials
# above, within 4 standard errors. Every number is read from the files or the
# program's output, none is written here: the accuracy measures (true MTD, PCS,
# P(above/below), patients at/below/above it) are held to what the README defines
# them as from doses.csv's rows, the *_n_evaluable statistics to sample_size.csv's
# distribution. It ends "stack.R: N passed, N failed" and exits 1 on any failure.
# -v prints the protocol table.
#
# Base R only (r-base-core): no package from CRAN.

TRIALS <- 20000
SEED <- 20261126
TIMED_SEED <- "9007199254740991"  # 2^53 - 1, as dosesim is given it
N_SE <- 4  # exact vs Monte Carlo: within this many standard errors
# The tables stacked (duration.csv is header-only without calendar time).
TABLES <- c("summary", "doses", "sample_size")

RUNS <- list(
  list(name = "mc-3+3", args = c("run", "--design", "3+3", "--trials", TRIALS, "--seed", SEED),
       seed = SEED, trials = TRIALS),
  list(name = "mc-3+3+3", args = c("run", "--design", "3+3+3", "--trials", TRIALS, "--seed", SEED),
       seed = SEED, trials = TRIALS),
  list(name = "exact-3+3", args = c("exact", "--design", "3+3"), seed = 0, trials = 0),
  list(name = "exact-3+3+3", args = c("exact", "--design", "3+3+3"), seed = 0, trials = 0),
  list(name = "timed-3+3", args = c("run", "--design", "3+3", "--trials", TRIALS, "--seed",
                                    TIMED_SEED, "--accrual", 3, "--dropout", 0.1),
       seed = 2^53 - 1, trials = TRIALS))
NAMES <- vapply(RUNS, function(r) r$name, "")
UNTIMED <- NAMES[!vapply(RUNS, function(r) "--accrual" %in% r$args, TRUE)]
# Each Monte Carlo set and the exact set it must agree with.
AGAINST <- c("mc-3+3" = "exact-3+3", "mc-3+3+3" = "exact-3+3+3", "timed-3+3" = "exact-3+3")

counts <- new.env()
counts$passed <- 0
counts$failed <- 0

check <- function(ok, what) {
  ok <- isTRUE(all(ok))
  if (ok) {
    counts$passed <- counts$passed + 1
  } else {
    counts$failed <- counts$failed + 1
    cat("FAIL:", what, "\n")
  }
  invisible(ok)
}

# Equal cells, an empty one (NA) equal only to another.
same <- function(a, b) all((is.na(a) & is.na(b)) | (!is.na(a) & !is.na(b) & a == b))

# Does the printed text show value, to the digits printed?
shown <- function(text, value) {
  if (text == "-") return(is.na(value))
  if (is.na(value)) return(FALSE)
  decimals <- if (grepl(".", text, fixed = TRUE)) nchar(sub("^[^.]*\\.", "", text)) else 0
  abs(as.numeric(text) - value) <= 0.5 * 10^-decimals * (1 + 1e-9) + 1e-12
}

# ---- the schema ----------------------------------------------------------------

# The key: the columns every table starts with (README: "Every file starts with the
# same key columns"), read off SCHEMA.csv as the longest prefix all its tables share.
key_columns <- function(schema) {
  lists <- split(schema$column, factor(schema$table, levels = unique(schema$table)))
  key <- character(0)
  for (i in seq_len(min(lengths(lists)))) {
    cols <- unique(vapply(lists, function(l) l[i], ""))
    if (length(cols) != 1) break
    key <- c(key, cols)
  }
  key
}

table_of <- function(schema, filename) {
  files <- unique(schema[, c("table", "files")])
  for (i in seq_len(nrow(files))) {
    f <- files$files[i]
    if (!grepl(" ", f) && grepl(utils::glob2rx(f), filename)) return(files$table[i])
  }
  NA_character_
}

# read.csv's plain read, in each column's class from SCHEMA.csv's type: integer
# columns integer (numeric, whole, for values past R's 32-bit integers: the seed
# 2^53 - 1), numbers numeric (integer where every value is whole, as exact's
# standard errors of 0), text character (logical NA when every cell is empty, as
# dose_unit without a dose_unit column).
fits <- function(kind, x) {
  cl <- class(x)
  all_na <- all(is.na(x))
  if (kind == "integer") {
    return(cl == "integer" ||
           (cl == "numeric" && all(x == round(x)) && any(abs(x) > .Machine$integer.max)))
  }
  if (kind %in% c("number", "probability")) return(cl %in% c("numeric", "integer") ||
                                                     (cl == "logical" && all_na))
  cl == "character" || (cl == "logical" && all_na)
}

# ---- the program's printed table ------------------------------------------------

# The table dosesim run/exact print: a list by scenario of its dose lines, its none
# line and the regmatches of its N, MTD and time lines; and the first line and z.
parse_printed <- function(lines) {
  head <- which(startsWith(lines, "scenario "))[1]
  header <- lines[head]
  # "%-*s  %-*s  %6s": the name, the label, " p_dlt"
  wn <- regexpr("dose", header, fixed = TRUE) - 3
  wl <- regexpr("p_dlt", header, fixed = TRUE) - 1 - 2 - (wn + 2) - 1
  z <- regmatches(header, regexec("\\+-([0-9.]+)se", header))[[1]]
  out <- list(first = lines[1], z = if (length(z)) as.numeric(z[2]) else NA, scenarios = list())
  cur <- NULL
  for (line in lines[(head + 1):length(lines)]) {
    if (line == "" || startsWith(line, "wrote ")) break
    name <- trimws(substr(line, 1, wn))
    rest <- substr(line, wn + 3, nchar(line))
    if (name != "") {
      cur <- name
      out$scenarios[[cur]] <- list(doses = list(), none = NULL, n = NULL, mtd = NULL, time = NULL)
    }
    body <- trimws(rest)
    grab <- function(re) regmatches(body, regexec(re, body))[[1]][-1]
    if (startsWith(body, "N: ")) {
      out$scenarios[[cur]]$n <- grab(paste0(
        "^N: mean (\\S+) treated, (\\S+) evaluable \\(sd (\\S+), median (\\d+), ",
        "range (\\d+)-(\\d+)\\); DLTs (\\S+)$"))
    } else if (startsWith(body, "true MTD ")) {
      out$scenarios[[cur]]$mtd <- grab(paste0(
        "^true MTD (.*): P\\(correct\\) (\\S+), P\\(RP2D above interval\\) (\\S+), ",
        "P\\(below\\) (\\S+); patients at/below/above MTD (\\S+)/(\\S+)/(\\S+)$"))
    } else if (startsWith(body, "time: ")) {
      out$scenarios[[cur]]$time <- grab(paste0(
        "^time: mean (\\S+) days \\(sd (\\S+)\\), median (\\S+), 10-90%: (\\S+)-(\\S+); ",
        "evaluable (\\S+), not evaluable (\\S+), turned away (\\S+)$"))
    } else {
      label <- trimws(substr(rest, 1, wl))
      fields <- strsplit(trimws(substr(rest, wl + 3, nchar(rest))), " +")[[1]]
      if (label == "none" && length(fields) <= 2) {
        out$scenarios[[cur]]$none <- fields
      } else {
        out$scenarios[[cur]]$doses[[length(out$scenarios[[cur]]$doses) + 1]] <- c(label, fields)
      }
    }
  }
  out
}

# ---- the checks ----------------------------------------------------------------

main <- function() {
  all_args <- commandArgs(trailingOnly = FALSE)
  script <- sub("^--file=", "", all_args[startsWith(all_args, "--file=")][1])
  root <- normalizePath(file.path(dirname(script), "..", ".."))
  args <- commandArgs(trailingOnly = TRUE)
  verbose <- "-v" %in% args
  args <- args[args != "-v"]
  dosesim <- normalizePath(if (length(args)) args[1] else Sys.getenv("DOSESIM", "bin/dosesim"),
                           mustWork = FALSE)
  scenarios <- file.path(root, "scenarios", "tifcemalimab.csv")
  t0 <- proc.time()[["elapsed"]]
  tmp <- tempfile("dosesim-tidy-")
  dir.create(tmp)
  on.exit(unlink(tmp, recursive = TRUE), add = TRUE)
  run_all(dosesim, scenarios, root, tmp, verbose)
  cat(sprintf("stack.R: %d passed, %d failed (%.1f s, %s)\n", counts$passed, counts$failed,
              proc.time()[["elapsed"]] - t0, R.version.string))
  counts$failed == 0
}

run_all <- function(dosesim, scenarios, root, tmp, verbose) {
  # The schema: the program's, and the shipped copy when there is one (the same bytes).
  schema_file <- file.path(tmp, "SCHEMA.csv")
  # (system2 quotes the command itself; the arguments are ours to quote.)
  if (!check(suppressWarnings(system2(dosesim, "schema", stdout = schema_file)) == 0,
             paste(dosesim, "schema failed"))) quit(status = 1)
  shipped <- file.path(root, "results", "SCHEMA.csv")
  if (file.exists(shipped)) {
    check(identical(readBin(shipped, "raw", 1e7), readBin(schema_file, "raw", 1e7)),
          "results/SCHEMA.csv is not what `dosesim schema` prints")
  }
  schema <- read.csv(schema_file, colClasses = "character", na.strings = character(0))
  for (t in unique(schema$table)) {
    check(identical(as.integer(schema$position[schema$table == t]),
                    seq_len(sum(schema$table == t))), paste("SCHEMA.csv: positions of", t))
  }
  key <- key_columns(schema)
  check(length(key) > 0 && key[1] == "run_id",
        paste("the key read off SCHEMA.csv:", paste(key, collapse = " ")))

  printed <- list()
  for (r in RUNS) {
    out <- file.path(tmp, r$name)
    err <- file.path(tmp, paste0(r$name, ".stderr"))
    lines <- suppressWarnings(system2(dosesim, shQuote(c(r$args[1], scenarios, r$args[-1],
                                                         "--out", out)),
                                      stdout = TRUE, stderr = err))
    status <- attr(lines, "status")
    if (!check(is.null(status), paste(r$name, ": exit status", status, ":",
                                      paste(readLines(err), collapse = "\n")))) {
      quit(status = 1)
    }
    printed[[r$name]] <- parse_printed(lines)
  }

  # 5. Every written file's header is its table's columns in SCHEMA.csv, in order
  # (names R's read.csv keeps as they are); a cell is empty only in a column
  # SCHEMA.csv says may be; read.csv reads each column in the class of its type.
  frames <- list()
  raw <- list()
  for (name in NAMES) {
    for (fn in sort(list.files(file.path(tmp, name)))) {  # not .dosesim.lock, the folder's lock
      path <- file.path(tmp, name, fn)
      table <- table_of(schema, fn)
      if (!check(!is.na(table), paste0(name, "/", fn, ": no table of SCHEMA.csv names this file")))
        next
      cols <- schema[schema$table == table, ]
      header <- names(read.csv(path, nrows = 0, check.names = FALSE))
      if (!check(identical(header, cols$column),
                 paste0(name, "/", fn, ": header differs from SCHEMA.csv's ", table, " columns: ",
                        paste(setdiff(header, cols$column), collapse = " "), " not in it, ",
                        paste(setdiff(cols$column, header), collapse = " "), " missing")))
        next
      check(identical(make.names(header), header), paste0(name, "/", fn, ": names R would change"))
      cells <- read.csv(path, colClasses = "character", na.strings = character(0))
      df <- read.csv(path)
      for (i in seq_len(nrow(cols))) {
        col <- cols$column[i]
        if (cols$empty_when[i] == "") {
          check(all(cells[[col]] != ""), paste0(name, "/", fn, ": ", col, " has an empty cell"))
        }
        if (nrow(df) == 0) next  # a header alone (duration.csv without calendar time)
        check(fits(cols$type[i], df[[col]]), paste0(name, "/", fn, ": ", col, " (", cols$type[i],
                                                    ") read as ", class(df[[col]])))
        if (is.numeric(df[[col]])) {
          text <- cells[[col]]
          check(same(suppressWarnings(as.numeric(ifelse(text == "", NA, text))), df[[col]]),
                paste0(name, "/", fn, ": ", col, " does not read back to the numbers written"))
        }
      }
      frames[[name]][[table]] <- df
      raw[[name]][[table]] <- cells
    }
  }
  if (counts$failed > 0) {
    cat("stack.R: the files are not the contract's; nothing stacked\n")
    return(invisible())
  }

  # 2. Stacked as they are: the four untimed sets, then all five.
  for (sets in list(UNTIMED, NAMES)) {
    for (table in TABLES) stack_checks(schema, table, sets, lapply(frames[sets], `[[`, table))
  }
  stacked <- lapply(setNames(TABLES, TABLES),
                    function(t) do.call(rbind, unname(lapply(frames, `[[`, t))))
  for (r in RUNS) {
    s <- frames[[r$name]]$summary
    check(all(s$seed == r$seed) && all(s$n_trials == r$trials),
          paste(r$name, ": seed and n_trials are not", r$seed, "and", r$trials))
    if (r$seed < .Machine$integer.max) {
      check(is.integer(s$seed) && is.integer(s$n_trials), paste(r$name, ": seed not integer"))
    }
  }
  check(sprintf("%.0f", max(stacked$summary$seed)) == TIMED_SEED,
        paste("the stacked seed is not", TIMED_SEED, "exactly"))

  # 3. Joined on the key, which is all the two tables share: no suffixes, no row lost.
  doses <- stacked$doses
  summary <- stacked$summary
  check(identical(sort(intersect(names(doses), names(summary))), sort(key)),
        paste("doses.csv and summary.csv share columns beyond the key:",
              paste(setdiff(intersect(names(doses), names(summary)), key), collapse = " ")))
  j <- merge(doses, summary, by = key, sort = FALSE)
  check(identical(names(j), c(key, names(doses)[-seq_along(key)],
                              names(summary)[-seq_along(key)])),
        "the joined columns are not key, doses', summary's")
  check(!any(grepl("([.]|_)(x|y)$", names(j))), "a suffixed name in the join")
  check(nrow(j) == nrow(doses), paste("the join has", nrow(j), "rows, doses.csv", nrow(doses)))
  check(nrow(unique(j[key])) == nrow(summary), "a summary row matched no dose row")
  none <- j[j$dose_level == 0, ]
  check(nrow(none) == nrow(summary), "not one dose_level 0 row per scenario and run")
  check(all(none$dose_label == "none") && all(is.na(none$p_dlt)),
        "the dose_level 0 row is not labelled none with no p_dlt")
  for (ab in list(c("prob_rp2d", "prob_no_rp2d"), c("prob_rp2d_se", "prob_no_rp2d_se"),
                  c("prob_rp2d_lo", "prob_no_rp2d_lo"), c("prob_rp2d_hi", "prob_no_rp2d_hi"))) {
    check(all(none[[ab[1]]] == none[[ab[2]]]),
          paste("P(no RP2D):", ab[1], "of the dose_level 0 row is not", ab[2]))
  }
  sums <- tapply(j$prob_rp2d, do.call(paste, c(j[key], sep = "\r")), sum)
  check(all(abs(sums - 1) < 1e-12), "the selections of a scenario do not sum to 1")
  mtd <- j[j$true_mtd == "yes", ]
  check(nrow(mtd) == nrow(summary) && all(mtd$dose_level == mtd$true_mtd_level) &&
          all(mtd$dose_label == mtd$true_mtd_label),
        "not one true_mtd row per scenario and run, at true_mtd_level")

  # 4. The protocol table: per scenario x design x method, P(RP2D) of each dose and
  # of none, PCS, P(overdose selection) and E[N], by filters of the join alone. PCS is
  # P(RP2D) on the true MTD's row (on the none row when there is no true MTD), where
  # summary.csv gives one (not when there is no true MTD and a dose is below the interval).
  untimed <- j[j$accrual_per_30_days == 0, ]
  by <- c("scenario", "design", "method")
  protocol <- untimed[, c(by, "dose_level", "dose_label", "prob_rp2d", "prob_select_above",
                          "mean_n_treated", "run_id")]
  pcs <- untimed[untimed$true_mtd == "yes", c(by, "prob_rp2d", "prob_correct_selection", "run_id")]
  n_cells <- sum(summary$accrual_per_30_days == 0)
  check(nrow(unique(protocol[by])) == n_cells && nrow(pcs) == n_cells &&
          n_cells == length(UNTIMED) * nrow(frames[["exact-3+3"]]$summary),
        "the protocol table is not one row per scenario x design x method, with one PCS each")
  given <- !is.na(pcs$prob_correct_selection)
  check(all(pcs$prob_rp2d[given] == pcs$prob_correct_selection[given]),
        "PCS from doses.csv is not summary.csv's prob_correct_selection")
  # ... and that check ran: in every untimed set, for every scenario with a PCS, and for
  # several scenarios (PCS is empty only for a scenario with no true MTD and a dose below
  # the interval, which accuracy_checks holds the files to).
  for (name in UNTIMED) {
    s <- frames[[name]]$summary
    checked <- sum(given & pcs$run_id == s$run_id[1])
    n_given <- sum(!is.na(s$prob_correct_selection))
    check(checked == n_given && n_given >= 2,
          paste0(name, ": PCS = prob_rp2d on the true MTD's row checked for ", checked,
                 " scenarios, ", n_given, " with a PCS (at least 2 wanted)"))
  }
  accuracy_checks(j, key, stacked$sample_size)
  if (verbose) {  # for display only
    wide <- reshape(protocol[, c(by, "dose_label", "prob_rp2d")], idvar = by,
                    timevar = "dose_label", direction = "wide")
    wide <- merge(wide, setNames(pcs[, c(by, "prob_correct_selection")], c(by, "PCS")), by = by)
    wide <- merge(wide, unique(protocol[, c(by, "prob_select_above", "mean_n_treated")]), by = by)
    num <- vapply(wide, is.numeric, TRUE)
    wide[num] <- lapply(wide[num], round, 4)
    options(width = 200)
    print(wide[order(wide$scenario, wide$design, wide$method), ], row.names = FALSE)
  }

  # ... its numbers are the cells dosesim wrote (read as text, each set on its own)
  # and the table dosesim printed, to the digits printed.
  run_of <- setNames(NAMES, vapply(NAMES, function(n) frames[[n]]$summary$run_id[1], ""))
  cell_of <- function(rows, ...) {
    m <- list(...)
    hit <- Reduce(`&`, Map(function(k, v) rows[[k]] == v, names(m), m))
    check(sum(hit) == 1, paste(sum(hit), "rows with", paste(m, collapse = " ")))
    rows[hit, ][1, ]
  }
  num <- function(text) if (text == "") NA_real_ else as.numeric(text)
  for (i in seq_len(nrow(protocol))) {
    r <- protocol[i, ]
    name <- run_of[[r$run_id]]
    cell <- cell_of(raw[[name]]$doses, scenario = r$scenario, dose_level = as.character(r$dose_level))
    scell <- cell_of(raw[[name]]$summary, scenario = r$scenario)
    where <- paste(name, r$scenario, "level", r$dose_level)
    check(num(cell$prob_rp2d) == r$prob_rp2d, paste(where, ": prob_rp2d is not the cell"))
    for (col in c("prob_select_above", "mean_n_treated")) {
      check(same(num(scell[[col]]), r[[col]]), paste(where, ":", col, "is not the cell"))
    }
  }
  for (i in seq_len(nrow(pcs))) {
    scell <- cell_of(raw[[run_of[[pcs$run_id[i]]]]]$summary, scenario = pcs$scenario[i])
    check(same(num(scell$prob_correct_selection), pcs$prob_correct_selection[i]),
          paste(pcs$scenario[i], ": prob_correct_selection is not the cell"))
  }
  for (r in RUNS) {
    printed_checks(r$name, printed[[r$name]], j[j$run_id == frames[[r$name]]$summary$run_id[1], ],
                   r$seed, r$trials)
  }

  # ... and exact and Monte Carlo agree within N_SE standard errors (20,000 trials,
  # seeds 20261126 and 2^53 - 1). The MC standard error is the file's, or, where the MC
  # estimate is 0 or 1 (a standard error of 0), the one the exact probability implies.
  for (mc in names(AGAINST)) {
    ex <- AGAINST[[mc]]
    agree(mc, ex, frames[[mc]]$doses, frames[[ex]]$doses, c("scenario", "dose_level"),
          list(c("prob_rp2d", "prob_rp2d_se", "p")))
    cols <- list(c("prob_no_rp2d", "prob_no_rp2d_se", "p"),
                 c("prob_correct_selection", "prob_correct_selection_se", "p"),
                 c("prob_select_above", "prob_select_above_se", "p"),
                 c("prob_select_below", "prob_select_below_se", "p"))
    if (mc %in% UNTIMED) {  # with dropout and accrual the patients are not exact's: untimed only
      # E[N]: evaluable patients (mean_n_treated is the same number here, accuracy_checks)
      cols <- c(cols, list(c("mean_n_evaluable", "mean_n_evaluable_se", "mean"),
                           c("mean_n_treated_at_mtd", "mean_n_treated_at_mtd_se", "mean"),
                           c("mean_n_treated_below_mtd", "mean_n_treated_below_mtd_se", "mean"),
                           c("mean_n_treated_above_mtd", "mean_n_treated_above_mtd_se", "mean"),
                           c("prob_over_60pct_above_mtd", "prob_over_60pct_above_mtd_se", "p"),
                           c("prob_over_80pct_above_mtd", "prob_over_80pct_above_mtd_se", "p")))
    }
    agree(mc, ex, frames[[mc]]$summary, frames[[ex]]$summary, "scenario", cols)
  }
}

stack_checks <- function(schema, table, sets, parts) {
  names_ <- paste(sets, collapse = "+")
  first <- names(parts[[1]])
  for (i in seq_along(parts)) {
    check(identical(names(parts[[i]]), first),
          paste0(table, ".csv of ", sets[i], " has other columns than ", sets[1]))
  }
  s <- do.call(rbind, unname(parts))
  check(identical(names(s), first) && nrow(s) == sum(vapply(parts, nrow, 0L)),
        paste0(table, ".csv of ", names_, ": the stack has other columns or rows"))
  cols <- schema[schema$table == table, ]
  for (i in seq_len(nrow(cols))) {
    col <- cols$column[i]
    kind <- cols$type[i]
    kinds <- unique(unlist(lapply(parts, function(p) if (all(is.na(p[[col]]))) NULL
                                                     else class(p[[col]]))))
    sk <- class(s[[col]])
    ok <- if (kind == "integer") {
      # integer throughout, or numeric and whole past R's 32-bit integers (the seed 2^53 - 1)
      (sk == "integer" && identical(kinds, "integer")) ||
        (sk == "numeric" && all(s[[col]] == round(s[[col]])) &&
           any(abs(s[[col]]) > .Machine$integer.max))
    } else if (kind %in% c("number", "probability")) {
      (sk %in% c("numeric", "integer") && all(kinds %in% c("numeric", "integer"))) ||
        (sk == "logical" && length(kinds) == 0)  # empty in every part
    } else {
      all(kinds %in% "character") && (sk == "character" || length(kinds) == 0)
    }
    check(ok, paste0(table, ".csv of ", names_, ": ", col, " (", kind, ") is ",
                     paste(kinds, collapse = "/"), " in the parts, ", sk, " stacked"))
  }
}

# Equal to within tol, relative to the larger (at least 1): sums the program makes in
# another order.
close <- function(a, b, tol = 1e-9) abs(a - b) <= tol * max(1, abs(a), abs(b))

# The accuracy measures and the sample size of summary.csv, every run, against what the
# README defines them as from doses.csv's rows and sample_size.csv's distribution.
accuracy_checks <- function(j, key, sample_size) {
  eps <- 1e-12  # the README: p_dlt compared to within 1e-12
  seen <- list(pcs = NULL, above = NULL, below = NULL, at = NULL, n_below = NULL,
               n_above = NULL, over60 = NULL)
  groups <- split(seq_len(nrow(j)), do.call(paste, c(j[key], sep = "\r")))
  ss_id <- do.call(paste, c(sample_size[key], sep = "\r"))
  for (g_id in names(groups)) {
    g <- j[groups[[g_id]], ]
    s <- g[1, ]
    where <- paste0(s$method, " ", s$design, " ", s$scenario, " (accrual ",
                    s$accrual_per_30_days, ")")
    lo <- s$target_lo
    hi <- s$target_hi
    d <- g[g$dose_level > 0, ]
    d <- d[order(d$dose_level), ]
    none <- g[g$dose_level == 0, ][1, ]
    inside <- d[d$p_dlt >= lo - eps & d$p_dlt <= hi + eps, ]
    mtd <- 0
    if (nrow(inside) > 0) {
      dist <- abs(inside$p_dlt - s$target)
      mtd <- min(inside$dose_level[dist <= min(dist) + eps])
    }
    check(s$true_mtd_level == mtd, paste0(where, ": true_mtd_level ", s$true_mtd_level,
                                          ", the doses' p_dlt make it ", mtd))
    above <- d[d$p_dlt > hi + eps, ]
    below <- d[d$p_dlt < lo - eps, ]
    pcs_empty <- mtd == 0 && nrow(below) > 0
    if (check(is.na(s$prob_correct_selection) == pcs_empty &&
                is.na(s$prob_correct_selection_se) == pcs_empty,
              paste0(where, ": prob_correct_selection ", s$prob_correct_selection,
                     ", empty is ", pcs_empty)) && !pcs_empty) {
      row <- g[g$true_mtd == "yes", ][1, ]
      check(row$dose_level == mtd && s$prob_correct_selection == row$prob_rp2d,
            sprintf("%s: PCS %.17g is not prob_rp2d %.17g on the true MTD's row (level %d)",
                    where, s$prob_correct_selection, row$prob_rp2d, row$dose_level))
    }
    check(close(s$prob_select_above, sum(above$prob_rp2d), 1e-12),
          sprintf("%s: prob_select_above %.17g, the doses above the interval %.17g", where,
                  s$prob_select_above, sum(above$prob_rp2d)))
    check(close(s$prob_select_below, sum(below$prob_rp2d), 1e-12),
          sprintf("%s: prob_select_below %.17g, the doses below the interval %.17g", where,
                  s$prob_select_below, sum(below$prob_rp2d)))
    if (nrow(inside) > 0) {
      check(isTRUE(s$prob_no_rp2d_despite_acceptable == none$prob_rp2d),
            paste(where, ": prob_no_rp2d_despite_acceptable is not P(no RP2D)"))
    } else {
      check(is.na(s$prob_no_rp2d_despite_acceptable),
            paste(where, ": prob_no_rp2d_despite_acceptable without an acceptable dose"))
    }
    # patients at, below and above the true MTD (with none: above from the first dose
    # above the interval up), of the patients treated at each dose
    cut <- if (mtd > 0) mtd else if (nrow(above) > 0) min(above$dose_level) else nrow(d) + 1
    at <- sum(d$mean_n_treated_at_dose[d$dose_level == mtd])
    n_below <- sum(d$mean_n_treated_at_dose[d$dose_level < cut])
    n_above <- sum(d$mean_n_treated_at_dose[d$dose_level > cut - (if (mtd > 0) 0 else 1)])
    wants <- list(c("mean_n_treated_at_mtd", at), c("mean_n_treated_below_mtd", n_below),
                  c("mean_n_treated_above_mtd", n_above),
                  c("mean_n_treated", sum(d$mean_n_treated_at_dose)),
                  c("mean_n_evaluable", sum(d$mean_n_evaluable_at_dose)),
                  c("mean_n_dlt", sum(d$mean_n_dlt_at_dose)),
                  c("mean_n_treated", s$mean_n_evaluable + s$mean_n_nonevaluable))
    for (w in wants) {
      want <- as.numeric(w[2])
      check(close(s[[w[1]]], want),
            sprintf("%s: %s %.17g, the doses say %.17g", where, w[1], s[[w[1]]], want))
    }
    if (s$accrual_per_30_days == 0) {
      check(s$mean_n_treated == s$mean_n_evaluable && s$mean_n_nonevaluable == 0,
            sprintf(paste("%s: without calendar time mean_n_treated %.17g is not",
                          "mean_n_evaluable %.17g, or some patient not evaluable"),
                    where, s$mean_n_treated, s$mean_n_evaluable))
      got <- list(pcs = s$prob_correct_selection, above = s$prob_select_above,
                  below = s$prob_select_below, at = at, n_below = n_below, n_above = n_above,
                  over60 = s$prob_over_60pct_above_mtd)
      for (nm in names(got)) seen[[nm]] <- c(seen[[nm]], got[[nm]])
    }
    # the sample-size statistics are of evaluable patients: sample_size.csv's distribution
    ss <- sample_size[ss_id == g_id, ]
    ss <- ss[order(ss$n_evaluable), ]
    n <- ss$n_evaluable
    p <- ss$prob
    if (!check(nrow(ss) > 0 && all(p > 0) && !anyDuplicated(n) && abs(sum(p) - 1) < 1e-12,
               paste(where, ": sample_size.csv is not a distribution of n_evaluable"))) next
    mean <- sum(n * p)
    sd <- sqrt(sum((n - s$mean_n_evaluable)^2 * p))
    quantile_ <- function(q) {
      cum <- 0
      for (i in seq_along(n)) {
        cum <- cum + p[i]
        if (cum >= q - 1e-12) return(n[i])
      }
      n[length(n)]
    }
    qs <- c(quantile_(0.1), quantile_(0.5), quantile_(0.9))
    check(close(s$mean_n_evaluable, mean) && close(s$sd_n_evaluable, sd) &&
            s$min_n_evaluable == n[1] && s$max_n_evaluable == n[length(n)] &&
            identical(as.numeric(c(s$p10_n_evaluable, s$p50_n_evaluable, s$p90_n_evaluable)),
                      as.numeric(qs)),
          sprintf(paste("%s: the *_n_evaluable statistics are not sample_size.csv's:",
                        "mean %.17g/%.17g, sd %.17g/%.17g, range %d-%d/%d-%d,",
                        "p10/50/90 %d/%d/%d vs %d/%d/%d"),
                  where, s$mean_n_evaluable, mean, s$sd_n_evaluable, sd, s$min_n_evaluable,
                  s$max_n_evaluable, n[1], n[length(n)], s$p10_n_evaluable, s$p50_n_evaluable,
                  s$p90_n_evaluable, qs[1], qs[2], qs[3]))
  }
  # The measures are real: on these scenarios, not 0 (or 1) everywhere.
  for (nm in names(seen)) {
    v <- seen[[nm]]
    v <- v[!is.na(v)]
    top <- if (nm %in% c("pcs", "above", "below", "over60")) 1 else Inf
    check(length(unique(v[v > 0 & v < top])) >= 2,
          paste0("the untimed runs' ", nm, " is not 0 < ", nm, " (< 1) in two scenarios or more: ",
                 paste(v, collapse = " ")))
  }
}

# The printed table against the joined rows of one run.
printed_checks <- function(name, p, rows, seed, trials) {
  if (trials > 0) {
    check(grepl(sprintf(", %d trials each, seed %.0f", trials, seed), p$first, fixed = TRUE),
          paste(name, ": first line", p$first))
  }
  summaries <- rows[!duplicated(rows$scenario), ]
  check(identical(names(p$scenarios), summaries$scenario), paste(name, ": printed scenarios"))
  for (i in seq_len(nrow(summaries))) {
    s <- summaries[i, ]
    sc <- s$scenario
    t <- p$scenarios[[sc]]
    if (!check(!is.null(t) && length(t$n) && length(t$mtd) && !is.null(t$none),
               paste(name, sc, ": not printed in full"))) next
    doses <- rows[rows$scenario == sc & rows$dose_level > 0, ]
    doses <- doses[order(doses$dose_level), ]
    check(length(t$doses) == nrow(doses), paste(name, sc, ": printed doses"))
    for (k in seq_len(min(length(t$doses), nrow(doses)))) {
      d <- doses[k, ]
      f <- t$doses[[k]]
      want <- c(d$p_dlt, d$prob_rp2d, if (!is.na(p$z)) p$z * d$prob_rp2d_se,
                d$mean_n_treated_at_dose, d$mean_n_dlt_at_dose)
      check(f[1] == d$dose_label && length(f) - 1 == length(want) &&
              all(mapply(shown, f[-1], want)),
            paste(name, sc, f[1], ": printed", paste(f[-1], collapse = " "),
                  ", the files say", paste(want, collapse = " ")))
    }
    want <- c(s$prob_no_rp2d, if (!is.na(p$z)) p$z * s$prob_no_rp2d_se)
    check(length(t$none) == length(want) && all(mapply(shown, t$none, want)),
          paste(name, sc, "none: printed", paste(t$none, collapse = " ")))
    # N: patients treated, then evaluable, whose spread the rest tells (sample_size.csv's)
    want <- c(s$mean_n_treated, s$mean_n_evaluable, s$sd_n_evaluable, s$p50_n_evaluable,
              s$min_n_evaluable, s$max_n_evaluable, s$mean_n_dlt)
    check(length(t$n) == 7 && all(mapply(shown, t$n, want)),
          paste(name, sc, ": printed N", paste(t$n, collapse = " "), ", the files say",
                paste(want, collapse = " ")))
    if (s$accrual_per_30_days == 0) {
      check(length(t$n) == 7 && t$n[1] == t$n[2],
            paste(name, sc, ": printed N treated is not evaluable without calendar time"))
    }
    want <- c(s$prob_correct_selection, s$prob_select_above, s$prob_select_below,
              s$mean_n_treated_at_mtd, s$mean_n_treated_below_mtd, s$mean_n_treated_above_mtd)
    check(length(t$mtd) == 7 && t$mtd[1] == s$true_mtd_label && all(mapply(shown, t$mtd[-1], want)),
          paste(name, sc, ": printed MTD", paste(t$mtd, collapse = " ")))
    if (s$accrual_per_30_days != 0) {
      want <- c(s$mean_duration_days, s$sd_duration_days, s$p50_duration_days,
                s$p10_duration_days, s$p90_duration_days, s$mean_n_evaluable,
                s$mean_n_nonevaluable, s$mean_n_turned_away)
      check(length(t$time) == 8 && all(mapply(shown, t$time, want)),
            paste(name, sc, ": printed time", paste(t$time, collapse = " ")))
    } else {
      check(is.null(t$time), paste(name, sc, ": a time line without calendar time"))
    }
  }
}

agree <- function(mc, ex, fm, fe, on, cols) {
  m <- merge(fm, fe, by = on, suffixes = c("_mc", "_exact"))
  check(nrow(m) == nrow(fm) && nrow(m) == nrow(fe), paste(mc, "and", ex, ": rows differ"))
  for (i in seq_len(nrow(m))) {
    for (c in cols) {
      a <- m[[paste0(c[1], "_mc")]][i]
      b <- m[[paste0(c[1], "_exact")]][i]
      se <- m[[paste0(c[2], "_mc")]][i]
      if (is.na(a) || is.na(b)) {
        check(is.na(a) && is.na(b), paste(mc, m$scenario[i], ":", c[1], "empty in one"))
        next
      }
      if (c[3] == "p") se <- max(se, sqrt(b * (1 - b) / m$n_trials_mc[i]))
      check(abs(a - b) <= N_SE * se,
            sprintf("%s vs %s %s %s: %s %.17g vs %.17g, %.1f standard errors (seed %.0f, %d trials)",
                    mc, ex, m$scenario[i], paste(unlist(m[i, on[-1]]), collapse = " "), c[1], a, b,
                    if (se > 0) abs(a - b) / se else Inf, m$seed_mc[i], m$n_trials_mc[i]))
    }
  }
}

if (!main()) quit(status = 1)
