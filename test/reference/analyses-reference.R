# Reference values for test/analyses/*.test.ts, computed once with R (not needed to run the tests).
# Run: Rscript test/reference/analyses-reference.R
options(digits = 17)
x <- mtcars$wt; y <- mtcars$mpg
cat("mtcars$wt:", deparse(x), "\nmtcars$mpg:", deparse(y), "\n")
p <- cor.test(x, y, method = "pearson")
cat("cor.test(wt, mpg, method='pearson'): r =", p$estimate, " t =", p$statistic, " p =", p$p.value, " ci =", p$conf.int, "\n")
p90 <- cor.test(x, y, method = "pearson", conf.level = 0.90)
cat("cor.test(wt, mpg, conf.level=0.90): ci =", p90$conf.int, "\n")
s <- suppressWarnings(cor.test(x, y, method = "spearman", exact = FALSE))
cat("cor.test(wt, mpg, method='spearman', exact=FALSE): rho =", s$estimate, " p =", s$p.value, "\n")
cat("rank(c(10, 20, 20, 5)):", rank(c(10, 20, 20, 5)), "\n")
cat("coef(lm(mpg ~ wt)):", coef(lm(y ~ x)), "\n")
for (xn in list(c(81, 263), c(0, 20), c(20, 20), c(1, 3))) {
  ci <- prop.test(xn[1], xn[2], correct = FALSE)$conf.int
  cat(sprintf("prop.test(%d, %d, correct=FALSE)$conf.int:", xn[1], xn[2]), format(ci, digits = 17), "\n")
}
ci90 <- prop.test(81, 263, correct = FALSE, conf.level = 0.9)$conf.int
cat("prop.test(81, 263, correct=FALSE, conf.level=0.9)$conf.int:", format(ci90, digits = 17), "\n")
