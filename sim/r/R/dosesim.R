# dosesim from R: each function runs the program's command of the same name
# inside R (the same option parser, checks, computations and writers; no
# process is started), in a temporary folder of its own that it removes, and
# returns what the command wrote as data frames, columns as the result
# contract (version 2) names and types them. Options are the command line's,
# `-` written `_`: ds_run(s, design = "boin", max_n = 18, accrual = 3).

# The command line's words for R values: TRUE a flag (FALSE: left out), two
# numbers LO,HI, numbers in the shortest form that reads back exactly.
option_args <- function(options) {
    if (length(options) == 0L) {
        return(character(0))
    }
    given <- names(options)
    if (is.null(given) || any(!nzchar(given))) {
        stop("dosesim: every option is named, as on the command line (design = \"boin\", ",
             "max_n = 18)", call. = FALSE)
    }
    words <- character(0)
    for (k in seq_along(options)) {
        value <- options[[k]]
        flag <- paste0("--", gsub("_", "-", given[[k]], fixed = TRUE))
        if (is.null(value) || (is.logical(value) && length(value) == 1L && !is.na(value) && !value)) {
            next
        }
        if (is.logical(value) && length(value) == 1L && !is.na(value)) {
            words <- c(words, flag)
            next
        }
        if (is.factor(value)) {
            value <- as.character(value)
        }
        if (!(is.numeric(value) || is.character(value)) || length(value) < 1L || length(value) > 2L ||
            anyNA(value)) {
            stop(sprintf("dosesim: %s: give a number, a word or TRUE (or LO and HI: c(0.2, 0.3))",
                         given[[k]]), call. = FALSE)
        }
        text <- if (is.numeric(value)) whole_or_shortest(as.numeric(value)) else enc2utf8(value)
        words <- c(words, flag, paste(text, collapse = ","))
    }
    words
}

# Options the functions set themselves: where the command writes, what it
# prints, and how its work is split into files.
reserved_options <- c("out", "quiet", "replace", "format", "shard")

user_args <- function(options, fun) {
    taken <- intersect(names(options), reserved_options)
    if (length(taken) > 0L) {
        stop(sprintf("dosesim: %s: %s sets it itself (it returns the results as data frames; ",
                     taken[[1L]], fun),
             "write them with ds_write_results or ds_write_csv)", call. = FALSE)
    }
    option_args(options)
}

#' @noRd
run_command <- function(command, args, progress = FALSE, scenario_file = NULL) {
    res <- .Call(C_dosesim_call, c(command, args), isTRUE(progress))
    if (isTRUE(res$interrupted)) {
        # as R's own interrupt: handlers for "interrupt" see it, then back to the top
        cond <- structure(class = c("interrupt", "condition"),
                          list(message = sprintf("dosesim %s: interrupted", command), call = NULL))
        signalCondition(cond)
        invokeRestart("abort")
    }
    lines <- strsplit(res$messages, "\n", fixed = TRUE)[[1]]
    if (!is.null(scenario_file)) {
        lines <- vapply(lines, scenario_words, "", scenario_file, USE.NAMES = FALSE)
    }
    if (res$status != 0L) {
        stop(structure(class = c("dosesim_error", "error", "condition"),
                       list(message = paste(lines, collapse = "\n"), call = sys.call(-1),
                            status = res$status)))
    }
    for (line in lines[grepl(": warning: ", lines, fixed = TRUE)]) {
        warning(line, call. = FALSE)
    }
    for (line in lines[grepl(": note: ", lines, fixed = TRUE)]) {
        message(line)
    }
    res$output
}

# A data frame given as the scenarios is written to a file the command reads;
# its messages then name the data frame's row, not that file's line.
scenario_words <- function(line, file) {
    at <- regexpr(paste0(file, ":"), line, fixed = TRUE)
    if (at < 0) {
        return(gsub(file, "the scenarios data frame", line, fixed = TRUE))
    }
    rest <- substring(line, at + nchar(file) + 1L)
    number <- regmatches(rest, regexpr("^[0-9]+", rest))
    if (length(number) == 1L) {
        rest <- sub("^[0-9]+", sprintf(" row %d", as.integer(number) - 1L), rest)
        return(paste0(substring(line, 1L, at - 1L), "the scenarios data frame,", rest))
    }
    paste0(substring(line, 1L, at - 1L), "the scenarios data frame", substring(line, at + nchar(file)))
}

with_folder <- function(code) {
    folder <- tempfile("dosesim-")
    dir.create(folder, mode = "0700")
    on.exit(unlink(folder, recursive = TRUE), add = TRUE)
    code(folder)
}

# The scenarios, as the command takes them: a file's path, or a data frame
# written to one (numbers exactly).
scenario_path <- function(scenarios, folder) {
    if (is.character(scenarios) && length(scenarios) == 1L) {
        return(list(path = scenarios, written = NULL))
    }
    if (!is.data.frame(scenarios)) {
        stop("dosesim: scenarios: a data frame (columns scenario, dose_level, dose_label, p_dlt) ",
             "or a scenario file's path", call. = FALSE)
    }
    path <- file.path(folder, "scenarios.csv")
    ds_write_csv(scenarios, path)
    list(path = path, written = path)
}

scenario_args <- function(scenario) {
    if (is.null(scenario)) {
        return(character(0))
    }
    as.vector(rbind("--scenario", enc2utf8(as.character(scenario))))
}

as_frame <- function(columns) {
    structure(columns, class = "data.frame", row.names = .set_row_names(length(columns[[1L]])))
}

#' @noRd
read_table <- function(path) {
    as_frame(.Call(C_dosesim_read_csv, path, FALSE))
}

result_files <- c(summary = "summary.csv", doses = "doses.csv", sample_size = "sample_size.csv",
                  duration = "duration.csv", optimisation = "optimisation.csv")

ds_read_results <- function(dir) {
    results <- lapply(result_files, function(name) read_table(file.path(dir, name)))
    structure(results, class = "dosesim_results")
}

print.dosesim_results <- function(x, ...) {
    s <- x$summary
    cat(sprintf("dosesim results: %d scenario%s, %s, %s (method %s)\n", nrow(s),
                if (nrow(s) == 1L) "" else "s", s$design[1L], s$run_id[1L], s$method[1L]))
    d <- x$doses
    print(d[, c("scenario", "dose_level", "dose_label", "p_dlt", "prob_rp2d", "mean_n_treated_at_dose")],
          row.names = FALSE)
    invisible(x)
}

# Run a command that writes to --out (a result set's folder, or one CSV file)
# in a folder of its own, and read back what it wrote.
run_writing <- function(command, scenarios, scenario, extra, options, out_name, read,
                        progress = FALSE) {
    with_folder(function(folder) {
        input <- scenario_path(scenarios, folder)
        out <- file.path(folder, out_name)
        run_command(command, c(input$path, scenario_args(scenario), extra,
                               user_args(options, paste0("ds_", command)), "--out", out, "--quiet"),
                    progress = progress, scenario_file = input$written)
        read(out)
    })
}

result_set <- function(command, scenarios, scenario, extra, options, progress = FALSE) {
    run_writing(command, scenarios, scenario, extra, options, "out", ds_read_results, progress)
}

ds_exact <- function(scenarios, scenario = NULL, ...) {
    result_set("exact", scenarios, scenario, character(0), list(...))
}

ds_run <- function(scenarios, scenario = NULL, trials = NULL, seed = NULL, threads = NULL,
                   progress = FALSE, ...) {
    extra <- option_args(list(trials = trials, seed = seed, threads = threads))
    result_set("run", scenarios, scenario, extra, list(...), progress = progress)
}

one_file <- function(command, scenarios, scenario, extra, options, progress = FALSE) {
    run_writing(command, scenarios, scenario, extra, options, "out.csv", read_table, progress)
}

ds_paths <- function(scenarios, scenario, max_paths = NULL, ...) {
    one_file("paths", scenarios, scenario, option_args(list(max_paths = max_paths)), list(...))
}

ds_sweep <- function(scenarios, scenario, vary, from, to, step, trials = NULL, seed = NULL,
                     progress = FALSE, ...) {
    extra <- option_args(list(vary = vary, from = from, to = to, step = step, trials = trials,
                              seed = seed))
    one_file("sweep", scenarios, scenario, extra, list(...), progress = progress)
}

ds_table <- function(...) {
    text <- run_command("table", c(user_args(list(...), "ds_table"), "--format", "csv"))
    as_frame(.Call(C_dosesim_read_csv, text, TRUE))
}

ds_trace <- function(scenarios, scenario, seed = NULL, trial = NULL, ...) {
    with_folder(function(folder) {
        input <- scenario_path(scenarios, folder)
        text <- run_command("trace", c(input$path, scenario_args(scenario),
                                       option_args(list(seed = seed, trial = trial)),
                                       user_args(list(...), "ds_trace"), "--format", "csv"),
                            scenario_file = input$written)
        as_frame(.Call(C_dosesim_read_csv, text, TRUE))
    })
}

ds_compare <- function(...) {
    sets <- list(...)
    if (length(sets) < 2L) {
        stop("dosesim: compare: two or more result sets (from ds_exact or ds_run) or folders",
             call. = FALSE)
    }
    given <- names(sets)
    labels <- vapply(seq_along(sets), function(k) {
        if (is.character(sets[[k]])) sets[[k]]
        else if (!is.null(given) && nzchar(given[[k]])) given[[k]]
        else sprintf("set%d", k)
    }, "")
    if (anyDuplicated(labels)) {
        stop("dosesim: compare: give each result set its own name (ds_compare(a = x, b = y))",
             call. = FALSE)
    }
    with_folder(function(folder) {
        dirs <- vapply(seq_along(sets), function(k) {
            set <- sets[[k]]
            if (is.character(set) && length(set) == 1L) {
                return(set)
            }
            if (!inherits(set, "dosesim_results")) {
                stop("dosesim: compare: each is a result set (ds_exact, ds_run) or a folder",
                     call. = FALSE)
            }
            dir <- file.path(folder, sprintf("set%d", k))
            ds_write_results(set, dir)
            dir
        }, "")
        out <- file.path(folder, "comparison")
        run_command("compare", c(dirs, "--out", out, "--format", "svg"))
        comparison <- read_table(file.path(out, "comparison.csv"))
        # the folder column: a result set's name rather than the temporary folder it was written to
        comparison$folder <- labels[match(comparison$folder, dirs)]
        comparison
    })
}

# Whole numbers below 2^53 in full (a seed of 1e15 is 1000000000000000, which
# the command line reads as a whole number), the rest in the shortest form.
whole_or_shortest <- function(x) {
    out <- ds_format_number(x)
    whole <- !is.na(x) & is.finite(x) & x == round(x) & abs(x) < 2^53
    out[whole] <- formatC(x[whole], format = "f", digits = 0)
    out
}

ds_format_number <- function(x) {
    .Call(C_dosesim_format, as.numeric(x))
}

# A cell as the library writes text: quoted when it holds a comma, a quote, a
# line end, or a space at either end.
csv_text <- function(x) {
    x <- enc2utf8(as.character(x))
    x[is.na(x)] <- ""
    quote <- grepl("[,\"\r\n]|^[ \t]|[ \t]$", x)
    x[quote] <- paste0("\"", gsub("\"", "\"\"", x[quote], fixed = TRUE), "\"")
    x
}

ds_write_csv <- function(x, path) {
    if (!is.data.frame(x)) {
        stop("dosesim: ds_write_csv: a data frame", call. = FALSE)
    }
    integer_typed <- .Call(C_dosesim_integer_columns, enc2utf8(names(x)))
    cells <- lapply(seq_along(x), function(k) {
        column <- x[[k]]
        if (is.double(column) && integer_typed[[k]]) {
            whole_or_shortest(column) # an integer column read as double (a seed above 2^31)
        } else if (is.double(column)) {
            ds_format_number(column)
        } else if (is.integer(column) && !is.factor(column)) {
            out <- as.character(column)
            out[is.na(out)] <- ""
            out
        } else if (is.logical(column)) {
            out <- ifelse(column, "yes", "no")
            out[is.na(out)] <- ""
            out
        } else {
            csv_text(column)
        }
    })
    lines <- c(paste(csv_text(names(x)), collapse = ","),
               if (nrow(x) > 0L) do.call(paste, c(unname(cells), sep = ",")))
    con <- file(path, open = "wb")
    on.exit(close(con))
    writeLines(enc2utf8(lines), con, sep = "\n", useBytes = TRUE)
    invisible(path)
}

ds_write_results <- function(results, dir) {
    if (!inherits(results, "dosesim_results")) {
        stop("dosesim: ds_write_results: a result set (from ds_exact or ds_run)", call. = FALSE)
    }
    if (dir.exists(dir) && length(list.files(dir, all.files = TRUE, no.. = TRUE)) > 0L) {
        stop(sprintf("dosesim: ds_write_results: %s holds files; give a new or empty folder", dir),
             call. = FALSE)
    }
    dir.create(dir, recursive = TRUE, showWarnings = FALSE)
    for (name in names(result_files)) {
        ds_write_csv(results[[name]], file.path(dir, result_files[[name]]))
    }
    invisible(dir)
}
