# Independent recomputation of the demo's results from data/demo/*.csv, in R, under the
# derivation rules of docs/data-contract.md. Writes test/reference/demo-reference.json,
# which test/e2e/demo-results.test.ts compares with the pipeline's results.json.
# Run from the repository root: Rscript test/reference/demo-reference.R
cutoff <- as.Date("2025-12-31")
source("test/reference/demo-derive.R")

cors <- list()
for (y in c("change", "last")) {
  ok <- !is.na(a[[y]])
  p <- cor.test(a$early[ok], a[[y]][ok], method = "pearson")
  s <- suppressWarnings(cor.test(a$early[ok], a[[y]][ok], method = "spearman", exact = FALSE))
  yname <- if (y == "change") "outcome_change" else "outcome_last"
  cors[[length(cors) + 1]] <- list(y = yname, method = "pearson", n = sum(ok), estimate = unname(p$estimate),
    ci_low = p$conf.int[1], ci_high = p$conf.int[2], p = p$p.value,
    r_call = sprintf("cor.test(early_alliance, %s, method = 'pearson')", yname))
  cors[[length(cors) + 1]] <- list(y = yname, method = "spearman", n = sum(ok), estimate = unname(s$estimate),
    p = s$p.value, r_call = sprintf("cor.test(early_alliance, %s, method = 'spearman', exact = FALSE)", yname))
}
tiers <- lapply(c("low", "moderate", "high"), function(t) {
  x <- a[a$tier == t, ]
  closed <- sum(x$closed); drop <- sum(x$dropout)
  ci <- prop.test(drop, closed, correct = FALSE)$conf.int
  list(tier = t, episodes = nrow(x), closed = closed, dropouts = drop, rate = drop / closed,
       ci_low = ci[1], ci_high = ci[2], r_call = sprintf("prop.test(%d, %d, correct = FALSE)$conf.int", drop, closed))
})
q <- unname(quantile(a$early, c(1/3, 2/3), type = 7))
tier_quantiles <- list(r_call = "quantile(early_alliance, c(1/3, 2/3), type = 7); table(cut(early_alliance, c(-Inf, q, Inf), right = FALSE))",
  cuts = q, counts = as.numeric(table(cut(a$early, c(-Inf, q, Inf), right = FALSE))))
out <- list(
  tier_quantiles = tier_quantiles,
  generated_by = paste("test/reference/demo-reference.R with", R.version.string),
  flow = list(episodes_ingested = nrow(ep), no_alliance = sum(is.na(d$early)), episodes_analyzed = nrow(a),
              sessions_ingested = n_sessions, sessions_after_cutoff = sum(after_cutoff), sessions_duplicate = n_dup,
              with_outcome_change = sum(!is.na(a$change)), closed = sum(a$closed), active_at_cutoff = sum(!a$closed)),
  correlations = cors, dropout_by_tier = tiers)
source("test/reference/json.R")
writeLines(json(out), "test/reference/demo-reference.json")
cat(json(out), "\n")
