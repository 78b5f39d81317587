# R's interrupt stops a long run: in a child R, SIGINT arrives a second into a
# run of 10^10 trials on two threads; the run ends within seconds as an
# "interrupt" condition, the threads it started are gone, its open files
# closed, and the session goes on to a normal call.
test_that("an interrupt stops a long run and leaves no thread behind", {
    skip_on_os(c("windows", "mac", "solaris"))  # /proc/self/task is Linux's
    rscript <- file.path(R.home("bin"), "Rscript")
    script <- tempfile(fileext = ".R")
    on.exit(unlink(script))
    writeLines(c(
        "library(dosesim)",
        "file <- system.file('extdata', 'tifcemalimab.csv', package = 'dosesim')",
        "invisible(ds_exact(file))",
        "threads <- function() length(list.files('/proc/self/task'))",
        "fds <- function() length(list.files('/proc/self/fd'))",
        "before <- c(threads(), fds())",
        "system(sprintf(\"sh -c 'sleep 1; kill -INT %d' >/dev/null 2>&1 &\", Sys.getpid()))",
        "started <- Sys.time()",
        "how <- tryCatch({ ds_run(file, trials = 1e10, threads = 2); 'finished' },",
        "                interrupt = function(e) 'interrupted')",
        "took <- as.numeric(difftime(Sys.time(), started, units = 'secs'))",
        "Sys.sleep(0.2)",
        "after <- c(threads(), fds())",
        "ok <- inherits(ds_exact(file), 'dosesim_results')",
        "cat(how, took, before, after, ok, '\\n')"), script)
    out <- system2(rscript, c("--vanilla", shQuote(script)), stdout = TRUE, stderr = TRUE,
                   env = c("R_TESTS=", paste0("R_LIBS=", shQuote(paste(.libPaths(), collapse = ":")))))
    words <- strsplit(trimws(tail(out, 1)), " +")[[1]]
    expect_identical(words[1], "interrupted", info = paste(out, collapse = "\n"))
    expect_lt(as.numeric(words[2]), 20)                 # 10^10 trials take hours
    expect_identical(words[5], words[3], info = "threads after the run, and before")
    expect_identical(words[6], words[4], info = "open files after the run, and before")
    expect_identical(words[7], "TRUE")
})
