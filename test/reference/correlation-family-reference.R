# Reference values for the partial correlation, Holm adjustment and power analyses (issue 5),
# on mtcars (the demo's are in demo-family-reference.R). Run from the repository root: Rscript test/reference/correlation-family-reference.R
suppressMessages({ library(psych); library(pwr) })
options(digits = 17)
# Partial correlation of mpg and wt controlling for hp (mtcars).
d <- mtcars[, c("wt", "mpg", "hp")]
pr <- psych::partial.r(d, c(1, 2), 3)[1, 2]
fit <- summary(lm(mpg ~ wt + hp, data = d))$coefficients
n <- nrow(d)
t <- pr * sqrt((n - 3) / (1 - pr^2))
cat("psych::partial.r(mtcars[, c('wt','mpg','hp')], c(1, 2), 3):", pr, "\n")
cat("t (df = n - 3) from the partial r:", t, "  lm(mpg ~ wt + hp) t for wt:", fit["wt", "t value"], "\n")
cat("p = 2 * pt(-|t|, n - 3):", 2 * pt(-abs(t), n - 3), "  lm p:", fit["wt", "Pr(>|t|)"], "\n")
cat("psych::r.con(pr, n - 1) (Fisher z, se = 1/sqrt(n - 4)):", psych::r.con(pr, n - 1), "\n")
cat("hp:", deparse(mtcars$hp), "\n")
# Holm
p <- c(0.01, 0.04, 0.03, 0.005, 0.2)
cat("p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), 'holm'):", p.adjust(p, "holm"), "\n")
# Power: pwr.r.test's power function, and its inverse solved tightly with the same function.
pw <- function(n, r, a = 0.05) { ttt <- qt(a/2, df = n - 2, lower = FALSE); rc <- sqrt(ttt^2/(ttt^2 + n - 2)); zr <- atanh(r) + r/(2 * (n - 1)); zrc <- atanh(rc); pnorm((zr - zrc) * sqrt(n - 3)) + pnorm((-zr - zrc) * sqrt(n - 3)) }
cat("pwr.r.test(n = 538, r = 0.2)$power:", pwr.r.test(n = 538, r = 0.2)$power, "  formula:", pw(538, 0.2), "\n")
cat("smallest r at 80% power, n = 538 (uniroot tol 1e-14):", uniroot(function(r) pw(538, r) - 0.8, c(1e-10, 1 - 1e-10), tol = 1e-14)$root,
    "  pwr.r.test(n = 538, power = 0.8)$r:", pwr.r.test(n = 538, power = 0.8)$r, "\n")
cat("n for r = .278 at 80% power (uniroot tol 1e-12):", uniroot(function(n) pw(n, 0.278) - 0.8, c(4 + 1e-10, 1e9), tol = 1e-12)$root,
    "  pwr.r.test(r = 0.278, power = 0.8)$n:", pwr.r.test(r = 0.278, power = 0.8)$n, "\n")
