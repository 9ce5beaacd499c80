# The demo's partial correlation, Holm adjustment over the primary five, bootstrap CIs, power, and
# per-site correlations with their random-effects pooling, recomputed in R from data/demo/*.csv
# (derivation in demo-derive.R). Writes test/reference/demo-family-reference.json for test/e2e/demo.test.ts.
# Run from the repository root: Rscript test/reference/demo-family-reference.R   (about 10 s: boot R = 20,000)
suppressMessages({ library(psych); library(boot); library(metafor) })
cutoff <- as.Date("2025-12-31")
source("test/reference/demo-derive.R")
# Partial r of early alliance with the last outcome given the first (episodes with at least one outcome rating).
ok <- !is.na(a$last) & !is.na(a$first)
dd <- data.frame(x = a$early[ok], y = a$last[ok], z = a$first[ok])
pr <- psych::partial.r(dd, c(1, 2), 3)[1, 2]
nd <- nrow(dd)
tp <- pr * sqrt((nd - 3) / (1 - pr^2))
ci <- psych::r.con(pr, nd - 1)
partial <- list(r_call = "psych::partial.r(data.frame(early, last, first), c(1, 2), 3); psych::r.con(r, n - 1)", n = nd, df = nd - 3,
  estimate = pr, t = tp, p = 2 * pt(-abs(tp), nd - 3), ci_low = ci[1], ci_high = ci[2],
  lm_t = summary(lm(y ~ x + z, data = dd))$coefficients["x", "t value"])
# Holm over the five primary tests: Pearson and Spearman with change and last, then the partial r.
p5 <- c()
for (y in c("change", "last")) {
  o <- !is.na(a[[y]])
  p5 <- c(p5, cor.test(a$early[o], a[[y]][o])$p.value, suppressWarnings(cor.test(a$early[o], a[[y]][o], method = "spearman", exact = FALSE))$p.value)
}
p5 <- c(p5, partial$p)
holm <- list(r_call = "p.adjust(c(pearson change, spearman change, pearson last, spearman last, partial), 'holm')", p_holm = p.adjust(p5, "holm"))
# Bootstrap of r(early, change): R = 20,000 with set.seed(1); ours uses B = 2,000 with its own generator.
m <- a[!is.na(a$change), c("early", "change")]
set.seed(1)
b <- boot(m, function(d, i) cor(d$early[i], d$change[i]), R = 20000)
bci <- boot.ci(b, type = c("perc", "bca"), L = empinf(b, type = "jack"))
bootstrap <- list(r_call = "boot.ci(boot(pairs, cor, R = 20000), type = c('perc', 'bca'), L = empinf(type = 'jack'))",
  percentile = bci$percent[4:5], bca = bci$bca[4:5])
# Power (pwr.r.test's power function, solved tightly).
pw <- function(n, r, a = 0.05) { ttt <- qt(a/2, df = n - 2, lower = FALSE); rc <- sqrt(ttt^2/(ttt^2 + n - 2)); zr <- atanh(r) + r/(2 * (n - 1)); zrc <- atanh(rc); pnorm((zr - zrc) * sqrt(n - 3)) + pnorm((-zr - zrc) * sqrt(n - 3)) }
nc <- nrow(m)
power <- list(r_call = "uniroot(pwr.r.test power - 0.8)", n = nc,
  smallest_detectable_r = uniroot(function(r) pw(nc, r) - 0.8, c(1e-10, 1 - 1e-10), tol = 1e-14)$root,
  pairs_needed_for_benchmark = ceiling(uniroot(function(n) pw(n, 0.278) - 0.8, c(4 + 1e-10, 1e9), tol = 1e-12)$root))
# Sites: cor.test per site (sorted by name) and metafor::rma(REML) on Fisher z.
s <- a[!is.na(a$change), ]
sites <- lapply(sort(unique(s$Site)), function(site) {
  x <- s[s$Site == site, ]
  ct <- cor.test(x$early, x$change)
  list(site = site, n = nrow(x), r = unname(ct$estimate), ci_low = ct$conf.int[1], ci_high = ct$conf.int[2])
})
es <- escalc(measure = "ZCOR", ri = vapply(sites, function(x) x$r, 0), ni = vapply(sites, function(x) x$n, 0))
fit <- rma(yi, vi, data = es, method = "REML", control = list(tol = 1e-12))
pooled <- list(r_call = "rma(escalc('ZCOR', ri, ni), method = 'REML')", r = tanh(fit$b[1]), ci_low = tanh(fit$ci.lb), ci_high = tanh(fit$ci.ub),
  tau2 = fit$tau2, i2 = fit$I2, q = fit$QE, q_p = fit$QEp)
out <- list(generated_by = paste("test/reference/demo-family-reference.R with", R.version.string),
  partial = partial, holm = holm, bootstrap = bootstrap, power = power, sites = sites, sites_reml = pooled)
source("test/reference/json.R")
writeLines(json(out), "test/reference/demo-family-reference.json")
cat(json(out), "\n")
