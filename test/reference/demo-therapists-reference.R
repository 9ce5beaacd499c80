# Therapist nesting on the demo, recomputed in R from data/demo/*.csv (derivation in demo-derive.R):
# REML ICCs by therapist (lme4) and the within/between-therapist model with lmerTest's Satterthwaite
# tests. Writes test/reference/demo-therapists-reference.json for test/e2e/demo-therapists.test.ts.
# Run from the repository root: Rscript test/reference/demo-therapists-reference.R
suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
cutoff <- as.Date("2025-12-31")
source("test/reference/demo-derive.R")
ctrl <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, xtol_rel = 1e-12, ftol_rel = 1e-14))
a$therapist <- a$Clinician
icc <- lapply(c("early", "change", "last"), function(v) {
  x <- a[!is.na(a[[v]]), ]
  fit <- lmer(as.formula(paste(v, "~ 1 + (1 | therapist)")), x, REML = TRUE, control = ctrl)
  vc <- as.data.frame(VarCorr(fit))$vcov
  name <- c(early = "early_alliance", change = "outcome_change", last = "outcome_last")[[v]]
  list(variable = name, n = nrow(x), var_therapist = vc[1], var_residual = vc[2], icc = vc[1] / sum(vc),
       singular = isSingular(fit), r_call = sprintf("lmer(%s ~ 1 + (1 | therapist), REML = TRUE)", name))
})
m <- a[!is.na(a$change), ]
m$alliance_between <- ave(m$early, m$therapist)
m$alliance_within <- m$early - m$alliance_between
fit <- lmer(last ~ alliance_within + alliance_between + first + (1 | therapist), m, REML = TRUE, control = ctrl)
s <- summary(fit)$coefficients
coefs <- lapply(seq_len(nrow(s)), function(i) list(name = rownames(s)[i], estimate = s[i, "Estimate"], se = s[i, "Std. Error"],
  df = s[i, "df"], t = s[i, "t value"], p = s[i, "Pr(>|t|)"],
  ci_low = s[i, "Estimate"] - qt(0.975, s[i, "df"]) * s[i, "Std. Error"], ci_high = s[i, "Estimate"] + qt(0.975, s[i, "df"]) * s[i, "Std. Error"]))
coefs[[4]]$name <- "outcome_first"
ct <- contest(fit, matrix(c(0, -1, 1, 0), nrow = 1), joint = FALSE)
vc <- as.data.frame(VarCorr(fit))$vcov
out <- list(
  generated_by = paste("test/reference/demo-therapists-reference.R with", R.version.string, "lme4", as.character(packageVersion("lme4")), "lmerTest", as.character(packageVersion("lmerTest"))),
  icc = icc,
  model = list(r_call = "lmer(last ~ alliance_within + alliance_between + first + (1 | therapist), REML = TRUE); summary() with lmerTest",
    n = nrow(m), therapists = length(unique(m$therapist)), coefficients = coefs,
    contextual = list(r_call = "contest(fit, c(0, -1, 1, 0), joint = FALSE)", estimate = ct$Estimate, se = ct[["Std. Error"]], df = ct$df, t = ct[["t value"]], p = ct[["Pr(>|t|)"]], ci_low = ct$lower, ci_high = ct$upper),
    var_therapist = vc[1], var_residual = vc[2], reml_criterion = REMLcrit(fit)))
source("test/reference/json.R")
writeLines(json(out), "test/reference/demo-therapists-reference.json")
cat(json(out), "\n")
