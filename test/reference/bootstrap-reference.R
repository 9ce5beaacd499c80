# Reference values for analyses/bootstrap-correlation.ts with R's boot package, on mtcars (wt, mpg).
# The acceleration (jackknife influence values) and norm.inter are deterministic; the intervals
# agree only to Monte Carlo error. Run: Rscript test/reference/bootstrap-reference.R
suppressMessages(library(boot))
options(digits = 17)
set.seed(20261122)
d <- mtcars[, c("wt", "mpg")]
b <- boot(d, function(d, i) cor(d$wt[i], d$mpg[i]), R = 20000)
L <- empinf(b, type = "jack")
cat("acceleration sum(L^3)/(6*sum(L^2)^1.5), L = empinf(b, type = 'jack'):", sum(L^3) / (6 * sum(L^2)^1.5), "\n")
ci <- boot.ci(b, type = c("perc", "bca"), L = L)
cat("boot.ci percentile (R = 20000):", ci$percent[4:5], "\n")
cat("boot.ci bca (R = 20000, L jack):", ci$bca[4:5], "\n")
cat("bias correction qnorm(mean(t < t0)):", qnorm(mean(b$t < b$t0)), "\n")
t <- (1:99)^2 / 100
cat("boot:::norm.inter((1:99)^2/100, c(0.025, 0.975, 0.5, 0.013)):", boot:::norm.inter(t, c(0.025, 0.975, 0.5, 0.013))[, 2], "\n")
