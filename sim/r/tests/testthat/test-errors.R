# Bad input is an R error carrying the program's message: the data frame's
# row and field, the file, the option; the session goes on.
test_that("a bad p_dlt in a data frame names its row and field", {
    frame <- utils::read.csv(tifcemalimab(), stringsAsFactors = FALSE)
    frame$p_dlt[2] <- 1.5
    err <- tryCatch(ds_exact(frame), dosesim_error = function(e) e)
    expect_s3_class(err, "dosesim_error")
    expect_match(conditionMessage(err), "the scenarios data frame, row 2", fixed = TRUE)
    expect_match(conditionMessage(err), "p_dlt", fixed = TRUE)
    expect_false(grepl(tempdir(), conditionMessage(err), fixed = TRUE))
})

test_that("a missing file, an unknown option, a bad value are errors naming them", {
    expect_error(ds_exact(file.path(tempdir(), "no-such-file.csv")), "no-such-file.csv",
                 class = "dosesim_error")
    expect_error(ds_exact(tifcemalimab(), no_such_option = 1), "--no-such-option",
                 class = "dosesim_error")
    expect_error(ds_run(tifcemalimab(), trials = 100, accrual = -3), "--accrual",
                 class = "dosesim_error")
    expect_error(ds_exact(tifcemalimab(), design = "boin", max_n = 13), "--max-n",
                 class = "dosesim_error")
    expect_error(ds_paths(tifcemalimab(), "no such scenario"), "no such scenario",
                 class = "dosesim_error")
    expect_error(ds_exact(tifcemalimab(), NULL, 3), "named")
    # what the functions set themselves is refused, not silently overridden
    expect_error(ds_paths(tifcemalimab(), "expected", out = "-"), "ds_paths sets it itself")
    expect_error(ds_run(tifcemalimab(), trials = 10, shard = "1/2"), "shard")
    # --optimise needs p_response: the file, line and field
    expect_error(ds_exact(tifcemalimab(), optimise = 20),
                 "tifcemalimab.csv:2: field 'p_response'", fixed = TRUE, class = "dosesim_error")
    frame <- utils::read.csv(tifcemalimab(), stringsAsFactors = FALSE)
    frame$p_response <- 0.5
    frame$p_response[3] <- -0.1
    expect_error(ds_exact(frame), "the scenarios data frame, row 3: field 'p_response'",
                 fixed = TRUE, class = "dosesim_error")
    expect_error(ds_exact(42), "data frame")
})

test_that("after errors, the next call works and nothing is left in the temporary folder", {
    before <- list.files(tempdir(), pattern = "^dosesim-")
    try(ds_exact(tifcemalimab(), design = "nonsense"), silent = TRUE)
    x <- ds_exact(tifcemalimab())
    expect_s3_class(x, "dosesim_results")
    expect_identical(list.files(tempdir(), pattern = "^dosesim-"), before)
})
