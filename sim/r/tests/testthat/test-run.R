# ds_run against dosesim run: the same seed gives the same files, byte for
# byte, whatever the threads, with and without calendar time.
test_that("ds_run equals dosesim run byte for byte (seed 20261201, 40,000 trials)", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    cli <- file.path(dir, "cli")
    run_program(c("run", tifcemalimab(), "--trials", "40000", "--seed", "20261201",
                  "--threads", "1", "--out", cli, "--quiet"))
    for (threads in c(1, 2)) {
        r <- ds_run(tifcemalimab(), trials = 40000, seed = 20261201, threads = threads)
        expect_same_files(r, cli)
    }
})

test_that("with calendar time and another design too", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    calendar <- c("--accrual", "3", "--dropout", "0.05", "--dlt-onset", "weibull:2")
    for (design in c("3+3", "rolling6")) {
        cli <- file.path(dir, design)
        run_program(c("run", tifcemalimab(), "--design", design, "--trials", "20000",
                      "--seed", "7", calendar, "--out", cli, "--quiet"))
        r <- ds_run(tifcemalimab(), design = design, trials = 20000, seed = 7, accrual = 3,
                    dropout = 0.05, dlt_onset = "weibull:2")
        expect_same_files(r, cli)
        expect_gt(nrow(r$duration), 0L)
    }
})

test_that("progress is reported when asked, and only then", {
    quiet <- testthat::capture_messages(ds_run(tifcemalimab(), trials = 2e7, threads = 1))
    expect_length(quiet, 0L)
    said <- paste(capture.output(invisible(ds_run(tifcemalimab(), trials = 2e7, threads = 1,
                                                  progress = TRUE)), type = "message"),
                  collapse = "\n")
    expect_match(said, "dosesim run: [0-9]+ trials simulated")
})

test_that("a round seed of 1e15 is passed and written whole, as the program writes it", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    cli <- file.path(dir, "cli")
    run_program(c("run", tifcemalimab(), "--trials", "2000", "--seed", "1000000000000000",
                  "--out", cli, "--quiet"))
    r <- ds_run(tifcemalimab(), trials = 2000, seed = 1e15)
    expect_identical(r$summary$seed[1], 1e15)
    expect_same_files(r, cli)
})
