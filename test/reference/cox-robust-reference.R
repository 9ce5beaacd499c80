# Reference values for analyses/cox-robust.ts (test/analyses/cox-robust.test.ts).
# Run: Rscript test/reference/cox-robust-reference.R > test/reference/cox-robust-reference.out
# R 4.2.2, survival 3.5-3 (Debian r-cran-survival). survival::rats: 300 rats in 100 litters.
library(survival)
options(digits = 15)
cat("survival", as.character(packageVersion("survival")), "\n")
f1 <- coxph(Surv(time, status) ~ rx, data = rats, cluster = litter, ties = "efron")
cat("rx: coef", f1$coefficients, "\n")
cat("rx: robust se", sqrt(diag(f1$var)), "\n")
cat("rx: naive se", sqrt(diag(f1$naive.var)), "\n")
cat("rx: robust score", f1$rscore, "\n")
r2 <- transform(rats, male = as.numeric(sex == "m"))
f2 <- coxph(Surv(time, status) ~ rx + male, data = r2, cluster = litter, ties = "efron")
cat("rx+male: coef", f2$coefficients, "\n")
cat("rx+male: robust var", f2$var, "\n")
cat("rx+male: robust score", f2$rscore, "\n")
