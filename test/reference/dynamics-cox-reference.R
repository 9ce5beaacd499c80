# Reference values for analyses/cox-counting.ts (test/analyses/cox-counting.test.ts): dropout on a
# time-dependent covariate (an unrepaired rupture open), in counting-process form built with
# survival::tmerge, fitted by coxph with Efron ties and therapist-clustered robust SEs.
# Writes the simulated episodes and changes next to this script, and prints the fit.
# Run: Rscript test/reference/dynamics-cox-reference.R > test/reference/dynamics-cox-reference.out
suppressMessages(library(survival))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
set.seed(20261208)
n <- 400
ep <- data.frame(id = 1:n, therapist = sample(1:45, n, replace = TRUE), time = sample(3:150, n, replace = TRUE))
ch <- do.call(rbind, lapply(1:n, function(i) {
  k <- sample(0:3, 1, prob = c(.4, .3, .2, .1))
  if (k == 0) return(NULL)
  data.frame(id = i, day = sort(sample(0:120, k)), value = rep(c(1, 0), length.out = k))
}))
# Dropout more likely while a rupture is open at the end of follow-up.
on_at_end <- sapply(1:n, function(i) {
  c <- ch[ch$id == i & ch$day < ep$time[i], ]
  if (nrow(c) == 0) 0 else tail(c$value, 1)
})
ep$dropout <- rbinom(n, 1, ifelse(on_at_end == 1, 0.6, 0.35))
write.csv(ep, file.path(here, "dynamics-cox-episodes.csv"), row.names = FALSE)
write.csv(ch, file.path(here, "dynamics-cox-changes.csv"), row.names = FALSE)
base <- tmerge(ep[, c("id", "therapist")], ep, id = id, dropout = event(time, dropout))
td <- tmerge(base, ch, id = id, unrepaired = tdc(day, value), options = list(tdcstart = 0))
fit <- coxph(Surv(tstart, tstop, dropout) ~ unrepaired, data = td, cluster = therapist, ties = "efron")
s <- summary(fit)
cat(sprintf("records %d\nevents %d\n", nrow(td), sum(td$dropout)))
cat(sprintf("coef %.15g\nse %.15g\nrobust_se %.15g\n", coef(fit), sqrt(fit$naive.var[1, 1]), sqrt(fit$var[1, 1])))
cat(sprintf("loglik0 %.15g\nloglik %.15g\n", fit$loglik[1], fit$loglik[2]))
cat(sprintf("score %.15g\nrobust_score %.15g\n", fit$score, fit$rscore))
