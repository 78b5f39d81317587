# The program the package is checked against: DOSESIM names it (make check and
# make r-check set it to the program built from the same sources); without it
# the tests that compare with it are skipped, and say so.
dosesim_program <- function() {
    program <- Sys.getenv("DOSESIM")
    if (!nzchar(program) || !file.exists(program)) {
        skip("DOSESIM does not name the dosesim program (make check sets it)")
    }
    normalizePath(program)
}

tifcemalimab <- function() system.file("extdata", "tifcemalimab.csv", package = "dosesim")

# Run the program; its standard output, or a test failure with its messages.
run_program <- function(args) {
    out <- tempfile()
    err <- tempfile()
    on.exit(unlink(c(out, err)))
    status <- system2(dosesim_program(), shQuote(args), stdout = out, stderr = err)
    if (status != 0) {
        stop(sprintf("dosesim %s failed: %s", args[[1]], paste(readLines(err), collapse = "\n")))
    }
    rawToChar(readBin(out, "raw", file.size(out) + 1L))
}

file_bytes <- function(path) readBin(path, "raw", file.size(path))

# Every file of the program's result set in cli_dir equals, byte for byte,
# what ds_write_results writes of the package's result set.
expect_same_files <- function(results, cli_dir) {
    mine <- tempfile("dosesim-mine-")
    on.exit(unlink(mine, recursive = TRUE))
    ds_write_results(results, mine)
    for (name in c("summary.csv", "doses.csv", "sample_size.csv", "duration.csv",
                  "optimisation.csv")) {
        expect_identical(file_bytes(file.path(mine, name)), file_bytes(file.path(cli_dir, name)),
                         label = sprintf("%s, as ds_write_results writes it", name),
                         expected.label = sprintf("the program's %s", name))
    }
}

# A data frame and the program's CSV, read by base R's reader (not the
# package's): the same columns; numbers within tolerance, text the same.
expect_matches_csv <- function(frame, path, tolerance = 1e-12) {
    theirs <- utils::read.csv(path, stringsAsFactors = FALSE, check.names = FALSE,
                              na.strings = "", colClasses = "character")
    expect_identical(names(frame), names(theirs))
    expect_identical(nrow(frame), nrow(theirs))
    for (column in names(frame)) {
        mine <- frame[[column]]
        cells <- theirs[[column]]
        if (is.numeric(mine)) {
            numbers <- as.numeric(cells)
            expect_identical(is.na(mine), is.na(numbers), label = paste(column, "empty cells"))
            both <- !is.na(mine) & !is.na(numbers)
            expect_lte(max(c(0, abs(mine[both] - numbers[both]))), tolerance, label = column)
        } else {
            expect_identical(as.character(mine), cells, label = column)
        }
    }
}
