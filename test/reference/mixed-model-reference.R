# Reference values for analyses/random-intercept-model.ts: lme4::lmer (REML) with lmerTest's
# Satterthwaite df, on R's ChickWeight data (578 weights of 50 chicks; unbalanced, as some chicks
# died early). Run from the repository root: Rscript test/reference/mixed-model-reference.R
suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
cat(R.version.string, "lme4", as.character(packageVersion("lme4")), "lmerTest", as.character(packageVersion("lmerTest")), "\n")
ctrl <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, xtol_rel = 1e-12, ftol_rel = 1e-14))
cw <- as.data.frame(ChickWeight)
cw$Chick <- as.character(cw$Chick)
cw$time_mean <- ave(cw$Time, cw$Chick)
cw$time_within <- cw$Time - cw$time_mean
show <- function(label, fit) {
  cat("##", label, "\n")
  s <- summary(fit)$coefficients
  print(s, digits = 12)
  vc <- as.data.frame(VarCorr(fit))
  cat("var_group", format(vc$vcov[1], digits = 12), "var_residual", format(vc$vcov[2], digits = 12), "REMLcrit", format(REMLcrit(fit), digits = 12), "\n")
  ci <- cbind(s[, "Estimate"] - qt(0.975, s[, "df"]) * s[, "Std. Error"], s[, "Estimate"] + qt(0.975, s[, "df"]) * s[, "Std. Error"])
  print(ci, digits = 12)
}
# lmer(weight ~ 1 + (1 | Chick)): ICC of weight by chick.
show("null", lmer(weight ~ 1 + (1 | Chick), cw, REML = TRUE, control = ctrl))
# Within/between: weight on chick-mean-centred time and chick mean time.
wb <- lmer(weight ~ time_within + time_mean + (1 | Chick), cw, REML = TRUE, control = ctrl)
show("within-between", wb)
# The contextual effect (between − within) as a contrast.
print(contest(wb, matrix(c(0, -1, 1), nrow = 1), joint = FALSE), digits = 12)
