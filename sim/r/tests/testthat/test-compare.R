test_that("ds_compare equals dosesim compare on the same result sets", {
    dir <- tempfile("dosesim-test-")
    dir.create(dir)
    on.exit(unlink(dir, recursive = TRUE), add = TRUE)
    a <- ds_exact(tifcemalimab(), target = 0.3)
    b <- ds_exact(tifcemalimab(), design = "boin", max_n = 12, target = 0.3)
    ds_write_results(a, file.path(dir, "a"))
    ds_write_results(b, file.path(dir, "b"))
    run_program(c("compare", file.path(dir, "a"), file.path(dir, "b"), "--out",
                  file.path(dir, "cmp"), "--format", "svg"))
    cli <- file.path(dir, "cmp", "comparison.csv")
    # folders as given: the very file
    from_folders <- ds_compare(file.path(dir, "a"), file.path(dir, "b"))
    mine <- file.path(dir, "mine.csv")
    ds_write_csv(from_folders, mine)
    expect_identical(file_bytes(mine), file_bytes(cli))
    # result sets: the same rows, the folder column holding their names
    from_sets <- ds_compare(a = a, b = b)
    expect_identical(from_sets$folder,
                     c(a = "a", b = "b")[basename(from_folders$folder)], ignore_attr = TRUE)
    from_sets$folder <- from_folders$folder
    expect_identical(from_sets, from_folders)
})
