# make bench-peers: R's dose-finding packages on the scenarios dosesim's bench
# uses, where they are installed; one line per package, its speed in trials (or
# exact calculations) per second, for peers.sh to set dosesim beside.
#   BOIN (Yuan & Liu): get.oc, target 0.3, p = (0.10, 0.25, 0.40, 0.55, 0.70),
#     10 cohorts of 3 (the example of its manual);
#   bcrm (Sweeting & Mander): threep3, the 3+3's exact operating
#     characteristics by enumeration, p = (0.10, 0.25) and six doses;
#   escalation (Brock): get_three_plus_three and simulate_trials, p = (0.10, 0.25).
# A package that is not installed is said and skipped; never a failure.
args <- commandArgs(TRUE)
trials <- if (length(args) >= 1) as.integer(args[1]) else 2000L
have <- function(p) suppressWarnings(requireNamespace(p, quietly = TRUE))
seconds <- function(expr) {
  t <- system.time(expr)
  max(t[["elapsed"]], 1e-6)
}
if (have("BOIN")) {
  s <- seconds(invisible(capture.output(BOIN::get.oc(
    target = 0.3, p.true = c(0.10, 0.25, 0.40, 0.55, 0.70), ncohort = 10,
    cohortsize = 3, ntrial = trials, seed = 1))))
  cat(sprintf("BOIN %s get.oc: %d trials in %.2f s: %.4g trials/s\n",
              as.character(utils::packageVersion("BOIN")), trials, s, trials / s))
} else {
  cat("BOIN: not installed (skipped)\n")
}
if (have("bcrm")) {
  for (p in list(c(0.10, 0.25), c(0.05, 0.10, 0.15, 0.25, 0.35, 0.50))) {
    s <- seconds(invisible(capture.output(bcrm::threep3(truep = p))))
    cat(sprintf("bcrm %s threep3: exact, %d levels, %.3f s: %.4g per second\n",
                as.character(utils::packageVersion("bcrm")), length(p), s, 1 / s))
  }
} else {
  cat("bcrm: not installed (skipped)\n")
}
if (have("escalation")) {
  suppressMessages(library(escalation))
  design <- get_three_plus_three(num_doses = 2)
  set.seed(1)
  s <- seconds(simulate_trials(design, num_sims = trials, true_prob_tox = c(0.10, 0.25)))
  cat(sprintf("escalation %s 3+3: %d trials in %.2f s: %.4g trials/s\n",
              as.character(utils::packageVersion("escalation")), trials, s, trials / s))
} else {
  cat("escalation: not installed (skipped)\n")
}
