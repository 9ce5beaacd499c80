# Independent recomputation of the demo's results from data/demo/*.csv, in R, under the
# derivation rules of docs/data-contract.md. Writes test/reference/demo-reference.json,
# which test/e2e/demo-results.test.ts compares with the pipeline's results.json.
# Run from the repository root: Rscript test/reference/demo-reference.R
ep <- read.csv("data/demo/episodes.csv", colClasses = "character", na.strings = "")
se <- read.csv("data/demo/sessions.csv", colClasses = "character", na.strings = "")
cutoff <- as.Date("2025-12-31")
dropout_reasons <- c("dropped out", "left against advice")

se$date <- as.Date(se$SessionDate)
se$srs <- as.numeric(se$SRS_Total)
se$ors <- as.numeric(se$ORS_Total)
se$row <- seq_len(nrow(se))
n_sessions <- nrow(se)
# Exclusions, in the pipeline's order of precedence: after the cutoff, then duplicates (same client and day, first row kept).
after_cutoff <- se$date > cutoff
kept <- se[!after_cutoff, ]
dup <- duplicated(kept[, c("ClientID", "SessionDate")])
n_dup <- sum(dup)
kept <- kept[!dup, ]
kept <- kept[order(kept$ClientID, kept$date), ]

per_episode <- lapply(ep$ClientID, function(id) {
  s <- kept[kept$ClientID == id, ]
  a <- s$srs[!is.na(s$srs)]
  o <- s$ors[!is.na(s$ors)]
  c(early = if (length(a)) mean(head(a, 3)) else NA,
    last = if (length(o)) tail(o, 1) else NA,
    change = if (length(o) >= 2) tail(o, 1) - o[1] else NA)
})
d <- cbind(ep, as.data.frame(do.call(rbind, per_episode)))
d$closed <- !is.na(d$DischargeDate) & as.Date(d$DischargeDate) <= cutoff
d$dropout <- d$closed & d$DischargeReason %in% dropout_reasons
d$tier <- cut(d$early, c(-Inf, 30, 36, Inf), labels = c("low", "moderate", "high"), right = FALSE)
a <- d[!is.na(d$early), ]

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
out <- list(
  generated_by = paste("test/reference/demo-reference.R with", R.version.string),
  flow = list(episodes_ingested = nrow(ep), no_alliance = sum(is.na(d$early)), episodes_analyzed = nrow(a),
              sessions_ingested = n_sessions, sessions_after_cutoff = sum(after_cutoff), sessions_duplicate = n_dup,
              with_outcome_change = sum(!is.na(a$change)), closed = sum(a$closed), active_at_cutoff = sum(!a$closed)),
  correlations = cors, dropout_by_tier = tiers)
json <- function(x) {
  if (is.list(x)) {
    if (is.null(names(x))) return(paste0("[", paste(vapply(x, json, ""), collapse = ", "), "]"))
    return(paste0("{", paste(sprintf("\"%s\": %s", names(x), vapply(x, json, "")), collapse = ", "), "}"))
  }
  if (is.character(x)) return(sprintf("\"%s\"", gsub("\"", "\\\\\"", x)))
  if (is.logical(x)) return(tolower(as.character(x)))
  trimws(formatC(x, digits = 17, format = "g"))
}
writeLines(json(out), "test/reference/demo-reference.json")
cat(json(out), "\n")
