# README.md's R example runs as printed: the ```r block after the
# <!-- readme-r-example --> marker is run with Rscript from the checkout's
# root, and what it prints must be the block after it, line for line.
# Usage: Rscript tests/r/readme.R  (make check-r runs it after `make r`)
readme <- readLines("README.md", encoding = "UTF-8")
marker <- grep("^<!-- readme-r-example -->$", readme)
if (length(marker) != 1L) {
    stop("README.md: expected one <!-- readme-r-example --> marker, found ", length(marker))
}
fences <- grep("^```", readme)
fences <- fences[fences > marker]
if (length(fences) < 4L || readme[fences[1]] != "```r") {
    stop("README.md:", marker, ": the marker is not followed by a ```r block and an output block")
}
code <- readme[(fences[1] + 1L):(fences[2] - 1L)]
expected <- readme[(fences[3] + 1L):(fences[4] - 1L)]
script <- tempfile(fileext = ".R")
on.exit(unlink(script))
writeLines(code, script)
rscript <- file.path(R.home("bin"), "Rscript")
got <- system2(rscript, c("--vanilla", shQuote(script)), stdout = TRUE, stderr = FALSE)
status <- attr(got, "status")
if (!is.null(status) && status != 0) {
    stop("README.md's R example failed (status ", status, ")")
}
if (!identical(got, expected)) {
    n <- max(length(got), length(expected))
    first <- which(vapply(seq_len(n), function(i) !identical(got[i], expected[i]), TRUE))[1]
    cat("README.md's R example prints, from line", first, "of its output:\n",
        paste(got[first:min(length(got), first + 5L)], collapse = "\n"), "\n",
        "where README.md has:\n",
        paste(expected[first:min(length(expected), first + 5L)], collapse = "\n"), "\n")
    quit(status = 1)
}
cat(sprintf("README.md's R example: %d lines of code, its %d lines of output as printed\n",
            length(code), length(expected)))
