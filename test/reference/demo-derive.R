# The demo's derivation rules (docs/data-contract.md), implemented in R independently of the
# pipeline. Sourced by demo-reference.R and survival-reference.R. Needs `cutoff` set first.
ep <- read.csv("data/demo/episodes.csv", colClasses = "character", na.strings = "")
se <- read.csv("data/demo/sessions.csv", colClasses = "character", na.strings = "")
dropout_reasons <- c("dropped out", "left against advice")

se$date <- as.Date(se$SessionDate)
se$srs <- as.numeric(se$SRS_Total)
se$ors <- as.numeric(se$ORS_Total)
# Subscales (SRS items) and therapist-rated alliance: study.yaml's alliance.subscales and other_raters.
components <- c(subscale_bond = "SRS_Relationship", subscale_goals = "SRS_Goals", subscale_task = "SRS_Approach",
                subscale_overall = "SRS_Overall", rater_therapist = "SRS_Therapist")
for (k in names(components)) se[[k]] <- as.numeric(se[[components[[k]]]])
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
  # Means rounded to 10 decimal places, as the pipeline does (derive.ts MEAN_DIGITS), so equal means tie exactly.
  early_of <- function(v) { v <- v[!is.na(v)]; if (length(v)) round(mean(head(v, 3)), 10) else NA }
  c(setNames(vapply(names(components), function(k) early_of(s[[k]]), 0), paste0("early_", names(components))),
    early = if (length(a)) round(mean(head(a, 3)), 10) else NA,
    mean_alliance = if (length(a)) round(mean(a), 10) else NA,
    last_alliance = if (length(a)) tail(a, 1) else NA,
    first = if (length(o)) o[1] else NA,
    last = if (length(o)) tail(o, 1) else NA,
    change = if (length(o) >= 2) tail(o, 1) - o[1] else NA)
})
d <- cbind(ep, as.data.frame(do.call(rbind, per_episode)))
d$closed <- !is.na(d$DischargeDate) & as.Date(d$DischargeDate) <= cutoff
d$dropout <- d$closed & d$DischargeReason %in% dropout_reasons
d$tier <- cut(d$early, c(-Inf, 30, 36, Inf), labels = c("low", "moderate", "high"), right = FALSE)

# Days in treatment: to discharge when closed by the cutoff, else to the cutoff (censored).
d$time <- as.numeric(ifelse(d$closed, as.Date(d$DischargeDate) - as.Date(d$AdmitDate), cutoff - as.Date(d$AdmitDate)))
d$reason <- ifelse(d$closed, d$DischargeReason, "active")
a <- d[!is.na(d$early), ]
