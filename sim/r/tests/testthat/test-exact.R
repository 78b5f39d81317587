# ds_exact against dosesim exact on the same file, for the 3+3, the rolling
# six's untimed cousin 3+3+3 and BOIN: numbers within 1e-12 by base R's
# reader, and the files byte for byte once written.
test_that("ds_exact equals dosesim exact, to 1e-12 and byte for byte", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    designs <- list(list(args = character(0), options = list()),
                    list(args = c("--design", "3+3+3", "--deescalate", "no"),
                         options = list(design = "3+3+3", deescalate = "no")),
                    list(args = c("--design", "boin", "--max-n", "12", "--target", "0.3"),
                         options = list(design = "boin", max_n = 12, target = 0.3)))
    for (k in seq_along(designs)) {
        out <- file.path(dir, sprintf("cli%d", k))
        run_program(c("exact", tifcemalimab(), designs[[k]]$args, "--out", out, "--quiet"))
        x <- do.call(ds_exact, c(list(tifcemalimab()), designs[[k]]$options))
        expect_s3_class(x, "dosesim_results")
        for (name in c("summary", "doses", "sample_size", "duration", "optimisation")) {
            expect_matches_csv(x[[name]], file.path(out, paste0(name, ".csv")))
        }
        expect_same_files(x, out)
    }
})

test_that("response and the randomised stage: optimisation equals the program's", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    file <- system.file("extdata", "tifcemalimab_response.csv", package = "dosesim")
    out <- file.path(dir, "cli")
    run_program(c("exact", file, "--optimise", "20", "--delta", "0.15", "--out", out, "--quiet"))
    x <- ds_exact(file, optimise = 20, delta = 0.15)
    expect_matches_csv(x$optimisation, file.path(out, "optimisation.csv"))
    expect_same_files(x, out)
    expect_identical(nrow(x$optimisation), 12L)
    timed <- file.path(dir, "timed")
    run_program(c("run", file, "--optimise", "40", "--trials", "20000", "--seed", "3",
                  "--accrual", "3", "--dropout", "0.1", "--out", timed, "--quiet"))
    expect_same_files(ds_run(file, optimise = 40, trials = 20000, seed = 3, accrual = 3,
                             dropout = 0.1), timed)
    # backfill: the same files, its columns numbers, the patients split as they add up
    backfilled <- file.path(dir, "backfilled")
    run_program(c("run", file, "--optimise", "20", "--trials", "20000", "--seed", "3",
                  "--accrual", "3", "--backfill-max", "6", "--out", backfilled, "--quiet"))
    b <- ds_run(file, optimise = 20, trials = 20000, seed = 3, accrual = 3, backfill_max = 6)
    expect_same_files(b, backfilled)
    expect_type(b$summary$mean_n_backfilled, "double")
    expect_true(all(b$summary$mean_n_backfilled > 0))
    expect_equal(b$optimisation$mean_n_overall,
                 b$optimisation$mean_n_escalation + b$optimisation$mean_n_backfilled +
                     b$optimisation$mean_n_randomised, tolerance = 1e-12)
})

test_that("a data frame of scenarios gives what its file gives", {
    from_file <- ds_exact(tifcemalimab())
    frame <- utils::read.csv(tifcemalimab(), stringsAsFactors = FALSE)
    from_frame <- ds_exact(frame)
    # the run_id hashes the scenarios' contents, not the file: the same
    expect_identical(from_frame, from_file)
    one <- ds_exact(frame, scenario = "expected")
    expect_identical(unique(one$summary$scenario), "expected")
})

test_that("columns are typed as the contract types them", {
    x <- ds_exact(tifcemalimab())
    expect_type(x$summary$n_trials, "integer")
    expect_type(x$summary$seed, "integer")
    expect_type(x$doses$dose_level, "integer")
    expect_type(x$doses$p_dlt, "double")
    expect_type(x$doses$prob_rp2d, "double")
    expect_type(x$doses$dose_label, "character")
    expect_type(x$summary$run_id, "character")
    # empty cells are NA: the none row has no p_dlt
    expect_true(all(is.na(x$doses$p_dlt[x$doses$dose_level == 0L])))
    # probabilities of a scenario's rows sum to 1
    sums <- tapply(x$doses$prob_rp2d, x$doses$scenario, sum)
    expect_lte(max(abs(as.vector(sums) - 1)), 1e-12)
})
