# Reference values for analyses/cluster-bootstrap.ts (test/analyses/cluster-bootstrap.test.ts).
# Run: Rscript test/reference/cluster-bootstrap-reference.R > test/reference/cluster-bootstrap-reference.out
# R 4.2.2, boot 1.3-28.1 (Debian r-cran-boot). datasets::ChickWeight: 578 weighings of 50 chicks;
# the correlation of weight with Time, chicks as clusters (a chick's weighings are not independent).
library(boot)
options(digits = 15)
cat("boot", as.character(packageVersion("boot")), "\n")
d <- ChickWeight
chicks <- unique(as.character(d$Chick))
rows <- split(seq_len(nrow(d)), as.character(d$Chick))[chicks]
# The cluster bootstrap: boot() resamples the 50 chick ids; each resample keeps a chick's rows whole.
stat <- function(ids, i) { r <- unlist(rows[ids[i]], use.names = FALSE); cor(d$weight[r], d$Time[r]) }
ends <- t(sapply(1:20, function(s) { set.seed(s); b <- boot(chicks, stat, R = 10000); boot.ci(b, type = "perc")$percent[4:5] }))
cat("percentile, mean over 20 seeds of B = 10000:", colMeans(ends), "\n")
cat("percentile, Monte Carlo SD of one B = 10000 run:", apply(ends, 2, sd), "\n")
# BCa acceleration from leave-one-chick-out values (boot::empinf(type = "jack") on the cluster-level data).
set.seed(1); b <- boot(chicks, stat, R = 2000)
L <- empinf(b, type = "jack")
cat("acceleration:", sum(L^3) / (6 * sum(L^2)^1.5), "\n")
# Cluster jackknife of Fisher z, and the same leaving out single weighings.
jack <- function(groups) {
  z <- sapply(groups, function(g) atanh(cor(d$weight[-g], d$Time[-g])))
  G <- length(z); sqrt((G - 1) / G * sum((z - mean(z))^2))
}
se_cluster <- jack(rows)
se_case <- jack(as.list(seq_len(nrow(d))))
cat("jackknife se of z, by chick:", se_cluster, "\n")
cat("jackknife se of z, by weighing:", se_case, "\n")
cat("design effect:", (se_cluster / se_case)^2, "\n")
r <- cor(d$weight, d$Time)
cat("r:", r, "\n")
cat("cluster jackknife CI:", tanh(atanh(r) + c(-1, 1) * qt(0.975, length(rows) - 1) * se_cluster), "\n")
