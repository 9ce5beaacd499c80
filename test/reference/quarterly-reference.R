# Reference values for the quarterly report's statistics (test/quarterly/*.test.ts).
# Run: Rscript test/reference/quarterly-reference.R > test/reference/quarterly-reference.json
library(survival); library(jsonlite)

# Spiegelhalter (2005) appendix A.1.1: exact binomial funnel limits with interpolation.
limit <- function(theta, n, p) {
  r <- qbinom(p, n, theta)                       # smallest r with P(R <= r) >= p
  alpha <- (pbinom(r, n, theta) - p) / (pbinom(r, n, theta) - pbinom(r - 1, n, theta))
  (r - alpha) / n
}
funnel <- do.call(rbind, lapply(c(10, 25, 50, 137, 400), function(n)
  data.frame(theta = 0.3, n = n,
             l95 = limit(0.3, n, 0.025), u95 = limit(0.3, n, 0.975),
             l998 = limit(0.3, n, 0.001), u998 = limit(0.3, n, 0.999))))

# Welch interval for a difference of means.
set.seed(1); x <- round(rnorm(23, 31, 5), 1); y <- round(rnorm(31, 33, 4), 1)
welch <- t.test(x, y)
# Zou (2007) difference of independent correlations from Fisher-z intervals (cor.test's).
zci <- function(r, n) tanh(atanh(r) + c(-1, 1) * qnorm(.975) / sqrt(n - 3))
zou <- function(r1, n1, r2, n2) { a <- zci(r1, n1); b <- zci(r2, n2); d <- r1 - r2
  c(d, d - sqrt((r1 - a[1])^2 + (b[2] - r2)^2), d + sqrt((a[2] - r1)^2 + (r2 - b[1])^2)) }
# Kaplan-Meier survival at day 60 in two groups (aml, survival package) and their difference.
fit <- survfit(Surv(time, status) ~ x, data = aml)
s <- summary(fit, times = 20)
km <- list(surv = s$surv, se = s$std.err, diff = s$surv[1] - s$surv[2],
           lo = s$surv[1] - s$surv[2] - qnorm(.975) * sqrt(sum(s$std.err^2)),
           hi = s$surv[1] - s$surv[2] + qnorm(.975) * sqrt(sum(s$std.err^2)))

cat(toJSON(list(
  funnel = funnel,
  welch = list(x = x, y = y, estimate = unname(mean(x) - mean(y)), ci = as.numeric(welch$conf.int)),
  zou = list(a = zou(0.45, 80, 0.20, 95), b = zou(-0.10, 40, 0.35, 200)),
  km = km
), digits = NA, auto_unbox = TRUE, pretty = TRUE))
