/**
 * The counting-process Cox model (analyses/cox-counting.ts) against R: survival::tmerge builds the
 * (start, stop] records and coxph(Surv(tstart, tstop, dropout) ~ unrepaired, cluster = therapist,
 * ties = "efron") fits them (test/reference/dynamics-cox-reference.R; its data beside it, its
 * output in dynamics-cox-reference.out). Six significant digits asked; the test holds 1e-9.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coxCounting, splitAtChanges, type FollowUp } from "../../analyses/cox-counting.ts";
import { ROOT } from "../../pipeline/root.ts";

const ref = (name: string) => join(ROOT, "test/reference", name);
const csv = (name: string) =>
  readFileSync(ref(name), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));
const expected = Object.fromEntries(
  readFileSync(ref("dynamics-cox-reference.out"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(" ") as [string, string])
    .map(([k, v]) => [k, Number(v)]),
);

function fixture() {
  const episodes = csv("dynamics-cox-episodes.csv"); // id, therapist, time, dropout
  const changes = csv("dynamics-cox-changes.csv"); // id, day, value
  const followUps: FollowUp[] = episodes.map(([id, , time, dropout]) => ({
    time: time!,
    event: dropout === 1,
    changes: changes.filter((c) => c[0] === id).map((c) => [c[1]!, c[2]!] as const),
  }));
  return { followUps, therapist: episodes.map((e) => e[1]!) };
}

describe("Cox regression on a time-dependent covariate, as coxph on tmerge's records", () => {
  const { followUps, therapist } = fixture();
  const rec = splitAtChanges(followUps);
  const fit = coxCounting(
    rec.start,
    rec.stop,
    rec.event,
    rec.value.map((v) => [v]),
    rec.episode.map((e) => therapist[e]!),
  );
  const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-9);

  it("splits the episodes into tmerge's records (a change at day 0 from the start, one at or after the end unseen)", () => {
    expect(rec.start).toHaveLength(expected.records!);
    expect(fit.events).toBe(expected.events);
  });

  it("matches the coefficient, its model-based SE and the log likelihoods", () => {
    close(fit.coef[0]!, expected.coef!);
    close(fit.se[0]!, expected.se!);
    close(fit.loglik[0], expected.loglik0!);
    close(fit.loglik[1], expected.loglik!);
  });

  it("matches the therapist-clustered robust SE", () => {
    close(fit.robust_se![0]!, expected.robust_se!);
  });

  it("matches the score (log-rank) test and the robust score test", () => {
    close(fit.score.chisq, expected.score!);
    close(fit.robust_score!.chisq, expected.robust_score!);
  });
});

describe("splitAtChanges", () => {
  it("splits at each change strictly inside the follow-up", () => {
    expect(
      splitAtChanges([
        {
          time: 30,
          event: true,
          changes: [
            [10, 1],
            [20, 0],
            [30, 1],
          ],
        },
      ]),
    ).toEqual({
      start: [0, 10, 20],
      stop: [10, 20, 30],
      event: [false, false, true],
      value: [0, 1, 0],
      episode: [0, 0, 0],
    });
  });
});
