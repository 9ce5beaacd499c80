# Reference values for analyses/random-effects.ts: metafor on dat.molloy2014 (Molloy, O'Carroll &
# Ferguson 2014, conscientiousness and medication adherence; 16 correlations). REML is run to a
# tight threshold so that it can be compared to many digits. Run: Rscript test/reference/meta-reference.R
suppressMessages(library(metafor))
options(digits = 17)
d <- get(data("dat.molloy2014"))
cat("ri:", deparse(d$ri), "\nni:", deparse(d$ni), "\n")
dat <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = d)
for (m in c("REML", "DL")) {
  res <- rma(yi, vi, data = dat, method = m, control = list(threshold = 1e-12, maxiter = 10000))
  pr <- predict(res)
  prr <- predict(res, transf = transf.ztor)
  cat(sprintf("rma(yi, vi, method = '%s'):", m), "b =", res$b[1], " se =", res$se, " ci =", res$ci.lb, res$ci.ub,
      " tau2 =", res$tau2, " I2 =", res$I2, " H2 =", res$H2, " QE =", res$QE, " QEp =", res$QEp,
      " pi (z) =", pr$pi.lb, pr$pi.ub, " r =", prr$pred, " r ci =", prr$ci.lb, prr$ci.ub, " r pi =", prr$pi.lb, prr$pi.ub, "\n")
}
# Egger's regression test (Egger et al. 1997): weighted regression of yi on sei, test of the slope.
eg <- regtest(rma(yi, vi, data = dat), model = "lm")
cat("regtest(rma(yi, vi), model = 'lm'): t =", eg$zval, " df =", eg$dfs, " p =", eg$pval, " bias b =", coef(summary(eg$fit))[2, 1], " se =", coef(summary(eg$fit))[2, 2], " limit estimate =", eg$est, " ci =", eg$ci.lb, eg$ci.ub, "\n")
cat("sum(ni) =", sum(d$ni), "\n")
# The study table shipped as data/meta/molloy2014.csv (written once by this script).
write.csv(data.frame(study = d$authors, year = d$year, n = d$ni, r = d$ri, design = d$design, adherence_measure = d$a_measure, mean_age = d$meanage),
  "data/meta/molloy2014.csv", row.names = FALSE)
# Subgroups by design (alliance meta --by design): REML within each level.
for (lev in sort(unique(dat$design))) {
  res <- rma(yi, vi, data = dat, subset = design == lev, method = "REML", control = list(threshold = 1e-12, maxiter = 10000))
  prr <- predict(res, transf = transf.ztor)
  cat(sprintf("rma(yi, vi, subset = design == '%s'):", lev), "k =", res$k, " r =", prr$pred, " r ci =", prr$ci.lb, prr$ci.ub, " tau2 =", res$tau2, " I2 =", res$I2, "\n")
}
# Each study's share of the REML weight, in percent (weights(res)).
cat("weights(rma REML) =", deparse(unname(weights(rma(yi, vi, data = dat, method = "REML", control = list(threshold = 1e-12))))), "\n")
