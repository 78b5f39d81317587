# ds_paths, ds_sweep, ds_table, ds_trace against the program's files and
# output: byte for byte once written with ds_write_csv, and to 1e-12 by base
# R's reader.
test_that("ds_paths equals dosesim paths", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    cli <- file.path(dir, "paths.csv")
    run_program(c("paths", tifcemalimab(), "--scenario", "expected", "--out", cli, "--quiet"))
    p <- ds_paths(tifcemalimab(), "expected")
    expect_matches_csv(p, cli)
    mine <- file.path(dir, "mine.csv")
    ds_write_csv(p, mine)
    expect_identical(file_bytes(mine), file_bytes(cli))
    expect_lte(abs(sum(p$prob) - 1), 1e-12)
})

test_that("ds_sweep equals dosesim sweep, exact and simulated", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    cli <- file.path(dir, "sweep.csv")
    run_program(c("sweep", tifcemalimab(), "--scenario", "expected", "--vary", "2", "--from",
                  "0.05", "--to", "0.6", "--step", "0.05", "--out", cli, "--quiet"))
    s <- ds_sweep(tifcemalimab(), "expected", vary = 2, from = 0.05, to = 0.6, step = 0.05)
    expect_matches_csv(s, cli)
    mine <- file.path(dir, "mine.csv")
    ds_write_csv(s, mine)
    expect_identical(file_bytes(mine), file_bytes(cli))
    timed <- file.path(dir, "timed.csv")
    run_program(c("sweep", tifcemalimab(), "--scenario", "expected", "--vary", "all", "--from",
                  "0.5", "--to", "1.5", "--step", "0.5", "--accrual", "3", "--trials", "5000",
                  "--seed", "3", "--out", timed, "--quiet"))
    t <- ds_sweep(tifcemalimab(), "expected", vary = "all", from = 0.5, to = 1.5, step = 0.5,
                  accrual = 3, trials = 5000, seed = 3)
    ds_write_csv(t, mine)
    expect_identical(file_bytes(mine), file_bytes(timed))
})

test_that("ds_table equals dosesim table --format csv", {
    for (options in list(list(design = "boin", target = 0.3, max_n = 18),
                         list(design = "i3+3", max_n = 12),
                         list(design = "boin", extrasafe = TRUE))) {
        args <- unlist(lapply(names(options), function(n) {
            value <- options[[n]]
            flag <- paste0("--", gsub("_", "-", n))
            if (isTRUE(value)) flag else c(flag, as.character(value))
        }))
        text <- run_program(c("table", args, "--format", "csv"))
        mine <- do.call(ds_table, options)
        path <- tempfile(fileext = ".csv")
        ds_write_csv(mine, path)
        expect_identical(rawToChar(file_bytes(path)), text)
        unlink(path)
    }
})

test_that("ds_trace equals dosesim trace --format csv, and the trial of the run", {
    for (timing in list(character(0), c("--accrual", "3", "--dropout", "0.2"))) {
        for (trial in c(1, 17, 5000)) {
            text <- run_program(c("trace", tifcemalimab(), "--scenario", "expected", "--seed",
                                  "9", "--trial", trial, timing, "--format", "csv"))
            t <- if (length(timing) == 0) {
                ds_trace(tifcemalimab(), "expected", seed = 9, trial = trial)
            } else {
                ds_trace(tifcemalimab(), "expected", seed = 9, trial = trial, accrual = 3,
                         dropout = 0.2)
            }
            path <- tempfile(fileext = ".csv")
            ds_write_csv(t, path)
            expect_identical(rawToChar(file_bytes(path)), text)
            unlink(path)
            expect_true(tail(t$next_action[!is.na(t$next_action)], 1) %in% c("select", "stop"))
        }
    }
})
