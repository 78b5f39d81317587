library(testthat)
library(dosesim)

test_check("dosesim")
