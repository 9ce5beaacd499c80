# Independent recomputation of the demo's cluster-aware intervals (pipeline/phases/analyze/analyze-clustering.ts)
# from data/demo/*.csv, in R, with therapists (Clinician) as clusters. Writes test/reference/demo-clustering-reference.json.
# Run from the repository root: Rscript test/reference/demo-clustering-reference.R
cutoff <- as.Date("2025-12-31")
source("test/reference/demo-derive.R")

# Cluster jackknife of Fisher z: leave out one therapist's episodes at a time; the same leaving out single
# episodes; design effect = their variance ratio; CI = tanh(z ± qt(.975, G − 1) · se).
jackknife <- function(x, y, cl, stat = function(x, y) cor(x, y)) {
  z_leave <- function(groups) sapply(groups, function(g) atanh(stat(x[-g], y[-g])))
  se <- function(z) { G <- length(z); sqrt((G - 1) / G * sum((z - mean(z))^2)) }
  by_cluster <- split(seq_along(x), cl)
  se_c <- se(z_leave(by_cluster)); se_i <- se(z_leave(as.list(seq_along(x))))
  r <- stat(x, y); G <- length(by_cluster)
  list(n = length(x), clusters = G, estimate = r, se_z = se_c, design_effect = (se_c / se_i)^2,
       ci = tanh(atanh(r) + c(-1, 1) * qt(0.975, G - 1) * se_c))
}
rows <- list()
for (y in c("change", "last")) {
  ok <- !is.na(a[[y]])
  yname <- if (y == "change") "outcome_change" else "outcome_last"
  rows[[length(rows) + 1]] <- c(list(y = yname, method = "pearson", r_call = sprintf("jackknife(early, %s, Clinician)", yname)),
                                jackknife(a$early[ok], a[[y]][ok], a$Clinician[ok]))
  # Spearman as Pearson of the ranks of the pair's episodes, ranks held fixed.
  rx <- rank(a$early[ok]); ry <- rank(a[[y]][ok])
  rows[[length(rows) + 1]] <- c(list(y = yname, method = "spearman", r_call = sprintf("jackknife(rank(early), rank(%s), Clinician)", yname)),
                                jackknife(rx, ry, a$Clinician[ok]))
}
# Tier dropout rates (after Korn & Graubard 1998): Wilson on n* = n / design effect · (qnorm(.975) / qt(.975, G − 1))²,
# the design effect from the jackknife of the rate, G the therapists with closed episodes in the tier.
tiers <- lapply(c("low", "moderate", "high"), function(t) {
  x <- a[a$tier == t & a$closed, ]
  by <- split(seq_len(nrow(x)), x$Clinician)
  p <- mean(x$dropout)
  se <- function(v) { G <- length(v); sqrt((G - 1) / G * sum((v - mean(v))^2)) }
  se_c <- se(sapply(by, function(g) mean(x$dropout[-g]))); se_i <- se(sapply(seq_len(nrow(x)), function(i) mean(x$dropout[-i])))
  deff <- (se_c / se_i)^2; n_eff <- nrow(x) / deff
  z <- qnorm(0.975)
  n_df <- n_eff * (z / qt(0.975, length(by) - 1))^2
  ci <- (p + z^2 / (2 * n_df) + c(-1, 1) * z * sqrt(p * (1 - p) / n_df + z^2 / (4 * n_df^2))) / (1 + z^2 / n_df)
  list(tier = t, closed = nrow(x), rate = p, design_effect = deff, effective_n = min(nrow(x), n_eff), ci = ci,
       r_call = "Wilson interval on closed / deff * (qnorm(.975) / qt(.975, G - 1))^2, deff from the jackknife of the rate by Clinician")
})
out <- list(generated_by = paste("test/reference/demo-clustering-reference.R with", R.version.string), correlations = rows, dropout_by_tier = tiers)
source("test/reference/json.R")
writeLines(json(out), "test/reference/demo-clustering-reference.json")
cat(json(out), "\n")
