# Reference values for the within-client lagged models (analyses/random-intercept-by-size.ts and the
# pipeline's session sums): lmerTest::lmer, REML, Satterthwaite df, on a simulated session-level
# study with a strong within-client effect of the alliance on the next session's outcome.
# Writes the sessions beside this script and prints each model's fixed effects and variances.
# Run: Rscript test/reference/dynamics-lagged-reference.R > test/reference/dynamics-lagged-reference.out
suppressMessages(library(lmerTest))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
set.seed(20261208)
clients <- 160
rows <- do.call(rbind, lapply(1:clients, function(c) {
  k <- sample(4:12, 1)
  trait <- rnorm(1, 30, 4)
  a <- round(trait + 0.3 * (1:k) + rnorm(k, 0, 2.5), 1)
  y <- numeric(k)
  y[1] <- rnorm(1, 20 + 0.4 * (trait - 30), 4)
  for (t in 2:k) y[t] <- 0.5 * y[t - 1] + 10 + 1.2 * (a[t - 1] - trait) + 0.2 * (trait - 30) + rnorm(1, 0, 2)
  y <- round(y, 1)
  a[runif(k) < 0.08] <- NA
  y[runif(k) < 0.06] <- NA
  data.frame(client = c, session = 1:k, alliance = a, outcome = y)
}))
write.csv(rows, file.path(here, "dynamics-lagged-sessions.csv"), row.names = FALSE, na = "")
# Pairs (t, t + 1) of one client's consecutive sessions; a client's means over all its ratings.
rows$a_mean <- ave(rows$alliance, rows$client, FUN = function(v) mean(v, na.rm = TRUE))
rows$y_mean <- ave(rows$outcome, rows$client, FUN = function(v) mean(v, na.rm = TRUE))
# Detrended: the alliance less the client's own OLS line on session number (3 or more ratings).
rows$a_trend <- NA
for (c in unique(rows$client)) {
  i <- rows$client == c & !is.na(rows$alliance)
  if (sum(i) >= 3) rows$a_trend[rows$client == c] <- predict(lm(alliance ~ session, data = rows[i, ]), newdata = rows[rows$client == c, ])
}
nxt <- rows; nxt$session <- nxt$session - 1
p <- merge(rows, nxt[, c("client", "session", "alliance", "outcome")], by = c("client", "session"), suffixes = c("", "_next"))
show <- function(label, fit) {
  s <- summary(fit)$coefficients
  cat("##", label, "\n")
  for (i in seq_len(nrow(s))) cat(sprintf("%s %.15g %.15g %.15g\n", rownames(s)[i], s[i, 1], s[i, 2], s[i, 3]))
  vc <- as.data.frame(VarCorr(fit))
  cat(sprintf("var_group %.15g\nvar_residual %.15g\nn %d\ngroups %d\n", vc$vcov[1], vc$vcov[2], nobs(fit), ngrps(fit)[[1]]))
}
f <- subset(p, !is.na(alliance) & !is.na(outcome) & !is.na(outcome_next))
f$within <- f$alliance - f$a_mean; f$between <- f$a_mean
show("forward", lmer(outcome_next ~ within + between + outcome + session + (1 | client), data = f, REML = TRUE))
r <- subset(p, !is.na(outcome) & !is.na(alliance) & !is.na(alliance_next))
r$within <- r$outcome - r$y_mean; r$between <- r$y_mean
show("reverse", lmer(alliance_next ~ within + between + alliance + session + (1 | client), data = r, REML = TRUE))
d <- subset(f, !is.na(a_trend))
d$within <- d$alliance - d$a_trend
show("detrended", lmer(outcome_next ~ within + between + outcome + session + (1 | client), data = d, REML = TRUE))
