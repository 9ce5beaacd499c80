# Other predictors and outcomes on the demo, recomputed in R from data/demo/*.csv (derivation in
# demo-derive.R): cor.test for early/mean/last alliance and the early score of each subscale and of
# therapist-rated alliance × change/last/residualized change, Holm over all of them, the agreement of
# therapist- with client-rated early alliance, and Jacobson–Truax categories by tier. Writes test/reference/demo-predictors-reference.json.
# Run from the repository root: Rscript test/reference/demo-predictors-reference.R
cutoff <- as.Date("2025-12-31")
source("test/reference/demo-derive.R")
m <- a[!is.na(a$change), ]
fit <- lm(last ~ first, data = m)
a$resid <- NA
a$resid[!is.na(a$change)] <- resid(fit)
xs <- c(early_alliance = "early", mean_alliance = "mean_alliance", last_alliance = "last_alliance",
        setNames(paste0("early_", names(components)), paste0("early_", names(components))))
ys <- c(outcome_change = "change", outcome_last = "last", outcome_residualized = "resid")
cors <- list()
for (x in names(xs)) for (y in names(ys)) {
  ok <- !is.na(a[[xs[[x]]]]) & !is.na(a[[ys[[y]]]])
  ct <- cor.test(a[[xs[[x]]]][ok], a[[ys[[y]]]][ok])
  cors[[length(cors) + 1]] <- list(x = x, y = y, n = sum(ok), estimate = unname(ct$estimate), ci_low = ct$conf.int[1], ci_high = ct$conf.int[2],
    p = ct$p.value, r_call = sprintf("cor.test(%s, %s)", x, y))
}
holm <- p.adjust(vapply(cors, function(c) c$p, 0), "holm")
for (i in seq_along(cors)) cors[[i]]$p_holm <- holm[i]
ok <- !is.na(a$early) & !is.na(a$early_rater_therapist)
ag <- cor.test(a$early_rater_therapist[ok], a$early[ok])
agreement <- list(r_call = "cor.test(early_rater_therapist, early_alliance)", n = sum(ok), estimate = unname(ag$estimate),
  ci_low = ag$conf.int[1], ci_high = ag$conf.int[2], p = ag$p.value)
# Jacobson & Truax (1991): S_diff = sqrt(2) * sd(first) * sqrt(1 - rxx); reliable when |change| / S_diff > 1.96.
rxx <- 0.93; cut <- 25
sdiff <- sqrt(2) * sd(m$first) * sqrt(1 - rxx)
rc <- (m$last - m$first) / sdiff
cat_ <- ifelse(rc > 1.96, ifelse(m$first < cut & m$last >= cut, "recovered", "improved"), ifelse(rc < -1.96, "deteriorated", "unchanged"))
count <- function(sel) { t <- table(factor(cat_[sel], levels = c("recovered", "improved", "unchanged", "deteriorated"))); c(list(n = sum(sel)), as.list(setNames(as.numeric(t), names(t)))) }
jt <- lapply(c("low", "moderate", "high"), function(t) c(list(tier = t), count(m$tier == t)))
jt[[4]] <- c(list(tier = "All"), count(rep(TRUE, nrow(m))))
out <- list(generated_by = paste("test/reference/demo-predictors-reference.R with", R.version.string),
  residualized_fit = list(r_call = "lm(last ~ first) on episodes with a change score", n = nrow(m), intercept = unname(coef(fit)[1]), slope = unname(coef(fit)[2])),
  correlations = cors,
  rater_agreement = agreement,
  reliable_change = list(sd_pre = sd(m$first), threshold_points = 1.96 * sdiff, rows = jt))
source("test/reference/json.R")
writeLines(json(out), "test/reference/demo-predictors-reference.json")
cat(json(out), "\n")
