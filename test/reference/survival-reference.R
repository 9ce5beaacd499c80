# Reference values for the retention analyses (issue 6), computed with R's survival package on
# the demo study derived independently in R (demo-derive.R). Writes survival-reference-<cutoff>.json
# for the cutoff 2025-12-31 (the demo's) and for a mid-study cutoff 2025-06-30.
# Run from the repository root: Rscript test/reference/survival-reference.R
suppressMessages(library(survival))
source("test/reference/json.R")
v <- function(x) as.list(unname(x))

for (cut_text in c("2025-12-31", "2025-06-30")) {
  cutoff <- as.Date(cut_text)
  source("test/reference/demo-derive.R")
  a <- a[as.Date(a$AdmitDate) <= cutoff, ]
  a$status <- as.integer(a$dropout)
  a$tier <- droplevels(a$tier)
  tiers <- levels(a$tier)
  km <- list(); km_log <- list()
  fit <- survfit(Surv(time, status) ~ tier, data = a, conf.type = "log-log")
  fit_log <- survfit(Surv(time, status) ~ tier, data = a, conf.type = "log")
  tab <- summary(fit)$table
  for (t in tiers) {
    f <- fit[paste0("tier=", t)]
    fl <- fit_log[paste0("tier=", t)]
    at <- summary(f, times = c(30, 60, 90), extend = TRUE)
    km[[length(km) + 1]] <- list(
      tier = t, n = f$n, time = v(f$time), n_risk = v(f$n.risk), n_event = v(f$n.event), n_censor = v(f$n.censor),
      surv = v(f$surv), std_err = v(f$std.err), lower = v(f$lower), upper = v(f$upper),
      lower_log = v(fl$lower), upper_log = v(fl$upper),
      median = unname(tab[paste0("tier=", t), "median"]), median_lower = unname(tab[paste0("tier=", t), "0.95LCL"]),
      median_upper = unname(tab[paste0("tier=", t), "0.95UCL"]),
      at_days = v(at$time), at_surv = v(at$surv), at_lower = v(at$lower), at_upper = v(at$upper), at_n_risk = v(at$n.risk),
      r_call = "survfit(Surv(time, dropout) ~ tier, conf.type = 'log-log')")
  }
  sd <- survdiff(Surv(time, status) ~ tier, data = a)
  w <- seq_along(tiers)
  trend <- as.numeric((sum(w * (sd$obs - sd$exp)))^2 / (t(w) %*% sd$var %*% w))
  closed <- a[a$closed, ]
  x <- as.vector(table(factor(closed$dropout, c(TRUE, FALSE)), closed$tier)[1, ])
  n <- as.vector(table(closed$tier))
  ptt <- prop.trend.test(x, n)
  cx <- coxph(Surv(time, status) ~ tier, data = a, ties = "efron")
  ci <- exp(confint(cx))
  cxr <- coxph(Surv(time, status) ~ tier, data = a, ties = "efron", cluster = Clinician)
  zph <- cox.zph(cx)
  a$state <- factor(ifelse(a$closed, ifelse(a$dropout, "dropout", a$DischargeReason), "censor"),
                    levels = c("censor", "dropout", "completed", "transferred"))
  aj <- survfit(Surv(time, state) ~ tier, data = a)
  ajsum <- summary(aj, times = c(30, 60, 90, 120), extend = TRUE)
  ajs <- lapply(tiers, function(t) {
    rows <- ajsum$strata == paste0("tier=", t)
    p <- ajsum$pstate[rows, , drop = FALSE]; colnames(p) <- aj$states
    list(tier = t, days = v(ajsum$time[rows]), dropout = v(p[, "dropout"]), completed = v(p[, "completed"]), transferred = v(p[, "transferred"]),
         r_call = "survfit(Surv(time, state) ~ tier), state = censor/dropout/completed/transferred; summary(times = c(30, 60, 90, 120))$pstate")
  })
  out <- list(
    generated_by = paste("test/reference/survival-reference.R with", R.version.string, "and survival", as.character(packageVersion("survival"))),
    cutoff = cut_text, n = nrow(a), events = sum(a$status), censored = sum(1 - a$status),
    censored_active = sum(!a$closed), censored_other_discharge = sum(a$closed & !a$dropout),
    km = km,
    logrank = list(chisq = sd$chisq, df = length(tiers) - 1, p = pchisq(sd$chisq, length(tiers) - 1, lower.tail = FALSE),
                   observed = v(sd$obs), expected = v(sd$exp), r_call = "survdiff(Surv(time, dropout) ~ tier)"),
    logrank_trend = list(chisq = trend, p = pchisq(trend, 1, lower.tail = FALSE),
                         r_call = "(sum(w*(obs-exp)))^2 / (t(w) %*% var %*% w), w = 1:k, from survdiff"),
    cochran_armitage = list(x = v(x), n = v(n), chisq = unname(ptt$statistic), p = ptt$p.value, r_call = "prop.trend.test(dropouts, closed)"),
    cox = list(terms = v(names(coef(cx))), coef = v(coef(cx)), se = v(sqrt(diag(vcov(cx)))), hr = v(exp(coef(cx))),
               lower = v(ci[, 1]), upper = v(ci[, 2]), p = v(summary(cx)$coefficients[, "Pr(>|z|)"]), loglik = v(cx$loglik),
               r_call = "coxph(Surv(time, dropout) ~ tier, ties = 'efron')"),
    cox_robust = list(se = v(sqrt(diag(vcov(cxr)))), lower = v(exp(confint(cxr))[, 1]), upper = v(exp(confint(cxr))[, 2]),
                      p = v(summary(cxr)$coefficients[, "Pr(>|z|)"]), robust_score = cxr$rscore,
                      robust_score_p = pchisq(cxr$rscore, length(tiers) - 1, lower.tail = FALSE), clusters = length(unique(a$Clinician)),
                      r_call = "coxph(Surv(time, dropout) ~ tier, ties = 'efron', cluster = Clinician); robust se, CI, p and rscore"),
    zph = list(chisq = v(zph$table[, "chisq"]), df = v(zph$table[, "df"]), p = v(zph$table[, "p"]), rows = v(rownames(zph$table)),
               r_call = "cox.zph(fit) (transform = 'km')"),
    aalen_johansen = ajs)
  writeLines(json(out), sprintf("test/reference/survival-reference-%s.json", cut_text))
  cat(cut_text, ": n =", nrow(a), " events =", sum(a$status), " logrank =", sd$chisq, " trend =", trend, " CA =", ptt$statistic, "\n")
  print(tab[, c("records", "events", "median", "0.95LCL", "0.95UCL")])
  print(cx)
}
